"""Competition: calls, bids per call, single-bid and no-bid shares, unsuccessful share, days from publication
to signature, and complaints with their outcomes.

Definitions (each share's denominator is named in its field):
- *calls*: published processes (tender status not ``planned``);
- *bids per call*: mean ``tender.numberOfTenderers`` over the calls whose submissions have closed (the count
  is published at the opening), so a call cancelled before its opening is not counted as a call with no bid;
- *single bid* / *no bid*: calls with exactly one / zero bids, over those same calls;
- *unsuccessful*: calls with status ``unsuccessful`` over calls decided (status complete, unsuccessful or
  cancelled, or a live award); *cancelled* likewise;
- *days to signature*: from ``tender.tenderPeriod.startDate`` (publication) to the first contract's
  ``dateSigned``, per call with a signed contract;
- *complaints*: every complaint on the awards or the tender, by status (pending, upheld, rejected).
Not in the published data: the unsuccessful call's reason, and bids' own statuses (only their count).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.observatory.ocds_read import LIVE_AWARD, Call
from services.portal.domain.observatory.stats import mean, median, share

DECIDED = ("complete", "unsuccessful", "cancelled")


@dataclass(frozen=True)
class SignatureDelay:
    ocid: str
    days: int


@dataclass(frozen=True)
class Competition:
    calls: int
    calls_with_bids_known: int
    bids: int
    bids_per_call: Decimal | None
    single_bid: tuple[str, ...]
    single_bid_share: Decimal | None
    no_bid: tuple[str, ...]
    no_bid_share: Decimal | None
    calls_decided: int
    unsuccessful: tuple[str, ...]
    unsuccessful_share: Decimal | None
    cancelled: tuple[str, ...]
    cancelled_share: Decimal | None
    days_to_signature: tuple[SignatureDelay, ...]
    median_days_to_signature: Decimal | None
    mean_days_to_signature: Decimal | None
    complaints: int
    complaints_by_status: dict[str, int]
    complaint_ocids: tuple[str, ...]
    upheld_share: Decimal | None  # upheld over decided (upheld + rejected)


def bid_count(call: Call) -> int | None:
    """Bids received: the bid extension's count when published, else ``numberOfTenderers``."""
    if call.bids is not None:
        return sum(1 for bid in call.bids if bid.status != "withdrawn")
    return call.number_of_tenderers


def decided(call: Call) -> bool:
    return call.status in DECIDED or any(a.status in LIVE_AWARD for a in call.awards)


def _delay(call: Call) -> SignatureDelay | None:
    signed = [c.signed for c in call.contracts if c.signed is not None]
    if call.published is None or not signed:
        return None
    return SignatureDelay(call.ocid, (min(signed) - call.published).days)


def competition(calls: list[Call]) -> Competition:
    published = [call for call in calls if call.status != "planned"]
    counted = [(call, bid_count(call)) for call in published if bid_count(call) is not None]
    settled = [call for call in published if decided(call)]
    delays = [d for d in map(_delay, published) if d is not None]
    complaints = [(call.ocid, c) for call in published for c in call.complaints]
    statuses = Counter(c.status for _ocid, c in complaints)
    single = tuple(call.ocid for call, count in counted if count == 1)
    none = tuple(call.ocid for call, count in counted if count == 0)
    unsuccessful = tuple(call.ocid for call in settled if call.status == "unsuccessful")
    cancelled = tuple(call.ocid for call in settled if call.status == "cancelled")
    total_bids = sum(count for _call, count in counted)
    return Competition(
        calls=len(published),
        calls_with_bids_known=len(counted),
        bids=total_bids,
        bids_per_call=mean([Decimal(count) for _call, count in counted]),
        single_bid=single,
        single_bid_share=share(len(single), len(counted)),
        no_bid=none,
        no_bid_share=share(len(none), len(counted)),
        calls_decided=len(settled),
        unsuccessful=unsuccessful,
        unsuccessful_share=share(len(unsuccessful), len(settled)),
        cancelled=cancelled,
        cancelled_share=share(len(cancelled), len(settled)),
        days_to_signature=tuple(delays),
        median_days_to_signature=median([Decimal(d.days) for d in delays]),
        mean_days_to_signature=mean([Decimal(d.days) for d in delays]),
        complaints=len(complaints),
        complaints_by_status=dict(sorted(statuses.items())),
        complaint_ocids=tuple(sorted({ocid for ocid, _c in complaints})),
        upheld_share=share(statuses["upheld"], statuses["upheld"] + statuses["rejected"]),
    )
