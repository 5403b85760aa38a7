"""Coverage per district x service type: active, at continuity risk at the watch's 90/60/30-day levels (ending
with nothing to take over), or none."""

from __future__ import annotations

from services.common.reference_data import DISTRICTS, SERVICE_TYPES
from services.portal.domain.observatory.coverage import coverage
from services.portal.domain.observatory.ocds_read import read_calls
from services.portal.domain.observatory.report import indicators
from tests.portal.unit.observatory_releases import AS_OF, award, call, contract


def contracted(number: int, end: str, start: str = "2027-01-01", status: str = "active", **more) -> dict:
    awards = (award(f"a{number}", 1, date="2026-12-20"),)
    return call(
        number, awards=awards, contracts=(contract(f"c{number}", f"a{number}", start, end, status=status),), **more
    )


def cell_of(releases: list[dict], district: str = "MD-CU", service: str = "home-care"):
    (found,) = coverage(read_calls(releases), AS_OF, [district], [service])
    return found


def test_every_district_and_service_type_has_a_cell_so_the_map_has_no_holes():
    found = indicators([contracted(1, "2027-12-31")], AS_OF).coverage
    assert len(found) == len(DISTRICTS) * len(SERVICE_TYPES) == 35 * 12
    assert [c.status for c in found if c.status != "none"] == ["active"]


def test_a_contract_in_force_far_from_its_end_makes_the_cell_active():
    found = cell_of([contracted(1, "2027-08-31")])  # 91 days left
    assert (found.status, found.threshold_days, found.contracts[0].risk) == ("active", None, "low")
    assert found.ocids == ("ocds-sscp01-1",)


def test_an_uncovered_end_is_at_risk_at_the_tightest_threshold_it_is_inside():
    for end, threshold, risk in (
        ("2027-08-30", 90, "medium"),
        ("2027-07-31", 60, "high"),
        ("2027-06-21", 30, "critical"),
    ):
        found = cell_of([contracted(1, end)])
        assert (found.status, found.threshold_days, found.contracts[0].risk) == ("at_risk", threshold, risk), end


def test_a_signed_successor_contract_starting_by_the_end_covers_it():
    successor = contracted(2, "2028-06-30", start="2027-06-15", published="2027-03-01T09:00:00Z")
    found = cell_of([contracted(1, "2027-06-21"), successor])
    first = next(c for c in found.contracts if c.contract_id == "c1")
    assert (found.status, first.risk, first.successor) == ("active", "none", "ocds-sscp01-2/contract/c2")


def test_a_call_in_progress_covers_only_if_its_contract_can_be_signed_by_the_end():
    in_time = call(2, status="active", published="2027-05-01T09:00:00Z", deadline="2027-06-05T09:00:00Z", bidders=None)
    assert cell_of([contracted(1, "2027-07-31"), in_time]).status == "active"  # ready 2027-07-06
    late = call(2, status="active", published="2027-05-01T09:00:00Z", deadline="2027-07-20T09:00:00Z", bidders=None)
    assert cell_of([contracted(1, "2027-07-31"), late]).threshold_days == 60  # ready 2027-08-20
    decided = call(
        2,
        status="active",
        published="2027-05-01T09:00:00Z",
        tender={"awardPeriod": {"endDate": "2027-07-25T00:00:00Z"}},
    )
    assert cell_of([contracted(1, "2027-07-31"), decided]).threshold_days == 60  # standstill end + 10 days


def test_a_failed_or_cancelled_successor_call_covers_nothing():
    failed = call(2, status="unsuccessful", published="2027-05-01T09:00:00Z", deadline="2027-06-05T09:00:00Z")
    assert cell_of([contracted(1, "2027-06-21"), failed]).threshold_days == 30


def test_ended_terminated_and_unsigned_contracts_leave_the_cell_without_a_service():
    for release in (
        contracted(1, "2027-05-31"),
        contracted(1, "2027-12-31", status="terminated"),
        contracted(1, "2027-12-31", status="pending"),
        contracted(1, "2027-12-31", start="2027-07-01"),  # signed, not started yet
    ):
        assert cell_of([release]).status == "none"
