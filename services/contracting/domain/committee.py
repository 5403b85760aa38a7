"""The evaluation committee: conflict-of-interest declarations, the minimum size, and score independence."""

from __future__ import annotations

from dataclasses import dataclass

UNDECLARED = "undeclared"
CLEAR = "clear"
CONFLICT = "conflict"


@dataclass(frozen=True)
class Member:
    subject: str  # the evaluator's token subject: its registry user id, as a string (JWT ``sub`` is one)
    declaration: str


def member_id(subject: str) -> int | str:
    """The member as the API and events name it: the registry user id, an integer like every other id."""
    return int(subject) if subject.isascii() and subject.isdigit() else subject


def sitting(members: list[Member]) -> list[Member]:
    """Members still on the committee: a declared conflict removes an evaluator from this tender."""
    return [m for m in members if m.declaration != CONFLICT]


def scoring_blocker(members: list[Member], committee_size: int) -> str | None:
    """Why scoring may not go on yet, or None."""
    seated = sitting(members)
    if len(seated) < committee_size:
        return (
            f"the committee has {len(seated)} member(s) without a conflict of interest and needs {committee_size}: "
            "the authority must assign more evaluators before scoring can go on"
        )
    return None


def missing_scores(
    members: list[Member], bid_ids: set[int], criterion_ids: set[int], scored: set[tuple[str, int, int]]
) -> int:
    """How many (member, bid, quality criterion) scores are still to come."""
    wanted = {(m.subject, b, c) for m in sitting(members) for b in bid_ids for c in criterion_ids}
    return len(wanted - scored)


def all_scored(
    members: list[Member],
    committee_size: int,
    bid_ids: set[int],
    criterion_ids: set[int],
    scored: set[tuple[str, int, int]],
) -> bool:
    """Every sitting member has scored every quality criterion of every eligible bid (and there are enough)."""
    if scoring_blocker(members, committee_size):
        return False
    return missing_scores(members, bid_ids, criterion_ids, scored) == 0
