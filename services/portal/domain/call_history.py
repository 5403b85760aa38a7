"""A call's history as a timeline a person can read: the hash-chained audit log (GET /tenders/<id>/audit) entry by
entry, newest last, each with who acted (a role and, where the platform knows it, a name), when, and what.

The API withholds what sealed entries would betray (a bid's author, time and kind: ``sealed``) and the asker of a
question; the timeline says so rather than guessing. Actors come as ``role:subject`` (a user id, or a service
account such as ``service:flows``); the chain's verification (GET /tenders/<id>/audit/verify) is worded from its
answer: intact with its head hash, or the first broken entry and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.portal.domain.deadlines import parse_moment

SEALED_ACTOR = "bidder (sealed)"
ANONYMOUS_ACTOR = "asker (anonymous)"
SEALED = "sealed"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    kind: str  # a role (authority, evaluator, cso, operator, service), "sealed", "anonymous" or "unknown"
    subject: str | None  # the user id or account name, when the log shows it

    @property
    def user_id(self) -> int | None:
        return int(self.subject) if self.subject and self.subject.isdigit() else None


def actor_of(text: str | None) -> Actor:
    if text == SEALED_ACTOR:
        return Actor(SEALED, None)
    if text == ANONYMOUS_ACTOR:
        return Actor(ANONYMOUS, None)
    if text and ":" in text:
        role, subject = text.split(":", 1)
        return Actor(role, subject)
    return Actor("unknown", text or None)


@dataclass(frozen=True)
class Moment:
    seq: int
    action: str
    actor: Actor
    at: datetime | None
    sealed: bool
    entry_hash: str
    previous_hash: str
    broken: bool  # the log's own check found the chain broken at this entry


def timeline(audit: dict) -> list[Moment]:
    first_break = audit.get("first_break")
    return [
        Moment(
            seq=int(entry["seq"]),
            action=entry.get("action") or "",
            actor=actor_of(entry.get("actor")),
            at=parse_moment(entry["at"]) if entry.get("at") else None,
            sealed=bool(entry.get("sealed")),
            entry_hash=entry.get("entry_hash") or "",
            previous_hash=entry.get("previous_hash") or "",
            broken=first_break is not None and int(entry["seq"]) == int(first_break),
        )
        for entry in sorted(audit.get("entries") or [], key=lambda e: int(e["seq"]))
    ]


def user_ids(moments: list[Moment]) -> set[int]:
    return {m.actor.user_id for m in moments if m.actor.user_id is not None}


def sealed_count(moments: list[Moment]) -> int:
    return sum(1 for m in moments if m.sealed)


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    head_hash: str | None
    broken_seq: int | None
    broken_action: str | None
    problem: str | None
    unanchored: int


def verification(answer: dict) -> Verification:
    broken = answer.get("first_broken") or {}
    return Verification(
        intact=bool(answer.get("intact")),
        entries=int(answer.get("entries") or 0),
        head_hash=answer.get("head_hash"),
        broken_seq=broken.get("seq"),
        broken_action=broken.get("action"),
        problem=broken.get("problem"),
        unanchored=len(answer.get("unanchored") or []),
    )
