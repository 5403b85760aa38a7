"""What every contracting use case shares: the call's context, loading a tender in scope, and recording a write.

Every write goes through ``record``: it appends the tender's audit chain and stages the outbox event in the
caller's transaction, so the state change, its audit entry and its event commit together or not at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.unit_of_work import UnitOfWork
from services.contracting.adapters.orm import Tender
from services.contracting.adapters.orm_tendering import AuditLogEntry
from services.contracting.domain import audit, tender_status
from services.contracting.domain.procedure import ProcedureRules

DISTRICT_BOUND = ("authority", "evaluator")


@dataclass(frozen=True)
class Call:
    """One request's context: its unit of work, caller, server time and procedure settings."""

    uow: UnitOfWork
    principal: Principal | None
    now: datetime
    prefix: str
    rules: ProcedureRules

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject}" if self.principal else "anonymous"

    @property
    def role(self) -> str | None:
        return self.principal.role if self.principal else None


def utc(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes and PostgreSQL the session's zone; everything stored is UTC.
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def ocid(prefix: str, tender_id: int) -> str:
    return f"{prefix}-{tender_id}"


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def deadlines(tender: Tender) -> dict[str, datetime | None]:
    return {
        "enquiry_end": utc(tender.enquiry_end),
        "submission_deadline": utc(tender.submission_deadline),
        "standstill_end": utc(tender.standstill_end),
    }


def tender_payload(tender: Tender, prefix: str) -> dict:
    """The fields every tender-related event carries."""
    return {
        "tender_id": tender.id,
        "ocid": ocid(prefix, tender.id),
        "district_code": tender.district_code,
        "service_type": tender.service_type,
        "title": tender.title,
        "status": tender.status,
        "enquiry_end": utc(tender.enquiry_end).isoformat(),
        "submission_deadline": utc(tender.submission_deadline).isoformat(),
    }


def in_scope(tender: Tender, principal: Principal | None) -> bool:
    """Whether the caller may know the tender exists: a district-bound role sees only its district's work."""
    if principal and principal.role in DISTRICT_BOUND and tender.district_code != principal.district_code:
        return False
    if tender.status == tender_status.DRAFT:
        return bool(principal) and principal.role in ("authority", "operator")
    return True


def load_tender(call: Call, tender_id: int, *, lock: bool = True, scoped: bool = True) -> Tender:
    """The tender, row-locked for the rest of the transaction: writes to one tender happen one at a time."""
    tender = call.uow.session.get(Tender, tender_id, with_for_update=lock)
    if tender is None or (scoped and not in_scope(tender, call.principal)):
        # Another district's tender is reported as absent, not forbidden: its existence is not ours to leak.
        raise NotFound(f"tender {tender_id} does not exist")
    return tender


def record(call: Call, tender: Tender, action: str, payload: dict, event_type: str | None = None) -> None:
    """Append the audit chain and (when there is one) stage the event, in the caller's transaction."""
    session = call.uow.session
    session.flush()
    row = session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.tender_id == tender.id).order_by(AuditLogEntry.seq.desc()).limit(1)
    ).first()
    entry = audit.next_entry(as_entry(row) if row else None, tender.id, call.actor, action, utc(call.now), payload)
    session.add(AuditLogEntry(**asdict(entry)))
    if event_type:
        call.uow.emit(event_type, payload, correlation_id=ocid(call.prefix, tender.id))


def as_entry(row: AuditLogEntry) -> audit.AuditEntry:
    return audit.AuditEntry(
        row.tender_id, row.seq, row.actor, row.action, utc(row.at), row.payload_hash, row.previous_hash, row.entry_hash
    )


def event(call: Call, tender: Tender, **fields) -> dict:
    return {**tender_payload(tender, call.prefix), **fields}
