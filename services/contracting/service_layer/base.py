"""What every contracting use case shares: the call's context, loading a tender in scope, and recording a write.

Every write goes through ``record``: it appends the tender's audit chain and stages the outbox event in the
caller's transaction, so the state change, its audit entry and its event commit together or not at all.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import Session, aliased

from services.common.call import Call as CommonCall
from services.common.call import as_utc
from services.common.errors import NotFound
from services.common.tokens import Principal
from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_evaluation import Complaint
from services.contracting.adapters.orm_tendering import Tender
from services.contracting.adapters.repository import TenderRepository
from services.contracting.domain import audit, tender_status
from services.contracting.domain.call_lifecycle import CallLifecycle, may_be_held
from services.contracting.domain.procedure import ProcedureRules

DISTRICT_BOUND = ("authority", "evaluator")


@dataclass
class Call(CommonCall):
    """A contracting use case's call (services/common/call.py) with what all of them share: the OCID prefix and
    the procedure's rules.

    ``now`` is first read as the request starts; ``load_tender`` reads ``clock`` again once it holds the tender's
    lock. A write may queue for that lock past a deadline: the time that decides "before the deadline", and that
    receipts and the audit log show, must be the time the write is serialized at, not the time it queued.
    """

    prefix: str = ""
    rules: ProcedureRules | None = None

    @property
    def tenders(self) -> TenderRepository:
        """The tender aggregate's shared reads, in this call's transaction."""
        return TenderRepository(self.uow.session)


utc = as_utc


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


def lifecycle_of(session: Session, tender: Tender) -> CallLifecycle:
    """The call's lifecycle (domain/call_lifecycle.py) with every complaint still open on it."""
    return lifecycles_of(session, [tender], every_status=True)[tender.id]


def lifecycles_of(session: Session, tenders: list[Tender], *, every_status: bool = False) -> dict[int, CallLifecycle]:
    """Per tender id, its lifecycle; in one query for the open complaints, asked (unless ``every_status``) only
    of the tenders whose status a complaint can hold, which is all a listing needs."""
    asked = [t.id for t in tenders if every_status or may_be_held(t.status)]
    open_complaints: dict[int, list[int]] = {}
    if asked:
        query = select(Complaint.tender_id, Complaint.id).where(
            Complaint.tender_id.in_(asked), Complaint.status == "pending"
        )
        for tender_id, complaint_id in session.execute(query.order_by(Complaint.id)):
            open_complaints.setdefault(tender_id, []).append(complaint_id)
    return {t.id: CallLifecycle(t.status, deadlines(t), tuple(open_complaints.get(t.id, ()))) for t in tenders}


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


def publicly_readable(tender: Tender, principal: Principal | None) -> bool:
    """Whether the caller may read the tender's public parts (the call, its amendments and clarifications, its
    decision once made, its contracts): anyone once it is published, since a token never sees less than the
    public; a draft only in scope. Writes and non-public parts (bids, committee, audit) stay with ``in_scope``."""
    return tender.status != tender_status.DRAFT or in_scope(tender, principal)


def load_tender(call: Call, tender_id: int, *, lock: bool = True, scoped: bool = True, public: bool = False) -> Tender:
    """The tender, row-locked for the rest of the transaction: writes to one tender happen one at a time.

    With the lock held, the call's clock is read again (see ``Call``)."""
    session = call.uow.session
    if lock and session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE and takes its (database-wide) write lock only at the first write: a no-op
        # write takes it now, before the tender and the clock are read.
        table = Tender.__table__
        session.execute(update(table).where(table.c.id == tender_id).values(status=table.c.status))
    tender = session.get(Tender, tender_id, with_for_update=lock)
    visible = publicly_readable if public else in_scope
    if tender is None or (scoped and not visible(tender, call.principal)):
        # Another district's tender is reported as absent, not forbidden: its existence is not ours to leak.
        raise NotFound(f"tender {tender_id} does not exist")
    if lock:
        call.read_clock_under_lock()
    return tender


UNREAD = object()


def record(
    call: Call,
    tender: Tender,
    action: str,
    payload: dict,
    event_type: str | None = None,
    *,
    head: AuditLogEntry | object | None = UNREAD,
) -> None:
    """Append the audit chain and (when there is one) stage the event, in the caller's transaction.

    ``head`` is the chain's last entry (None: no entry yet) when the caller has read it already, with the tender
    locked (``audit_head``); otherwise it is read here."""
    session = call.uow.session
    session.flush()
    if head is UNREAD:
        head = session.scalars(
            select(AuditLogEntry)
            .where(AuditLogEntry.tender_id == tender.id)
            .order_by(AuditLogEntry.seq.desc())
            .limit(1)
        ).first()
    salt = secrets.token_hex(32) if audit.needs_salt(action) else None
    previous = as_entry(head) if head else None
    # Times never go backwards against the sequence, even if the server clock steps back.
    at = max(utc(call.now), previous.at) if previous else utc(call.now)
    entry = audit.next_entry(previous, tender.id, call.actor, action, at, payload, salt)
    session.add(AuditLogEntry(**asdict(entry)))
    if event_type:
        call.uow.emit(event_type, payload, correlation_id=ocid(call.prefix, tender.id))


def audit_head(tender_id) -> ColumnElement[bool]:
    """Join condition: the last entry of the audit chain of ``tender_id`` (a value or a bound parameter, not a
    column: PostgreSQL then finds the head in the (tender_id, seq) index; joined on a column it scanned the whole
    log), so a use case can read the head in a query it runs anyway and hand it to ``record``."""
    entry = aliased(AuditLogEntry)
    last = select(func.max(entry.seq)).where(entry.tender_id == tender_id).scalar_subquery()
    return and_(AuditLogEntry.tender_id == tender_id, AuditLogEntry.seq == last)


def as_entry(row: AuditLogEntry) -> audit.AuditEntry:
    return audit.AuditEntry(
        row.tender_id,
        row.seq,
        row.actor,
        row.action,
        utc(row.at),
        row.payload_hash,
        row.previous_hash,
        row.entry_hash,
        row.salt,
    )


def event(call: Call, tender: Tender, **fields) -> dict:
    return {**tender_payload(tender, call.prefix), **fields}
