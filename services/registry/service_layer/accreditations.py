"""The accreditation lifecycle: renew, suspend, reinstate, revoke, and the daily expiry check.

Every change bumps the accreditation's version and emits its full current state, so a replica that sees the
events in any order, or twice, ends up where the registry is.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from services.common.bus.outbox import utcnow
from services.common.errors import Conflict, NotFound
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import Accreditation
from services.registry.domain.lifecycle import ACCREDITATION_LIFECYCLE, check_renewal
from services.registry.domain.rules import AccreditationTerms, local_date
from services.registry.service_layer.handlers import (
    LIVE_ACCREDITATION_STATUSES,
    accreditation_payload,
    refuse_second_live_accreditation,
)
from services.registry.service_layer.refusals import domain_refusals, unique

# action -> the event announcing it
STATUS_EVENTS = {
    "suspend": "accreditation.suspended",
    "reinstate": "accreditation.reinstated",
    "revoke": "accreditation.revoked",
}


def renew_accreditation(uow: UnitOfWork, accreditation_id: int, data: dict, now: datetime) -> Accreditation:
    """A new term (and, often, a new certificate) for the same provider and service type."""
    with uow, domain_refusals():
        accreditation = _load(uow, accreditation_id)
        status = ACCREDITATION_LIFECYCLE.next_status(accreditation.status, "renew")
        check_renewal(accreditation.valid_from, accreditation.valid_to, data["valid_to"], local_date(now))
        if accreditation.status == "expired":
            # Lapsed meanwhile and perhaps replaced by a new grant: two live ones for one service would be ambiguous.
            refuse_second_live_accreditation(uow.session, accreditation.provider_id, accreditation.service_type)
        certificate = data.get("certificate_number") or accreditation.certificate_number
        duplicate = f"certificate {certificate} of {accreditation.accrediting_body} is already recorded"
        if certificate != accreditation.certificate_number and _certificate_taken(uow, accreditation, certificate):
            raise Conflict(duplicate, field="certificate_number")
        accreditation.certificate_number = certificate
        accreditation.valid_to = data["valid_to"]
        _change(accreditation, status, None, now)
        with unique("certificate_number", duplicate):
            uow.session.flush()
        uow.emit("accreditation.renewed", accreditation_payload(accreditation))
        uow.commit()
        return accreditation


def change_accreditation_status(
    uow: UnitOfWork, accreditation_id: int, action: str, reason: str | None, now: datetime
) -> Accreditation:
    """Suspend, reinstate or revoke; a status that does not allow it answers 409 with what it allows."""
    with uow, domain_refusals():
        accreditation = _load(uow, accreditation_id)
        status = ACCREDITATION_LIFECYCLE.next_status(accreditation.status, action)
        _change(accreditation, status, reason, now)
        uow.session.flush()
        uow.emit(STATUS_EVENTS[action], accreditation_payload(accreditation))
        uow.commit()
        return accreditation


def expire_accreditations(uow: UnitOfWork, today: date, now: datetime | None = None) -> list[int]:
    """Mark expired every live accreditation whose last day is before ``today``; idempotent.

    Each accreditation emits accreditation.expired once: a second run finds it expired already, and a run
    concurrent with this one waits on the row locks (PostgreSQL) and then no longer sees these rows as due.
    """
    with uow, domain_refusals():
        due = (
            select(Accreditation)
            .where(Accreditation.status.in_(LIVE_ACCREDITATION_STATUSES), Accreditation.valid_to < today)
            .order_by(Accreditation.id)
            .with_for_update()
        )
        expired = [a for a in uow.session.scalars(due) if _terms(a).is_due_to_expire(today)]
        for accreditation in expired:
            status = ACCREDITATION_LIFECYCLE.next_status(accreditation.status, "expire")
            _change(accreditation, status, f"term ended on {accreditation.valid_to.isoformat()}", now or utcnow())
        uow.session.flush()
        for accreditation in expired:
            uow.emit("accreditation.expired", accreditation_payload(accreditation))
        uow.commit()
        return [accreditation.id for accreditation in expired]


def _load(uow: UnitOfWork, accreditation_id: int) -> Accreditation:
    accreditation = uow.session.get(Accreditation, accreditation_id)
    if accreditation is None:
        raise NotFound(f"accreditation {accreditation_id} does not exist")
    return accreditation


def _certificate_taken(uow: UnitOfWork, accreditation: Accreditation, certificate: str) -> bool:
    query = select(Accreditation.id).where(
        Accreditation.accrediting_body == accreditation.accrediting_body,
        Accreditation.certificate_number == certificate,
    )
    return uow.session.scalar(query) is not None


def _change(accreditation: Accreditation, status: str, reason: str | None, now: datetime) -> None:
    accreditation.status = status
    accreditation.status_reason = reason
    accreditation.version += 1
    accreditation.updated_at = now


def _terms(accreditation: Accreditation) -> AccreditationTerms:
    return AccreditationTerms(
        accreditation.provider_id,
        accreditation.service_type,
        accreditation.valid_from,
        accreditation.valid_to,
        accreditation.status,
        accreditation.id,
    )
