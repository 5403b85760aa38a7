"""The accreditation lifecycle: renew, suspend, reinstate, revoke, and the daily expiry check.

Every change bumps the accreditation's version and emits its full current state, so a replica that sees the
events in any order, or twice, ends up where the registry is.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from services.common.call import Call
from services.common.errors import Conflict, NotFound
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import Accreditation
from services.registry.domain.lifecycle import ACCREDITATION_LIFECYCLE, check_renewal
from services.registry.domain.rules import AccreditationTerms, local_date
from services.registry.service_layer.commands import ChangeAccreditationStatus, RenewAccreditation
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


def renew_accreditation(call: Call, accreditation_id: int, command: RenewAccreditation) -> Accreditation:
    """A new term (and, often, a new certificate) for the same provider and service type."""
    uow = call.uow
    with uow, domain_refusals():
        accreditation = _load(uow, accreditation_id)
        status = ACCREDITATION_LIFECYCLE.next_status(accreditation.status, "renew")
        check_renewal(accreditation.valid_from, accreditation.valid_to, command.valid_to, local_date(call.now))
        if accreditation.status == "expired":
            # Lapsed meanwhile and perhaps replaced by a new grant: two live ones for one service would be ambiguous.
            refuse_second_live_accreditation(uow.session, accreditation.provider_id, accreditation.service_type)
        certificate = command.certificate_number or accreditation.certificate_number
        duplicate = f"certificate {certificate} of {accreditation.accrediting_body} is already recorded"
        if certificate != accreditation.certificate_number and _certificate_taken(uow, accreditation, certificate):
            raise Conflict(duplicate, field="certificate_number")
        accreditation.certificate_number = certificate
        accreditation.valid_to = command.valid_to
        _change(accreditation, status, None, call.now)
        with unique("certificate_number", duplicate):
            uow.session.flush()
        uow.emit("accreditation.renewed", accreditation_payload(accreditation))
        uow.commit()
        return accreditation


def change_accreditation_status(call: Call, accreditation_id: int, command: ChangeAccreditationStatus) -> Accreditation:
    """Suspend, reinstate or revoke; a status that does not allow it answers 409 with what it allows."""
    uow = call.uow
    with uow, domain_refusals():
        accreditation = _load(uow, accreditation_id)
        status = ACCREDITATION_LIFECYCLE.next_status(accreditation.status, command.action)
        _change(accreditation, status, command.reason, call.now)
        uow.session.flush()
        uow.emit(STATUS_EVENTS[command.action], accreditation_payload(accreditation))
        uow.commit()
        return accreditation


def expire_accreditations(call: Call, today: date) -> list[int]:
    """Mark expired every live accreditation whose last day is before ``today`` (the caller's day in Chișinău,
    ``local_date(call.now)``, except in tests that look at another day); idempotent.

    Each accreditation emits accreditation.expired once: a second run finds it expired already, and a run
    concurrent with this one waits on the row locks (PostgreSQL) and then no longer sees these rows as due.
    """
    uow = call.uow
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
            _change(accreditation, status, f"term ended on {accreditation.valid_to.isoformat()}", call.now)
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
