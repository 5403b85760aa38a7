"""Red flags over calls: R003 short submission period, R018 single bid, R035 all bids but the winner's
disqualified, the same winner every time, and a price far from the reference cost."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.observatory import red_flags
from services.portal.domain.observatory.ocds_read import read_calls
from services.portal.domain.observatory.red_flags import FlagRules
from services.portal.domain.observatory.reference import reference_costs
from tests.portal.unit.observatory_releases import award, call, contract, supplier_id

RULES = FlagRules()


def flagged(flag) -> list[str]:
    return [c.ocid.removeprefix("ocds-sscp01-") for c in flag.flagged]


def test_r003_flags_a_submission_period_shorter_than_the_procedure_minimum_but_not_one_exactly_at_it():
    releases = [
        call(1, deadline="2027-01-10T09:00:00Z"),  # 9 days
        call(2, deadline="2027-01-16T09:00:00Z"),  # 15 days: the minimum
        call(3, deadline=None),  # no deadline published: not tested
    ]
    flag = red_flags.short_submission_period(read_calls(releases), RULES)
    assert (flagged(flag), flag.checked) == (["1"], 2)
    assert flag.flagged[0].detail == "9.0 days to submit, fewer than 15 (selective)"


def test_r003_thresholds_are_per_procurement_method_with_a_default_for_others():
    releases = [call(1, method="open"), call(2, method="limited", deadline="2027-01-06T09:00:00Z")]
    rules = FlagRules(min_submission_days={"open": 20}, default_min_submission_days=3)
    assert flagged(red_flags.short_submission_period(read_calls(releases), rules)) == ["1"]


def test_r018_flags_exactly_one_bid_not_zero_and_not_a_call_still_open():
    releases = [call(1, bidders=(1,)), call(2, bidders=()), call(3, bidders=None, status="active"), call(4)]
    flag = red_flags.single_bid(read_calls(releases))
    assert (flagged(flag), flag.checked) == (["1"], 3)


def test_r018_with_published_bids_a_withdrawn_bid_does_not_count():
    bids = {"details": [{"id": "b1", "status": "valid", "tenderers": [{"id": supplier_id(1)}]},
                        {"id": "b2", "status": "withdrawn", "tenderers": [{"id": supplier_id(2)}]}]}  # fmt: skip
    assert flagged(red_flags.single_bid(read_calls([call(1, bids=bids)]))) == ["1"]


def bids(*statuses: str) -> dict:
    return {
        "details": [
            {"id": f"b{n}", "status": status, "tenderers": [{"id": supplier_id(n)}]}
            for n, status in enumerate(statuses, start=1)
        ]
    }


def test_r035_flags_a_call_where_every_bid_but_the_winner_was_disqualified():
    winner = (award("a1", 1),)
    releases = [
        call(1, awards=winner, bids=bids("valid", "disqualified", "disqualified")),
        call(2, awards=winner, bids=bids("valid", "valid", "disqualified")),
        call(3, awards=winner, bids=bids("valid")),  # one bid: nothing to disqualify, not tested
        call(4, status="unsuccessful", bids=bids("disqualified", "disqualified")),  # no winner: not tested
    ]
    flag = red_flags.all_but_winner_disqualified(read_calls(releases))
    assert (flagged(flag), flag.checked, flag.missing) == (["1"], 2, ())


def test_r035_on_the_platform_data_says_bid_details_are_not_published_and_tests_nothing():
    flag = red_flags.all_but_winner_disqualified(read_calls([call(1, awards=(award("a1", 1),))]))
    assert (flag.checked, flag.flagged, flag.missing) == (0, (), ("bids.details",))


def test_incumbency_flags_every_call_of_a_district_service_that_one_supplier_always_won():
    releases = [
        call(1, awards=(award("a1", 1),)),
        call(2, awards=(award("a2", 1),)),
        call(3, status="unsuccessful", bidders=()),  # no award: does not break the run
        call(4, district="MD-BA", awards=(award("a4", 1),)),  # one call only in that district
        call(5, service="day-centre", awards=(award("a5", 1),)),
        call(6, service="day-centre", awards=(award("a6", 2),)),  # a different winner
    ]
    flag = red_flags.incumbency(read_calls(releases), RULES)
    assert flagged(flag) == ["1", "2"] and flag.checked == 4
    assert flag.flagged[0].detail == f"{supplier_id(1)} won all 2 awarded calls for home-care in MD-CU"
    assert flagged(red_flags.incumbency(read_calls(releases), FlagRules(incumbency_minimum_calls=3))) == []


def test_a_cancelled_award_does_not_make_its_supplier_an_incumbent():
    releases = [call(1, awards=(award("a1", 1),)), call(2, awards=(award("a2", 1, status="cancelled"), award("a3", 2)))]
    assert flagged(red_flags.incumbency(read_calls(releases), RULES)) == []


def test_a_price_outside_the_band_around_the_reference_cost_is_flagged_on_either_side():
    costs = reference_costs([{"service_type": "home-care", "district_code": "MD-CU", "year": 2027, "amount": "10000"}])

    def priced(number: int, value: int, service: str = "home-care") -> dict:
        signed = contract(f"c{number}", f"a{number}", "2027-01-01", "2027-12-31", value=value, places=10)
        return call(number, service=service, awards=(award(f"a{number}", 1, value=value),), contracts=(signed,))

    releases = [priced(1, 130000), priced(2, 140000), priced(3, 60000), priced(4, 70000), priced(5, 1, "day-centre")]
    flag = red_flags.price_off_reference(read_calls(releases), costs, RULES)
    assert (flagged(flag), flag.checked) == (["2", "3"], 4)
    assert flag.flagged[0].detail == "contract c2: 14000.00 per place-year = 1.4000 x reference 10000"
    narrow = FlagRules(price_band=(Decimal("0.95"), Decimal("1.05")))
    assert flagged(red_flags.price_off_reference(read_calls(releases), costs, narrow)) == ["1", "2", "3", "4"]
