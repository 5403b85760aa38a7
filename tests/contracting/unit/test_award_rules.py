"""Awards by rank within places, budget and max_awards; a freed slot goes to the next bid that fits."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from services.contracting.domain.awards import AWARDED, NOT_AWARDED, LiveAward, LotCapacity, fill_awards, result_of
from services.contracting.domain.ranking import BidFacts, RankedBid

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def ranked(*offers: tuple[int, int, str]) -> list[RankedBid]:
    return [
        RankedBid(BidFacts(bid_id, 100 + bid_id, D(price), places, T0, True), "ranked", rank)
        for rank, (bid_id, places, price) in enumerate(offers, 1)
    ]


def test_one_award_goes_to_the_best_ranked_bid():
    choices = fill_awards(ranked((1, 40, "100"), (2, 40, "90")), LotCapacity(40, D(1000), 1), [], set())
    assert [(c.bid_id, c.slot) for c in choices] == [(1, 1)]


def test_several_awards_fill_places_and_budget_passing_over_what_does_not_fit():
    bids = ranked((1, 20, "500"), (2, 15, "400"), (3, 10, "300"), (4, 5, "50"))
    choices = fill_awards(bids, LotCapacity(40, D(900), 3), [], set())
    # 1 takes 20 places and 500; 2 fits the 20 places and 400 left; 3 needs 10 of 5 places; 4 needs 50 of 0 MDL
    assert [c.bid_id for c in choices] == [1, 2]
    assert sum(c.places for c in choices) <= 40 and sum(c.value for c in choices) <= D(900)


def test_max_awards_caps_the_winners_even_with_room_left():
    bids = ranked((1, 5, "10"), (2, 5, "10"), (3, 5, "10"))
    assert len(fill_awards(bids, LotCapacity(40, D(1000), 2), [], set())) == 2


def test_a_cascade_fills_only_the_freed_slot_and_never_re_awards_an_excluded_or_holding_bid():
    bids = ranked((1, 20, "100"), (2, 20, "100"), (3, 20, "100"))
    live = [LiveAward(2, 20, D(100), 2)]
    choices = fill_awards(bids, LotCapacity(40, None, 2), live, excluded={1})
    assert [(c.bid_id, c.slot) for c in choices] == [(3, 1)]


def test_no_budget_stated_means_places_alone_limit_the_awards():
    choices = fill_awards(ranked((1, 1, "999999")), LotCapacity(1, None, 1), [], set())
    assert [c.bid_id for c in choices] == [1]


def test_a_ranked_bid_without_an_award_is_told_not_awarded():
    entry = ranked((1, 1, "1"))[0]
    assert result_of(entry, {1}) == AWARDED and result_of(entry, set()) == NOT_AWARDED
