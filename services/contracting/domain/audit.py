"""The tender's hash-chained audit log: each entry carries the hash of the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.contracting.domain.canonical import sha256_of

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    tender_id: int
    seq: int
    actor: str
    action: str
    at: datetime
    payload_hash: str
    previous_hash: str
    entry_hash: str


def entry_hash(tender_id: int, seq: int, actor: str, action: str, at: datetime, payload_hash: str, previous: str):
    fields = {"tender_id": tender_id, "seq": seq, "actor": actor, "action": action, "at": at}
    return sha256_of({**fields, "payload_hash": payload_hash, "previous_hash": previous})


def next_entry(
    previous: AuditEntry | None, tender_id: int, actor: str, action: str, at: datetime, payload
) -> AuditEntry:
    """The entry that follows ``previous`` (None for the first one)."""
    seq = previous.seq + 1 if previous else 1
    previous_hash = previous.entry_hash if previous else GENESIS
    payload_hash = sha256_of(payload)
    digest = entry_hash(tender_id, seq, actor, action, at, payload_hash, previous_hash)
    return AuditEntry(tender_id, seq, actor, action, at, payload_hash, previous_hash, digest)


def first_break(entries: list[AuditEntry]) -> int | None:
    """The seq of the first entry that does not follow from the one before it; None when the chain holds."""
    previous_hash = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        recomputed = entry_hash(
            entry.tender_id, entry.seq, entry.actor, entry.action, entry.at, entry.payload_hash, entry.previous_hash
        )
        if entry.seq != expected_seq or entry.previous_hash != previous_hash or recomputed != entry.entry_hash:
            return entry.seq
        previous_hash = entry.entry_hash
    return None
