"""Tender use cases: create a draft, publish it, apply due transitions, invite eligible providers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from services.common.auth import Principal
from services.common.errors import Forbidden, Invalid, InvalidTransition, NotFound
from services.common.unit_of_work import UnitOfWork
from services.contracting.adapters.orm import Invitation, Tender
from services.contracting.domain import tender_status
from services.contracting.service_layer.eligibility import eligible_provider_ids


def ocid(prefix: str, tender_id: int) -> str:
    return f"{prefix}-{tender_id}"


def tender_payload(tender: Tender, prefix: str) -> dict:
    return {
        "tender_id": tender.id,
        "ocid": ocid(prefix, tender.id),
        "district_code": tender.district_code,
        "service_type": tender.service_type,
        "title": tender.title,
        "status": tender.status,
        "enquiry_end": _utc(tender.enquiry_end).isoformat(),
        "submission_deadline": _utc(tender.submission_deadline).isoformat(),
    }


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def deadlines(tender: Tender) -> dict[str, datetime]:
    return {"enquiry_end": _utc(tender.enquiry_end), "submission_deadline": _utc(tender.submission_deadline)}


def _load_for(uow: UnitOfWork, tender_id: int, principal: Principal | None) -> Tender:
    tender = uow.session.get(Tender, tender_id)
    if tender is None or (
        principal and principal.role == "authority" and tender.district_code != principal.district_code
    ):
        # Another district's tender is reported as absent, not forbidden: its existence is not ours to leak.
        raise NotFound(f"tender {tender_id} does not exist")
    return tender


def create_tender(uow: UnitOfWork, principal: Principal, data: dict, now: datetime) -> Tender:
    with uow:
        if data["district_code"] != principal.district_code:
            raise Forbidden(f"you may create tenders only for district {principal.district_code}")
        if not now < data["enquiry_end"] < data["submission_deadline"]:
            raise Invalid("submission_deadline", "need now < enquiry_end < submission_deadline")
        tender = Tender(**data, status=tender_status.DRAFT, created_by=principal.subject, created_at=now)
        uow.session.add(tender)
        uow.commit()
        return tender


def publish_tender(uow: UnitOfWork, principal: Principal, tender_id: int, prefix: str, now: datetime) -> Tender:
    with uow:
        tender = _load_for(uow, tender_id, principal)
        tender.status = tender_status.transition(tender.status, "publish")
        if _utc(tender.enquiry_end) <= now:
            raise Invalid("enquiry_end", "the enquiry period has already ended; move it before publishing")
        tender.published_at = now
        uow.emit("tender.published", tender_payload(tender, prefix), correlation_id=ocid(prefix, tender.id))
        uow.commit()
        return tender


def apply_due_transitions(uow: UnitOfWork, tender_id: int, prefix: str, now: datetime) -> tuple[Tender, list[str]]:
    """Every time-based transition due now; running it twice changes nothing the second time."""
    with uow:
        tender = _load_for(uow, tender_id, None)
        applied = tender_status.due_transitions(tender.status, deadlines(tender), now)
        for action in applied:
            tender.status = tender_status.transition(tender.status, action)
            uow.emit(f"tender.{action}", tender_payload(tender, prefix), correlation_id=ocid(prefix, tender.id))
        uow.commit()
        return tender, applied


def invite_eligible(uow: UnitOfWork, tender_id: int, prefix: str, now: datetime) -> list[int]:
    """Invite every eligible provider not yet invited; returns the newly invited (none on a repeat)."""
    with uow:
        tender = _load_for(uow, tender_id, None)
        if tender.status not in (tender_status.ENQUIRIES, tender_status.TENDERING):
            raise InvalidTransition(
                "tender",
                tender.status,
                "invite providers",
                [tender_status.ENQUIRIES, tender_status.TENDERING],
            )
        eligible = eligible_provider_ids(uow.session, tender.service_type, tender.district_code, now.date())
        already = set(uow.session.scalars(select(Invitation.provider_id).where(Invitation.tender_id == tender_id)))
        new = sorted(set(eligible) - already)
        for provider_id in new:
            uow.session.add(Invitation(tender_id=tender_id, provider_id=provider_id, invited_at=now))
            payload = {**tender_payload(tender, prefix), "provider_id": provider_id}
            uow.emit("tender.invitation_sent", payload, correlation_id=ocid(prefix, tender.id))
        uow.commit()
        return new


def get_tender(uow: UnitOfWork, tender_id: int, principal: Principal | None) -> Tender:
    with uow:
        tender = _load_for(uow, tender_id, principal)
        if tender.status == tender_status.DRAFT and (
            principal is None or principal.role not in ("authority", "operator")
        ):
            raise NotFound(f"tender {tender_id} does not exist")
        return tender
