"""Procedure periods, criteria weights, bid windows and the committee's minimum and independence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from services.common.errors import Conflict, Invalid
from services.contracting.domain import bids, committee, procedure
from services.contracting.domain.criteria import check_criteria

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
RULES = procedure.ProcedureRules()


def test_periods_meeting_the_minimums_pass_and_shorter_ones_name_the_field():
    procedure.check_periods(RULES, NOW, NOW + timedelta(days=5), NOW + timedelta(days=15))
    with pytest.raises(Invalid) as short:
        procedure.check_periods(RULES, NOW, NOW + timedelta(days=5), NOW + timedelta(days=14))
    assert "submission_deadline" in short.value.details["errors"]


def test_an_amendment_defaults_to_the_minimum_extension_and_refuses_less():
    deadline = NOW + timedelta(days=15)
    assert procedure.amended_deadline(RULES, deadline, None) == deadline + timedelta(days=4)
    with pytest.raises(Invalid):
        procedure.amended_deadline(RULES, deadline, deadline + timedelta(days=3))


def test_the_standstill_is_per_tender_unless_compressed_for_the_demo():
    assert RULES.standstill(11) == timedelta(days=11)
    assert procedure.ProcedureRules(standstill_override=timedelta(seconds=30)).standstill(6) == timedelta(seconds=30)


def test_weights_must_sum_to_100_with_one_price_criterion_at_most():
    check_criteria([{"kind": "price", "weight": 30}, {"kind": "quality", "weight": 70}])
    with pytest.raises(Invalid):
        check_criteria([{"kind": "price", "weight": 50}, {"kind": "price", "weight": 50}])


def test_the_bid_window_is_the_clock_not_the_status():
    deadline = NOW + timedelta(hours=1)
    bids.check_window("active.tendering", deadline, NOW)
    with pytest.raises(Conflict):
        bids.check_window("active.tendering", deadline, deadline)
    with pytest.raises(Conflict):
        bids.check_window("cancelled", deadline, NOW)


def test_price_is_unit_price_times_places_exact_to_the_ban():
    assert bids.bid_price(D("1234.56"), 7) == D("8641.92")


def test_a_conflict_shrinks_the_committee_below_its_minimum_and_blocks_scoring():
    seated = [committee.Member("a", "clear"), committee.Member("b", "conflict"), committee.Member("c", "undeclared")]
    assert "2 member(s)" in committee.scoring_blocker(seated, 3)
    assert committee.scoring_blocker([*seated, committee.Member("d", "clear")], 3) is None


def test_all_scored_needs_every_sitting_member_on_every_bid_and_criterion():
    seated = [committee.Member(s, "clear") for s in "abc"]
    scored = {(s, 1, 9) for s in "ab"}
    assert not committee.all_scored(seated, 3, {1}, {9}, scored)
    assert committee.all_scored(seated, 3, {1}, {9}, scored | {("c", 1, 9)})
