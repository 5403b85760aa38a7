"""A CSO's contract: which periods wait for a report, which are overdue, and whether it must still sign."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from services.portal.domain import contracts_view as view

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)


def milestone(number: int, start: str, end: str, due: str, status="planned", report_status=None) -> dict:
    return {
        "number": number,
        "period_start": start,
        "period_end": end,
        "report_due_at": due,
        "amount": "10500.00",
        "status": status,
        "report_status": report_status,
        "late": False,
    }


def contract(status="active", **changes) -> dict:
    record = {
        "id": 1,
        "status": status,
        "kpis": [
            {"code": "beneficiaries_served", "name": "Beneficiari", "target": "10", "unit": "persons"},
            {"code": "home_visits", "name": "Vizite", "target": "120", "unit": "visits"},
        ],
        "signatures": {"authority": {"signed_at": None}, "provider": {"signed_at": None}},
        "allowed_actions": ["report"],
        "milestones": [
            milestone(1, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-02-16T00:00:00Z", "payable", "accepted"),
            milestone(
                2, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-03-16T00:00:00Z", report_status="returned"
            ),
            milestone(3, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-04-16T00:00:00Z"),
            milestone(
                4, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z", "2026-05-16T00:00:00Z", report_status="submitted"
            ),
            milestone(5, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "2026-06-16T00:00:00Z"),
            milestone(6, "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-07-16T00:00:00Z"),
        ],
    }
    return {**record, **changes}


def test_each_period_gets_the_state_a_provider_must_act_on():
    states = [period.state for period in view.periods(contract(), NOW)]

    assert states == [view.ACCEPTED, view.RETURNED, view.OVERDUE, view.UNDER_REVIEW, view.DUE, view.UPCOMING]


def test_amounts_are_exact_decimals():
    assert view.periods(contract(), NOW)[0].amount == Decimal("10500.00")


def test_a_report_may_be_filed_for_a_returned_an_overdue_and_a_running_period_only():
    assert [period.number for period in view.fileable_periods(contract(), NOW)] == [2, 3, 5]


def test_the_next_report_due_is_the_earliest_waiting_one_and_overdue_ones_are_counted():
    assert view.next_report_due(contract(), NOW).number == 2
    assert view.overdue_count(contract(), NOW) == 1


def test_an_unsigned_or_cancelled_contract_takes_no_report():
    assert view.fileable_periods(contract(status="pending"), NOW) == []
    assert view.fileable_periods(contract(status="cancelled"), NOW) == []
    assert view.overdue_count(contract(status="cancelled"), NOW) == 0


def test_an_expired_contract_still_takes_the_reports_of_the_periods_it_served():
    assert [period.number for period in view.fileable_periods(contract(status="expired"), NOW)] == [2, 3, 5]


def test_the_provider_is_asked_to_sign_only_while_signing_is_allowed_and_it_has_not_signed():
    pending = contract(status="pending", allowed_actions=["sign", "edit", "cancel"])
    signed = {**pending, "signatures": {"provider": {"signed_at": "2026-01-01T00:00:00Z"}}}

    assert view.awaits_our_signature(pending)
    assert not view.awaits_our_signature(signed)
    assert not view.awaits_our_signature(contract())


def test_the_report_form_asks_for_every_kpi_except_beneficiaries_which_has_its_own_field():
    assert [kpi["code"] for kpi in view.kpis_to_report(contract())] == ["home_visits"]


def test_contracts_to_sign_come_first_then_those_in_force_then_the_ended_ones():
    contracts = [
        contract(id=1, status="expired"),
        contract(id=2, status="active"),
        contract(id=3, status="pending", allowed_actions=["sign"]),
    ]

    listed = view.summaries(contracts, NOW)

    assert [item.contract["id"] for item in listed] == [3, 2, 1]
    assert listed[0].awaits_signature
    assert listed[1].overdue == 1


def test_reports_are_shown_newest_first():
    reports = [{"id": 1, "submitted_at": "2026-02-10T00:00:00Z"}, {"id": 2, "submitted_at": "2026-03-10T00:00:00Z"}]

    assert [report["id"] for report in view.newest_first(reports)] == [2, 1]


def test_before_the_contract_is_signed_no_period_is_shown_as_due_or_overdue():
    assert {period.state for period in view.periods(contract(status="pending"), NOW)} == {view.UPCOMING}
