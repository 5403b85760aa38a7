"""Complaint use cases: bidders complain during the standstill; the authority or an operator resolves."""

from __future__ import annotations

from sqlalchemy import select

from services.common.errors import Conflict, Forbidden, Invalid, NotFound
from services.contracting.adapters.orm_evaluation import Award, Bid, Complaint
from services.contracting.domain import tender_status
from services.contracting.service_layer import awards
from services.contracting.service_layer.base import Call, event, lifecycle_of, load_tender, record
from services.contracting.service_layer.commands import LodgeComplaint

PENDING = "pending"
UPHELD = "upheld"
REJECTED = "rejected"


def lodge(call: Call, tender_id: int, complaint: LodgeComplaint) -> Complaint:
    """Only a bidder of this tender, only while the standstill runs (by the server clock)."""
    with call.uow:
        tender = load_tender(call, tender_id)
        lifecycle_of(call.uow.session, tender).check_complaint_window(call.now)
        provider_id = call.principal.provider_id
        bidder = call.uow.session.scalars(
            select(Bid.id).where(Bid.tender_id == tender.id, Bid.provider_id == provider_id, Bid.status == "active")
        ).first()
        if bidder is None:
            raise Forbidden("only bidders of this tender may complain about it")
        award_id = complaint.award_id
        if award_id is not None:
            award = call.uow.session.get(Award, award_id)
            if award is None or award.tender_id != tender.id:
                raise Invalid("award_id", f"award {award_id} is not an award of this tender")
        filed = Complaint(
            tender_id=tender.id,
            award_id=award_id,
            provider_id=provider_id,
            filed_by=call.principal.subject,
            title=complaint.title,
            description=complaint.description,
            status=PENDING,
            filed_at=call.now,
        )
        call.uow.session.add(filed)
        call.uow.session.flush()
        payload = event(call, tender, complaint_id=filed.id, award_id=award_id, provider_id=provider_id)
        record(call, tender, "lodge_complaint", payload, "complaint.lodged")
        call.uow.commit()
        return filed


def resolve(call: Call, tender_id: int, complaint_id: int, decision: str, reasons: str) -> Complaint:
    """Upheld: the award falls and the tender goes back to evaluation. Rejected: the standstill may end."""
    with call.uow:
        tender = load_tender(call, tender_id)
        complaint = call.uow.session.get(Complaint, complaint_id)
        if complaint is None or complaint.tender_id != tender.id:
            raise NotFound(f"complaint {complaint_id} does not exist")
        if complaint.status != PENDING:
            raise Conflict(f"complaint {complaint_id} is already {complaint.status}", current_status=complaint.status)
        complaint.status, complaint.resolution = decision, reasons
        complaint.resolved_by, complaint.resolved_at = call.principal.subject, call.now
        payload = event(call, tender, complaint_id=complaint.id, award_id=complaint.award_id, reasons=reasons)
        record(call, tender, f"{decision}_complaint", payload, f"complaint.{decision}")
        if decision == UPHELD:
            _reopen(call, tender, complaint, reasons)
        call.uow.commit()
        return complaint


def _reopen(call: Call, tender, complaint: Complaint, reasons: str) -> None:
    reason = f"complaint {complaint.id} upheld: {reasons}"
    live = awards.live_awards(call, tender)
    targets = [a for a in live if complaint.award_id in (None, a.id)]
    for award in targets:
        award.status, award.cancelled_at, award.cancellation_reason = "cancelled", call.now, reason
        payload = event(call, tender, **awards.award_view(award), reason=reason, declined=False, replacement=None)
        record(call, tender, "cancel_award", payload, "award.cancelled")
    if tender.status == tender_status.STANDSTILL:
        tender.status = tender_status.transition(tender.status, "reopen_evaluation")
        tender.standstill_end = None
        record(call, tender, "reopen_evaluation", event(call, tender, reason=reason), "tender.reopen_evaluation")


def visible_complaints(call: Call, tender_id: int) -> list[Complaint]:
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        query = select(Complaint).where(Complaint.tender_id == tender.id).order_by(Complaint.id)
        if call.role == "cso":
            query = query.where(Complaint.provider_id == call.principal.provider_id)
        return list(call.uow.session.scalars(query))
