"""Ranking arithmetic: price and quality scores, weighted totals, minimums and tie-breaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from services.contracting.domain.criteria import Criterion
from services.contracting.domain.ranking import BidFacts, mean, rank_lot

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
PRICE = Criterion(1, "price", "Preț", 40)
QUALITY = Criterion(2, "quality", "Calitate", 60, minimum=D("50"))


def bid(bid_id: int, price: str, minutes: int = 0, eligible: bool = True) -> BidFacts:
    return BidFacts(bid_id, 100 + bid_id, D(price), 10, T0 + timedelta(minutes=minutes), eligible, None)


def test_price_scores_are_lowest_over_price_times_100_and_totals_are_weighted():
    ranked = rank_lot([PRICE, QUALITY], [bid(1, "300"), bid(2, "200")], {(1, 2): [D(90)], (2, 2): [D(60)]})
    assert [(r.bid.bid_id, r.scores[1], r.total) for r in ranked] == [(1, D("66.67"), D("80.67")), (2, D(100), D(76))]


def test_quality_is_the_mean_over_the_committee():
    assert mean([D(70), D(80), D(95)]) == D("81.67")


def test_a_bid_below_a_minimum_is_out_and_does_not_set_the_lowest_price():
    ranked = rank_lot([PRICE, QUALITY], [bid(1, "100"), bid(2, "200")], {(1, 2): [D(40)], (2, 2): [D(80)]})
    out = next(r for r in ranked if r.bid.bid_id == 1)
    assert out.result == "disqualified" and "below its minimum of 50" in out.reason
    winner = next(r for r in ranked if r.bid.bid_id == 2)
    assert (winner.rank, winner.scores[1]) == (1, D(100))


def test_equal_totals_go_to_the_higher_quality_total_then_the_earlier_submission():
    criteria = [Criterion(1, "price", "Preț", 50), Criterion(2, "quality", "Calitate", 50)]
    # 1: 100 price + 60 quality = 80; 2: 60 price (lowest 60/100) + 100 quality = 80 -> 2 wins on quality
    ranked = rank_lot(criteria, [bid(1, "60"), bid(2, "100")], {(1, 2): [D(60)], (2, 2): [D(100)]})
    assert [r.bid.bid_id for r in ranked] == [2, 1] and ranked[0].total == ranked[1].total
    same = rank_lot(criteria, [bid(1, "100", minutes=5), bid(2, "100", minutes=1)], {(1, 2): [D(70)], (2, 2): [D(70)]})
    assert [r.bid.bid_id for r in same] == [2, 1]


def test_ineligible_bids_are_listed_last_with_their_reason_and_unranked():
    ineligible = BidFacts(3, 103, D(50), 10, T0, False, "not accredited")
    ranked = rank_lot([PRICE, QUALITY], [ineligible, bid(1, "100")], {(1, 2): [D(70)]})
    assert [(r.bid.bid_id, r.result, r.rank) for r in ranked] == [(1, "ranked", 1), (3, "ineligible", None)]
    assert ranked[1].reason == "not accredited"
