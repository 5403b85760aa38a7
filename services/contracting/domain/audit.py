"""The tender's hash-chained audit log: each entry carries the hash of the one before it.

Sealed entries. A bid's entries (submit, modify, withdraw, re-confirm) would tell whoever reads the log who bid and
when, and after the opening their times would match the opened bids. So their served view names no bidder, no
time and not which bid action it was, to anyone, before or after the opening (an entry made before the deadline
keeps its secret; the platform publishes bids and their times through the bid read model, deliberately). A
question's entry likewise leaves the asker out (questions are published anonymously; their time is public).

The stored entry keeps the real actor, action and time, and its hash covers them, so the server (the verify
endpoint, ``sscp audit verify``) still recomputes the whole chain. Such an entry's hash also covers a random salt
kept in the database and never served: without it, the served entry hash would let anyone test a guess (each
bidder's user id and each opened bid's time) and find the match. Entries written before salts existed have none
and hash exactly as they did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.contracting.domain.canonical import sha256_of

GENESIS = "0" * 64

SEALED_BID_ACTIONS = frozenset({"submit_bid", "modify_bid", "withdraw_bid", "reconfirm_bid"})
ANONYMOUS_ACTIONS = frozenset({"ask"})
SEALED_ACTOR = "bidder (sealed)"
SEALED_ACTION = "sealed_bid"
ANONYMOUS_ACTOR = "asker (anonymous)"


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
    salt: str | None = None


@dataclass(frozen=True)
class ServedEntry:
    """An entry as the API shows it: a sealed one without its author, time or kind of bid action."""

    seq: int
    actor: str
    action: str
    at: datetime | None
    payload_hash: str
    previous_hash: str
    entry_hash: str
    sealed: bool


def needs_salt(action: str) -> bool:
    """Whether the entry's author is withheld from the served view (so its hash must not be guessable)."""
    return action in SEALED_BID_ACTIONS or action in ANONYMOUS_ACTIONS


def served(entry: AuditEntry) -> ServedEntry:
    """The entry as anyone reading the log may see it."""
    sealed = entry.action in SEALED_BID_ACTIONS
    actor, action, at = entry.actor, entry.action, entry.at
    if sealed:
        actor, action, at = SEALED_ACTOR, SEALED_ACTION, None
    elif entry.action in ANONYMOUS_ACTIONS:
        actor = ANONYMOUS_ACTOR
    return ServedEntry(entry.seq, actor, action, at, entry.payload_hash, entry.previous_hash, entry.entry_hash, sealed)


def entry_hash(
    tender_id: int,
    seq: int,
    actor: str,
    action: str,
    at: datetime,
    payload_hash: str,
    previous: str,
    salt: str | None = None,
):
    fields = {"tender_id": tender_id, "seq": seq, "actor": actor, "action": action, "at": at}
    if salt is not None:
        # Only salted entries carry the key, so the hashes of entries written before salts existed still hold.
        fields["salt"] = salt
    return sha256_of({**fields, "payload_hash": payload_hash, "previous_hash": previous})


def next_entry(
    previous: AuditEntry | None,
    tender_id: int,
    actor: str,
    action: str,
    at: datetime,
    payload,
    salt: str | None = None,
) -> AuditEntry:
    """The entry that follows ``previous`` (None for the first one); ``salt`` for an entry whose author is withheld."""
    seq = previous.seq + 1 if previous else 1
    previous_hash = previous.entry_hash if previous else GENESIS
    payload_hash = sha256_of(payload)
    digest = entry_hash(tender_id, seq, actor, action, at, payload_hash, previous_hash, salt)
    return AuditEntry(tender_id, seq, actor, action, at, payload_hash, previous_hash, digest, salt)


def recompute(entry: AuditEntry) -> str:
    """The hash the entry's stored contents give (equal to its entry_hash unless it was altered)."""
    contents = (entry.tender_id, entry.seq, entry.actor, entry.action, entry.at, entry.payload_hash)
    return entry_hash(*contents, entry.previous_hash, entry.salt)


def first_break(entries: list[AuditEntry]) -> int | None:
    """The seq of the first entry that does not follow from the one before it; None when the chain holds."""
    previous_hash = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        recomputed = recompute(entry)
        if entry.seq != expected_seq or entry.previous_hash != previous_hash or recomputed != entry.entry_hash:
            return entry.seq
        previous_hash = entry.entry_hash
    return None
