"""Bid use cases: submit, modify, withdraw, re-confirm (sealed, before the deadline) and open at the close."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import and_, bindparam, select

from services.common.errors import Conflict, Forbidden, Invalid, NotFound
from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_evaluation import Bid
from services.contracting.adapters.orm_tendering import Criterion, Lot, Tender
from services.contracting.domain import bids as rules
from services.contracting.domain import tender_status
from services.contracting.domain.bids import Receipt
from services.contracting.domain.criteria import QUALITY
from services.contracting.service_layer.base import UNREAD, Call, audit_head, event, load_tender, money, record, utc
from services.contracting.service_layer.commands import WriteBid
from services.contracting.service_layer.eligibility import eligible_provider_ids


def bid_document(bid: Bid) -> dict:
    """The canonical bid document its receipt hashes with the time (and its author reads back).

    ``documents`` lists the bid's files: those uploaded to it (with their ``document_id`` and the platform's own
    SHA-256 of the bytes stored) and those it only names (with the bidder's hash); every entry's ``sha256`` is
    hashed into every receipt, so a receipt also proves which documents came with the bid."""
    return {
        "tender_id": bid.tender_id,
        "lot_id": bid.lot_id,
        "provider_id": bid.provider_id,
        "status": bid.status,
        "unit_price": money(bid.unit_price),
        "places": bid.places,
        "price": money(bid.price),
        "quality_text": bid.quality_text,
        "quality_answers": bid.quality_answers,
        "documents": bid.documents,
    }


def submit_bid(call: Call, tender_id: int, offer: WriteBid) -> tuple[Bid, Receipt]:
    with call.uow:
        tender = load_tender(call, tender_id)
        rules.check_window(tender.status, utc(tender.submission_deadline), call.now)
        provider_id = _provider_id(call)
        context = _offer_context(call, tender, offer.lot_id, provider_id)
        bid = context.earlier_bid
        if bid is not None and bid.status == rules.ACTIVE:
            raise Conflict(f"you already have bid {bid.id} on this lot: modify it instead", bid_id=bid.id)
        if bid is None:
            bid = Bid(tender_id=tender.id, provider_id=provider_id, lot_id=offer.lot_id)
        bid.submitted_at = call.now
        _write(call, context, bid, offer)
        call.uow.session.add(bid)
        return commit_bid_change(call, tender, bid, "submit_bid", "bid.submitted", context.audit_head)


def modify_bid(call: Call, tender_id: int, bid_id: int, offer: WriteBid) -> tuple[Bid, Receipt]:
    with call.uow:
        tender, bid = _own_standing_bid(call, tender_id, bid_id)
        context = _offer_context(call, tender, offer.lot_id, bid.provider_id)
        if context.lot.id != bid.lot_id:
            raise Invalid("lot_id", "a bid stays on its lot; withdraw it and bid on the other lot")
        _write(call, context, bid, offer)
        return commit_bid_change(call, tender, bid, "modify_bid", "bid.modified", context.audit_head)


def withdraw_bid(call: Call, tender_id: int, bid_id: int) -> tuple[Bid, Receipt]:
    with call.uow:
        tender, bid = _own_standing_bid(call, tender_id, bid_id)
        bid.status = rules.WITHDRAWN
        bid.updated_at = call.now
        return commit_bid_change(call, tender, bid, "withdraw_bid", "bid.withdrawn")


def reconfirm_bid(call: Call, tender_id: int, bid_id: int) -> tuple[Bid, Receipt]:
    """After a material amendment: the author confirms the bid stands as it is."""
    with call.uow:
        tender, bid = _own_standing_bid(call, tender_id, bid_id)
        bid.needs_reconfirmation = False
        bid.updated_at = call.now
        return commit_bid_change(call, tender, bid, "reconfirm_bid", "bid.reconfirmed")


def _provider_id(call: Call) -> int:
    if call.principal.provider_id is None:
        raise Forbidden("your token names no provider: only a CSO account may bid")
    return int(call.principal.provider_id)


def _own_standing_bid(call: Call, tender_id: int, bid_id: int) -> tuple[Tender, Bid]:
    tender = load_tender(call, tender_id)
    return tender, own_standing_bid(call, tender, bid_id)


def own_standing_bid(call: Call, tender: Tender, bid_id: int | None) -> Bid:
    """The caller's own active bid on the (locked) tender, while bids are taken; a bid not theirs does not exist."""
    bid = call.uow.session.get(Bid, bid_id or 0)
    if bid is None or bid.tender_id != tender.id or bid.provider_id != _provider_id(call):
        raise NotFound(f"bid {bid_id} does not exist")
    rules.check_window(tender.status, utc(tender.submission_deadline), call.now)
    if bid.status != rules.ACTIVE:
        raise Conflict(f"bid {bid_id} is {bid.status}: submit a new one", current_status=bid.status)
    return bid


@dataclass(frozen=True)
class _OfferContext:
    lot: Lot
    earlier_bid: Bid | None  # the provider's own bid on the lot
    quality: set[int]  # ids of the tender's quality criteria
    audit_head: AuditLogEntry | None


# Built once, with parameters: building this select (and its cache key) on every bid cost more than the two
# statements it saves.
_OFFER_CONTEXT = (
    select(Lot, Bid, Criterion.id, AuditLogEntry)
    .select_from(Lot)
    .outerjoin(Bid, and_(Bid.lot_id == Lot.id, Bid.provider_id == bindparam("provider_id")))
    .outerjoin(Criterion, and_(Criterion.tender_id == Lot.tender_id, Criterion.kind == QUALITY))
    .outerjoin(AuditLogEntry, audit_head(bindparam("tender_id")))
    .where(Lot.id == bindparam("lot_id"))
)


def _offer_context(call: Call, tender: Tender, lot_id: int, provider_id: int) -> _OfferContext:
    """What a bid is checked against and recorded after, in one query with the tender locked: the lot it names
    (checked before anything else about it), the provider's earlier bid on that lot, the quality criteria and
    the audit chain's head. Under 50 clients a bid's time was mostly its statements, eight of them
    (bench/README.md, "api")."""
    parameters = {"lot_id": lot_id, "provider_id": provider_id, "tender_id": tender.id}
    rows = call.uow.session.execute(_OFFER_CONTEXT, parameters).all()
    if not rows or rows[0][0].tender_id != tender.id:
        raise Invalid("lot_id", f"lot {lot_id} is not a lot of tender {tender.id}")
    lot, bid, _, head = rows[0]
    return _OfferContext(lot, bid, {row[2] for row in rows if row[2] is not None}, head)


def _write(call: Call, context: _OfferContext, bid: Bid, offer: WriteBid) -> None:
    answers = offer.quality_answers
    rules.check_offer(offer.places, context.lot.places, {a.criterion_id for a in answers}, context.quality)
    price = rules.bid_price(offer.unit_price, offer.places)
    rules.check_budget(offer.unit_price, offer.places, price, context.lot.budget)
    bid.status = rules.ACTIVE
    bid.submitted_by = call.principal.subject
    bid.unit_price = offer.unit_price
    bid.places = offer.places
    bid.price = price
    bid.quality_text = offer.quality_text
    bid.quality_answers = [asdict(a) for a in sorted(answers, key=lambda a: a.criterion_id)]
    # Files stored here (uploaded to the bid: service_layer/documents.py) stay; the ones it names are as sent.
    stored = [entry for entry in bid.documents or [] if "document_id" in entry]
    bid.documents = [*stored, *offer.documents]
    bid.needs_reconfirmation = False
    bid.updated_at = call.now


def commit_bid_change(
    call: Call, tender: Tender, bid: Bid, action: str, event_type: str, head: object = UNREAD
) -> tuple[Bid, Receipt]:
    """A new receipt for the bid as it now stands, its sealed event and audit entry, committed (``head``:
    see ``record``)."""
    receipt = rules.receipt(bid_document(bid), call.now)
    bid.receipt_sha256 = receipt.sha256
    call.uow.session.flush()
    # The event names who bid (notifications sends the receipt) but never what: the bid stays sealed.
    fields = {"bid_id": bid.id, "lot_id": bid.lot_id, "provider_id": bid.provider_id}
    payload = event(call, tender, **fields, receipt_sha256=receipt.sha256, received_at=call.now.isoformat())
    record(call, tender, action, payload, event_type, head=head)
    call.uow.commit()
    return bid, receipt


def open_bids(call: Call, tender: Tender) -> dict:
    """At the close: each standing bid's eligibility from the local replica, valid on the deadline's day."""
    on = utc(tender.submission_deadline).date()
    eligible = set(eligible_provider_ids(call.uow.session, tender.service_type, tender.district_code, on))
    standing = call.tenders.bids(tender.id, rules.ACTIVE)
    for bid in standing:
        bid.eligible, bid.eligibility_reason = _eligibility(bid, tender, eligible, on)
    return {"bids_received": len(standing), "bids_eligible": sum(1 for b in standing if b.eligible)}


def _eligibility(bid: Bid, tender: Tender, eligible: set[int], on) -> tuple[bool, str | None]:
    if bid.needs_reconfirmation:
        return False, "not re-confirmed after the tender was amended"
    if bid.provider_id not in eligible:
        return False, (
            f"not accredited for {tender.service_type} on {on.isoformat()}, not active, "
            f"or not serving {tender.district_code} (registry data as replicated)"
        )
    return True, None


def is_sealed(tender: Tender) -> bool:
    """Before the opening, bids are sealed (the opening runs at the first due check after the deadline)."""
    return tender.status in (tender_status.DRAFT, *tender_status.BIDDING)
