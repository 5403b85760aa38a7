"""Ranking one lot's bids: price and quality scores, weighted totals, minimums, tie-breaks. Pure arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.contracting.domain.criteria import PRICE, QUALITY, Criterion

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

RANKED = "ranked"
DISQUALIFIED = "disqualified"
INELIGIBLE = "ineligible"


@dataclass(frozen=True)
class BidFacts:
    bid_id: int
    provider_id: int
    price: Decimal
    places: int
    submitted_at: datetime
    eligible: bool
    ineligible_reason: str | None = None


@dataclass(frozen=True)
class RankedBid:
    bid: BidFacts
    result: str
    rank: int | None = None
    total: Decimal | None = None
    quality_total: Decimal | None = None
    scores: dict[int, Decimal] = field(default_factory=dict)
    reason: str | None = None


def mean(values: list[Decimal]) -> Decimal:
    """The committee's score for a criterion: the mean over its sitting members."""
    if not values:
        raise ValueError("a quality criterion without scores cannot be ranked")
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT)


def rank_lot(
    criteria: list[Criterion], bids: list[BidFacts], quality_scores: dict[tuple[int, int], list[Decimal]]
) -> list[RankedBid]:
    """Ranked bids first (rank 1 is best), then the disqualified, then the ineligible.

    Quality minimums are applied first; the lowest price is then taken among the bids still in, so a cheap
    bid that fails on quality does not depress everyone else's price score.
    """
    out = [RankedBid(b, INELIGIBLE, reason=b.ineligible_reason) for b in bids if not b.eligible]
    scored = {b.bid_id: _quality(criteria, b, quality_scores) for b in bids if b.eligible}
    survivors = []
    for bid in (b for b in bids if b.eligible):
        failed = _below_minimum(criteria, scored[bid.bid_id])
        if failed:
            out.append(RankedBid(bid, DISQUALIFIED, scores=scored[bid.bid_id], reason=failed))
        else:
            survivors.append(bid)
    priced = _with_price_scores(criteria, survivors, scored)
    ranked, disqualified = [], []
    for bid in survivors:
        failed = _below_minimum(criteria, priced[bid.bid_id])
        target = disqualified if failed else ranked
        target.append(_totals(criteria, bid, priced[bid.bid_id], failed))
    ranked.sort(key=lambda r: (-r.total, -r.quality_total, r.bid.submitted_at, r.bid.bid_id))
    ranked = [RankedBid(r.bid, RANKED, i, r.total, r.quality_total, r.scores) for i, r in enumerate(ranked, 1)]
    return ranked + disqualified + out


def _quality(criteria, bid: BidFacts, quality_scores) -> dict[int, Decimal]:
    return {c.id: mean(quality_scores.get((bid.bid_id, c.id), [])) for c in criteria if c.kind == QUALITY}


def _with_price_scores(criteria, survivors: list[BidFacts], scored) -> dict[int, dict[int, Decimal]]:
    price_criteria = [c for c in criteria if c.kind == PRICE]
    if not survivors or not price_criteria:
        return {b.bid_id: dict(scored[b.bid_id]) for b in survivors}
    lowest = min(b.price for b in survivors)
    return {
        b.bid_id: {**scored[b.bid_id], **{c.id: (lowest / b.price * HUNDRED).quantize(CENT) for c in price_criteria}}
        for b in survivors
    }


def _below_minimum(criteria, scores: dict[int, Decimal]) -> str | None:
    for c in criteria:
        if c.minimum is not None and c.id in scores and scores[c.id] < c.minimum:
            return f"scored {scores[c.id]} on '{c.name}', below its minimum of {c.minimum}"
    return None


def _totals(criteria, bid: BidFacts, scores: dict[int, Decimal], failed: str | None) -> RankedBid:
    weighted = {c.id: scores[c.id] * c.weight / HUNDRED for c in criteria}
    total = sum(weighted.values(), Decimal(0)).quantize(CENT)
    quality_total = sum((weighted[c.id] for c in criteria if c.kind == QUALITY), Decimal(0)).quantize(CENT)
    return RankedBid(bid, DISQUALIFIED if failed else RANKED, None, total, quality_total, scores, failed)
