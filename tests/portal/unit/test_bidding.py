"""The bid's total, its lot's budget, and what a CSO may do with its bid when (services/portal/domain/bidding.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.portal.domain import bidding
from services.portal.domain.bidding import Lot, Offer

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
OPEN = (NOW + timedelta(hours=2)).isoformat()
PASSED = (NOW - timedelta(minutes=1)).isoformat()
LOT = Lot(id=7, number=1, title="Îngrijire la domiciliu", places=20, budget=Decimal("1200000.00"), duration_months=12)


def test_the_total_is_the_unit_price_for_the_whole_duration_times_the_places_to_the_ban():
    assert bidding.bid_total(Decimal("45000.50"), 12) == Decimal("540006.00")
    assert bidding.bid_total(Decimal("0.01"), 3) == Decimal("0.03")


def test_a_total_at_the_budget_is_within_it_and_one_ban_more_is_not():
    at_budget = bidding.price_check(Decimal("60000"), 20, LOT)
    assert at_budget.within_budget and at_budget.acceptable
    above = bidding.price_check(Decimal("60000.01"), 20, LOT)
    assert not above.within_budget
    assert above.over_budget_by == Decimal("0.20")


def test_a_lot_without_a_budget_has_no_ceiling():
    open_ended = Lot(1, 1, "x", 5, None, 6)
    assert bidding.price_check(Decimal("999999"), 5, open_ended).within_budget


def test_offering_more_places_than_the_lot_has_is_flagged():
    check = bidding.price_check(Decimal("100"), 21, LOT)
    assert check.too_many_places and not check.acceptable


def test_the_monthly_figure_only_helps_compare_and_is_the_total_spread_over_places_and_months():
    check = bidding.price_check(Decimal("60000"), 10, LOT)
    assert check.per_place_per_month == Decimal("5000.00")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("45000", Decimal("45000")),
        ("45 000,50", Decimal("45000.50")),
        ("45000.5", Decimal("45000.5")),
        (" 12,3 ", Decimal("12.3")),
    ],
)
def test_a_unit_price_is_read_as_people_type_it(typed, expected):
    assert bidding.parse_unit_price(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "0", "-5", "10.123", "NaN", "Infinity", "1000000000000"])
def test_a_unit_price_that_is_not_a_positive_amount_to_the_ban_is_not_accepted(typed):
    assert bidding.parse_unit_price(typed) is None


def test_the_total_is_shown_only_once_the_lot_the_price_and_the_places_are_there():
    assert bidding.price_check_from_text("45000", "", LOT) is None
    assert bidding.price_check_from_text("", "3", LOT) is None
    assert bidding.price_check_from_text("45000", "3", None) is None
    assert bidding.price_check_from_text("45000", "three", LOT) is None
    assert bidding.price_check_from_text("45000", "3", LOT).total == Decimal("135000.00")


def test_the_offer_goes_to_the_api_with_the_price_as_a_string_and_answers_by_criterion():
    offer = Offer(7, Decimal("45000.50"), 3, "Plan", {12: "B", 11: "A"})
    assert offer.api_payload() == {
        "lot_id": 7,
        "unit_price": "45000.50",
        "places": 3,
        "quality_text": "Plan",
        "quality_answers": [{"criterion_id": 11, "answer": "A"}, {"criterion_id": 12, "answer": "B"}],
    }


def test_only_the_quality_criteria_are_answered_in_their_order():
    criteria = [
        {"id": 3, "number": 2, "kind": "quality", "name": "Echipa", "weight": 30},
        {"id": 1, "number": 0, "kind": "price", "name": "Preț", "weight": 40},
        {"id": 2, "number": 1, "kind": "quality", "name": "Metoda", "weight": 30},
    ]
    assert [c.name for c in bidding.quality_criteria(criteria)] == ["Metoda", "Echipa"]


def test_a_standing_bid_may_be_changed_withdrawn_and_documented_until_the_deadline():
    actions = bidding.allowed_actions({"status": "active"}, "active.tendering", OPEN, NOW)
    assert actions.edit and actions.withdraw and actions.documents
    assert not actions.reconfirm and not actions.bid_again


def test_after_the_deadline_nothing_may_be_done_even_before_the_call_moves_on():
    actions = bidding.allowed_actions({"status": "active"}, "active.tendering", PASSED, NOW)
    assert actions == bidding.BidActions()


def test_a_call_no_longer_taking_bids_allows_nothing_whatever_its_deadline_says():
    assert bidding.allowed_actions({"status": "active"}, "cancelled", OPEN, NOW) == bidding.BidActions()


def test_a_withdrawn_bid_cannot_be_changed_but_a_new_bid_may_be_made_before_the_deadline():
    actions = bidding.allowed_actions({"status": "withdrawn"}, "active.enquiries", OPEN, NOW)
    assert actions == bidding.BidActions(bid_again=True)


def test_re_confirming_is_offered_only_when_an_amendment_asks_for_it():
    bid = {"status": "active", "needs_reconfirmation": True}
    assert bidding.allowed_actions(bid, "active.tendering", OPEN, NOW).reconfirm


def test_a_lot_with_a_standing_bid_is_not_offered_again_but_one_with_a_withdrawn_bid_is():
    other = Lot(8, 2, "Lot 2", 10, None, 12)
    third = Lot(9, 3, "Lot 3", 10, None, 12)
    own = [{"lot_id": 7, "status": "active"}, {"lot_id": 8, "status": "withdrawn"}]
    assert bidding.lots_open_to_new_bid([LOT, other, third], own) == [other, third]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"submission_deadline": PASSED, "server_time": NOW.isoformat()}, bidding.DEADLINE_PASSED),
        ({"bid_id": 4}, bidding.ALREADY_BID),
        ({"current_status": "withdrawn"}, bidding.BID_NOT_STANDING),
        ({"current_status": "active.evaluation"}, bidding.CALL_NOT_OPEN),
        ({"message": "something else"}, bidding.OTHER),
    ],
)
def test_a_conflict_is_told_apart_by_what_the_api_names_in_it(body, kind):
    assert bidding.conflict_kind(body) == kind


def test_only_files_uploaded_to_the_bid_are_listed_as_its_documents():
    bid = {"documents": [{"document_id": 5, "sha256": "a" * 64}, {"title": "named only", "sha256": None}]}
    assert bidding.bid_documents(bid) == [{"document_id": 5, "sha256": "a" * 64}]
