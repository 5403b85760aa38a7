"""Verifying a tender's audit chain: recompute every link, name the first broken one, and check that each
published change is still anchored in the chain.

The chain alone cannot show that its last entries were deleted; the public feed can: every public change keeps
the SHA-256 of its event payload, which is the payload hash of the audit entry written with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.bootstrap import ServiceContext
from services.common.errors import NotFound
from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_public import PublicChange
from services.contracting.adapters.orm_tendering import Tender
from services.contracting.domain import audit
from services.contracting.service_layer.base import Call, as_entry, load_tender

# Public events whose writes go through service_layer/base.record, so each has an audit entry of its payload.
AUDITED_FAMILIES = ("tender", "award", "complaint")


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    action: str
    at: datetime | None  # None for a sealed entry shown through the API (see domain/audit.py)
    problem: str


@dataclass(frozen=True)
class Verification:
    tender_id: int
    entries: int
    first_broken: BrokenLink | None
    head_hash: str | None
    unanchored: list[dict] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.first_broken is None and not self.unanchored

    def summary(self) -> str:
        """One line for the CLI."""
        if self.first_broken:
            link = self.first_broken
            where = f"entry {link.seq} ({link.action}, {link.at.isoformat() if link.at else 'time sealed'})"
            return f"tender {self.tender_id}: BROKEN at {where}: {link.problem}"
        if self.unanchored:
            first = self.unanchored[0]
            return (
                f"tender {self.tender_id}: BROKEN: published change {first['position']} ({first['event_type']}) has "
                f"no audit entry; {len(self.unanchored)} such change(s)"
            )
        return f"tender {self.tender_id}: intact, {self.entries} entries, head {self.head_hash}"


def diagnose(entries: list[audit.AuditEntry], *, redact: bool = False) -> BrokenLink | None:
    """The first entry that does not follow from the one before it, and why; None when the chain holds.

    ``redact``: name a sealed entry as the API serves it (no bidder's time), for readers other than the operator's CLI.
    """
    previous_hash = audit.GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        recomputed = audit.recompute(entry)
        problem = None
        if entry.seq != expected_seq:
            problem = f"sequence number {entry.seq} where {expected_seq} was expected (an entry is missing)"
        elif entry.previous_hash != previous_hash:
            problem = "its previous_hash is not the hash of the entry before it"
        elif recomputed != entry.entry_hash:
            problem = "its contents do not hash to its entry_hash (the entry was altered)"
        if problem:
            shown = audit.served(entry) if redact else entry
            return BrokenLink(entry.seq, shown.action, shown.at, problem)
        previous_hash = entry.entry_hash
    return None


def _unanchored(session: Session, tender_id: int, payload_hashes: set[str]) -> list[dict]:
    changes = session.scalars(
        select(PublicChange).where(PublicChange.tender_id == tender_id).order_by(PublicChange.position)
    )
    return [
        {"position": change.position, "event_type": change.event_type, "payload_hash": change.payload_hash}
        for change in changes
        if change.event_type.split(".")[0] in AUDITED_FAMILIES and change.payload_hash not in payload_hashes
    ]


def _verify(session: Session, tender_id: int, *, redact: bool = False) -> Verification:
    query = select(AuditLogEntry).where(AuditLogEntry.tender_id == tender_id).order_by(AuditLogEntry.seq)
    entries = [as_entry(row) for row in session.scalars(query)]
    unanchored = _unanchored(session, tender_id, {entry.payload_hash for entry in entries})
    head = entries[-1].entry_hash if entries else None
    return Verification(tender_id, len(entries), diagnose(entries, redact=redact), head, unanchored)


def verify_audit_chain(context: ServiceContext, tender_id: int) -> Verification:
    """For the CLI (``sscp audit verify <tender_id>``): no caller, no scope."""
    with context.session_factory() as session:
        if session.get(Tender, tender_id) is None:
            raise NotFound(f"tender {tender_id} does not exist")
        return _verify(session, tender_id)


def verify_for(call: Call, tender_id: int) -> Verification:
    """For the API: the tender must be in the caller's scope (another district's answers 404)."""
    with call.uow:
        tender = load_tender(call, tender_id, lock=False)
        return _verify(call.uow.session, tender.id, redact=True)
