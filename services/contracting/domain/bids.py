"""Bid rules: the price a bid states, the window it may be written in, and its receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.common.errors import Conflict, Invalid
from services.contracting.domain import tender_status
from services.contracting.domain.canonical import sha256_of

CENT = Decimal("0.01")
# The largest amount the platform records, as every money field (bani in a BIGINT hold ~9.2e16 MDL)
MAX_PRICE = Decimal("999999999999.99")
ACTIVE = "active"
WITHDRAWN = "withdrawn"


def bid_price(unit_price: Decimal, places: int) -> Decimal:
    """The price of a bid: unit price (per place, for the lot's duration) times the places offered."""
    price = (unit_price * places).quantize(CENT)
    if price > MAX_PRICE:
        raise Invalid(
            "unit_price", f"unit price x {places} places = {price} MDL, above the {MAX_PRICE} MDL a bid may state"
        )
    return price


def check_budget(unit_price: Decimal, places: int, price: Decimal, budget: Decimal | None) -> None:
    """The lot's budget is the ceiling (Moldovan practice): a bid's total price may not exceed it."""
    if budget is not None and price > budget:
        raise Invalid(
            "unit_price",
            f"unit price {unit_price} MDL x {places} places = {price} MDL, above the lot's budget of {budget} MDL: "
            "a bid's total price may not exceed its lot's budget (the unit price is per place, for the lot's "
            "whole duration)",
        )


def check_window(status: str, submission_deadline: datetime, now: datetime) -> None:
    """Bids are written only while the server clock is before the deadline, whether or not the closing ran."""
    if now >= submission_deadline:
        raise Conflict(
            f"the submission deadline {submission_deadline.isoformat()} has passed; bids are closed",
            submission_deadline=submission_deadline.isoformat(),
            server_time=now.isoformat(),
        )
    if status not in tender_status.BIDDING:
        raise Conflict(f"tender is {status!r}: it takes no bids", current_status=status)


def check_offer(places_offered: int, lot_places: int, answered: set[int], quality_criteria: set[int]) -> None:
    if places_offered > lot_places:
        raise Invalid("places", f"the lot has {lot_places} places; you offered {places_offered}")
    unknown = answered - quality_criteria
    if unknown:
        raise Invalid("quality_answers", f"criteria {sorted(unknown)} are not quality criteria of this tender")
    missing = quality_criteria - answered
    if missing:
        raise Invalid("quality_answers", f"answer every quality criterion; missing {sorted(missing)}")


@dataclass(frozen=True)
class Receipt:
    sha256: str
    received_at: datetime


def receipt(document: dict, received_at: datetime) -> Receipt:
    """What the bidder keeps as proof of what it submitted and when: the SHA-256 of the canonical bid document
    with the server time added as ``received_at`` (ISO 8601 UTC, exactly as the receipt states it), so the same
    offer made at two times has two receipts, and neither can be passed off as made at another time."""
    return Receipt(sha256_of({**document, "received_at": received_at.isoformat()}), received_at)
