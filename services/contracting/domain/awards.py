"""Awards by rank while places and budget remain, up to max_awards; the same rule fills a slot a cascade frees."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.contracting.domain.eligibility import TermGap
from services.contracting.domain.ranking import DISQUALIFIED, INELIGIBLE, RANKED, RankedBid

PENDING = "pending"
ACTIVE = "active"
CANCELLED = "cancelled"
LIVE = (PENDING, ACTIVE)

AWARDED = "awarded"
NOT_AWARDED = "not_awarded"

# Why a call ended without a winner: the unsuccessful notice tells its bidders (notifications words each code).
NO_BIDS = "no_bids"
NO_ELIGIBLE_BID = "no_eligible_bid"
BELOW_QUALITY_FLOOR = "below_quality_floor"
NO_BID_FITS = "no_bid_fits"  # ranked bids, but none fitted the lot's places or budget
AWARDS_CANCELLED = "awards_cancelled"  # a cascade ran out of bids


@dataclass(frozen=True)
class LotCapacity:
    places: int
    budget: Decimal | None
    max_awards: int


@dataclass(frozen=True)
class LiveAward:
    bid_id: int
    places: int
    value: Decimal
    slot: int


@dataclass(frozen=True)
class AwardChoice:
    bid_id: int
    provider_id: int
    rank: int
    places: int
    value: Decimal
    slot: int


def fill_awards(
    ranked: list[RankedBid], lot: LotCapacity, live: list[LiveAward], excluded: set[int]
) -> list[AwardChoice]:
    """New awards for the free slots, best rank first, each fitting the places and budget still left.

    A bid that does not fit is passed over (a later, smaller bid may fit); a bid already holding a live award
    or excluded (disqualified, withdrawn, complained against) is never awarded, so no places are awarded twice.
    """
    places_left = lot.places - sum(a.places for a in live)
    budget_left = None if lot.budget is None else lot.budget - sum((a.value for a in live), Decimal(0))
    free_slots = sorted(set(range(1, lot.max_awards + 1)) - {a.slot for a in live})
    holding = {a.bid_id for a in live}
    choices = []
    for entry in (r for r in ranked if r.result == RANKED):
        bid = entry.bid
        if not free_slots:
            break
        if bid.bid_id in holding or bid.bid_id in excluded or bid.places > places_left:
            continue
        if budget_left is not None and bid.price > budget_left:
            continue
        choices.append(AwardChoice(bid.bid_id, bid.provider_id, entry.rank, bid.places, bid.price, free_slots.pop(0)))
        places_left -= bid.places
        if budget_left is not None:
            budget_left -= bid.price
    return choices


def term_warning(gap: TermGap | None) -> dict | None:
    """What the department sees on an award whose winner's accreditation ends before the contract would: it may
    still award (the bid was eligible at the deadline), knowing a new accreditation must come before that day."""
    if gap is None:
        return None
    valid_until = gap.valid_until.isoformat() if gap.valid_until else None
    return {"valid_until": valid_until, "contract_end": gap.contract_end.isoformat()}


def result_of(entry: RankedBid, awarded: set[int]) -> str:
    """What a bidder is told: awarded, not awarded (ranked but no room), disqualified or ineligible."""
    if entry.result == RANKED:
        return AWARDED if entry.bid.bid_id in awarded else NOT_AWARDED
    return {DISQUALIFIED: DISQUALIFIED, INELIGIBLE: INELIGIBLE}[entry.result]


def unsuccessful_reason(results: list[str]) -> str:
    """Why the decision awarded nothing, from each bidder's result (ineligible, disqualified, not_awarded)."""
    if not results:
        return NO_BIDS
    if all(result == INELIGIBLE for result in results):
        return NO_ELIGIBLE_BID
    if all(result in (INELIGIBLE, DISQUALIFIED) for result in results):
        return BELOW_QUALITY_FLOOR
    return NO_BID_FITS
