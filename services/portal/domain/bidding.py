"""A CSO's bid as the portal shows it: the total the API will compute, the lot's budget, and what may be done when.

The contracting API is the judge (services/contracting/domain/bids.py); the portal computes the same total the
same way (unit price per place for the lot's whole duration, times the places, to the ban) so the person sees it
before submitting, and offers only the actions the API would accept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from services.portal.domain.deadlines import parse_moment
from services.portal.domain.money import as_decimal

CENT = Decimal("0.01")
# The largest amount the platform records (the API refuses a larger total)
MAX_PRICE = Decimal("999999999999.99")
# A call takes bids while it is at these statuses (and the server clock is before its deadline)
BIDDING_STATUSES = ("active.enquiries", "active.tendering")
ACTIVE, WITHDRAWN = "active", "withdrawn"
BID_STATUSES = (ACTIVE, WITHDRAWN)


@dataclass(frozen=True)
class Lot:
    id: int
    number: int
    title: str
    places: int
    budget: Decimal | None
    duration_months: int

    @classmethod
    def from_api(cls, row: dict) -> Lot:
        return cls(
            id=int(row["id"]),
            number=int(row.get("number") or 0),
            title=row.get("title") or "",
            places=int(row.get("places") or 0),
            budget=as_decimal(row.get("budget")),
            duration_months=int(row.get("duration_months") or 0),
        )


@dataclass(frozen=True)
class QualityCriterion:
    id: int
    number: int
    name: str
    weight: int


def quality_criteria(criteria: list[dict]) -> list[QualityCriterion]:
    """The call's quality criteria in their order: the bid answers each one (the price criterion needs no answer)."""
    found = [
        QualityCriterion(int(c["id"]), int(c.get("number") or 0), c.get("name") or "", int(c.get("weight") or 0))
        for c in criteria
        if c.get("kind") == "quality"
    ]
    return sorted(found, key=lambda criterion: (criterion.number, criterion.id))


def parse_unit_price(text: str | None) -> Decimal | None:
    """An amount as people type it ("12 500,50", "12500.5"): None unless positive with at most two decimals."""
    amount = as_decimal((text or "").strip())
    try:
        if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
            return None
    except InvalidOperation:
        return None
    return amount if amount <= MAX_PRICE else None


def bid_total(unit_price: Decimal, places: int) -> Decimal:
    """The bid's price as the API computes it: unit price (per place, whole duration) x places, to the ban."""
    return (unit_price * places).quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class PriceCheck:
    """The total against the lot: what the page shows beside the form and on "check your answers"."""

    unit_price: Decimal
    places: int
    total: Decimal
    budget: Decimal | None
    lot_places: int
    duration_months: int

    @property
    def within_budget(self) -> bool:
        return self.budget is None or self.total <= self.budget

    @property
    def over_budget_by(self) -> Decimal:
        return max(Decimal(0), self.total - self.budget) if self.budget is not None else Decimal(0)

    @property
    def too_many_places(self) -> bool:
        return self.places > self.lot_places

    @property
    def per_place_per_month(self) -> Decimal | None:
        """Only to help the reader compare: the API knows no monthly price (the unit price is for the duration)."""
        if self.places <= 0 or self.duration_months <= 0:
            return None
        return (self.total / self.places / self.duration_months).quantize(CENT, rounding=ROUND_HALF_EVEN)

    @property
    def acceptable(self) -> bool:
        return self.within_budget and not self.too_many_places and self.total <= MAX_PRICE


def price_check(unit_price: Decimal, places: int, lot: Lot) -> PriceCheck:
    return PriceCheck(unit_price, places, bid_total(unit_price, places), lot.budget, lot.places, lot.duration_months)


def price_check_from_text(unit_price: str | None, places: str | int | None, lot: Lot | None) -> PriceCheck | None:
    """The check for what is typed so far; None while the lot, the price or the places are not there yet."""
    amount = parse_unit_price(unit_price)
    try:
        count = int(str(places).strip()) if places not in (None, "") else None
    except ValueError:
        count = None
    if lot is None or amount is None or count is None or count < 1:
        return None
    return price_check(amount, count, lot)


@dataclass(frozen=True)
class Offer:
    """What the person wants to bid, ready for the API (POST or PUT /tenders/<id>/bids)."""

    lot_id: int
    unit_price: Decimal
    places: int
    quality_text: str
    answers: dict[int, str] = field(default_factory=dict)  # criterion id -> answer

    def api_payload(self) -> dict:
        return {
            "lot_id": self.lot_id,
            "unit_price": str(self.unit_price),
            "places": self.places,
            "quality_text": self.quality_text,
            "quality_answers": [
                {"criterion_id": criterion_id, "answer": answer}
                for criterion_id, answer in sorted(self.answers.items())
            ],
        }


def is_open_for_bids(tender_status: str | None, submission_deadline: object, now: datetime) -> bool:
    """Bids are written while the call is at a bidding status and the clock is before the deadline."""
    deadline = parse_moment(submission_deadline)
    return tender_status in BIDDING_STATUSES and deadline is not None and now < deadline


@dataclass(frozen=True)
class BidActions:
    """What the person may do with one bid now (the API would refuse the rest)."""

    edit: bool = False
    withdraw: bool = False
    documents: bool = False
    reconfirm: bool = False
    bid_again: bool = False


def allowed_actions(bid: dict, tender_status: str | None, submission_deadline: object, now: datetime) -> BidActions:
    """Change, withdraw, add documents while the bid stands and the call is open; once withdrawn, a new bid may be
    made on the same lot (until the deadline); re-confirm only when an amendment asks for it."""
    if not is_open_for_bids(tender_status, submission_deadline, now):
        return BidActions()
    if bid.get("status") == ACTIVE:
        return BidActions(edit=True, withdraw=True, documents=True, reconfirm=bool(bid.get("needs_reconfirmation")))
    if bid.get("status") == WITHDRAWN:
        return BidActions(bid_again=True)
    return BidActions()


def lots_open_to_new_bid(lots: list[Lot], own_bids: list[dict]) -> list[Lot]:
    """A CSO has at most one standing bid per lot: it bids on a lot where it has none (or only a withdrawn one)."""
    taken = {int(bid["lot_id"]) for bid in own_bids if bid.get("status") == ACTIVE}
    return [lot for lot in lots if lot.id not in taken]


def standing_bid_on(lot_id: int, own_bids: list[dict]) -> dict | None:
    return next((b for b in own_bids if int(b["lot_id"]) == lot_id and b.get("status") == ACTIVE), None)


# Why the API answered 409 to a bid's write, as the page words it
DEADLINE_PASSED = "deadline_passed"
ALREADY_BID = "already_bid"
BID_NOT_STANDING = "bid_not_standing"
CALL_NOT_OPEN = "call_not_open"
OTHER = "other"


def conflict_kind(body: dict) -> str:
    """The API's 409 body names what stands in the way (services/contracting/service_layer/bids.py)."""
    if "submission_deadline" in body:
        return DEADLINE_PASSED
    if "bid_id" in body:
        return ALREADY_BID
    status = body.get("current_status")
    if status in BID_STATUSES or status == "invalid":
        return BID_NOT_STANDING
    if status:
        return CALL_NOT_OPEN
    return OTHER


def bid_documents(bid: dict) -> list[dict]:
    """The files uploaded to the bid (they carry a document id); files it only names have none."""
    return [entry for entry in bid.get("documents") or [] if entry.get("document_id")]
