"""An evaluator's work, as the task list shows it: which calls name them, what each waits for, and by when.

Contracting's rules, read from its answers: the authority seats evaluators on a call's committee; after the
submission deadline (once the bids are opened: the call's recorded status is ``active.evaluation``) each member
declares conflicts of interest against the bidders; a declared conflict takes them off that call; the others score
every quality criterion of every eligible bid, and may revise their scores until every member has scored (then
the scores are final). Scoring waits while fewer members than the committee's size are free of conflicts.

The API gives no evaluation deadline: the due date is the submission deadline plus the evaluation period
contracting plans with (its ``CONTRACTING_EVALUATION_DAYS``, 15 days unless configured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.portal.domain.deadlines import parse_moment

EVALUATION = "active.evaluation"
# After the award decision: the committee's work is done and its scores are final (listed as done while the
# standstill and the contracting last; a complete call drops off the list)
DECIDED = ("active.standstill", "active.contract_pending")
DEFAULT_EVALUATION_PERIOD = timedelta(days=15)

UNDECLARED = "undeclared"
CLEAR = "clear"
CONFLICT = "conflict"

# What a task waits for
OPENING = "opening"  # the deadline has passed, the bids are being opened: nothing to do yet
DECLARE = "declare"  # declare conflicts of interest (or none)
SCORE = "score"  # score the bids (some or none done yet)
BLOCKED = "blocked"  # declared clear, but the committee is short of members without a conflict
SUBMITTED = "submitted"  # every score given; revisable until every member has scored
FINAL = "final"  # every member has scored: the scores are final
OFF_COMMITTEE = "conflict"  # a conflict declared: off this call's committee

TO_DO = (DECLARE, SCORE, BLOCKED, OPENING)
DONE = (SUBMITTED, FINAL, OFF_COMMITTEE)


@dataclass(frozen=True)
class Task:
    tender: dict
    state: str
    due_at: datetime | None
    scored: int = 0
    needed: int = 0
    scoring_blocked: str | None = None

    @property
    def tender_id(self) -> int:
        return int(self.tender["id"])

    def is_overdue(self, now: datetime) -> bool:
        return self.state in TO_DO and self.due_at is not None and now > self.due_at


def declaration_of(committee: dict, user_id: int) -> str | None:
    """The member's declaration (undeclared, clear, conflict); None when they are not on this committee."""
    for member in committee.get("members") or []:
        if str(member.get("evaluator")) == str(user_id):
            return member.get("declaration") or UNDECLARED
    return None


def due_at(tender: dict, period: timedelta = DEFAULT_EVALUATION_PERIOD) -> datetime | None:
    deadline = parse_moment(tender.get("submission_deadline"))
    return deadline + period if deadline else None


def quality_criteria(tender: dict) -> list[dict]:
    """The criteria evaluators score (price is computed from the bids, not scored), in their order."""
    found = [c for c in tender.get("criteria") or [] if c.get("kind") == "quality"]
    return sorted(found, key=lambda c: (c.get("number") or 0, c.get("id") or 0))


def own_scores(scores: dict | None, user_id: int) -> list[dict]:
    return [s for s in (scores or {}).get("scores") or [] if str(s.get("evaluator")) == str(user_id)]


def task_for(
    tender: dict,
    committee: dict,
    user_id: int,
    scores: dict | None = None,
    bid_count: int = 0,
    period: timedelta = DEFAULT_EVALUATION_PERIOD,
) -> Task | None:
    """What this call asks of the evaluator now; None when it does not name them.

    ``scores`` is the scores answer (absent until they declared clear), ``bid_count`` the eligible bids they may
    score (each needs a score on every quality criterion).
    """
    declaration = declaration_of(committee, user_id)
    if declaration is None:
        return None
    due = due_at(tender, period)
    if declaration == CONFLICT:
        return Task(tender, OFF_COMMITTEE, due)
    if tender.get("status") in DECIDED:
        return Task(tender, FINAL, due) if declaration == CLEAR else None
    if tender.get("applied_status", tender.get("status")) != EVALUATION:
        return Task(tender, OPENING, due)
    if declaration == UNDECLARED:
        return Task(tender, DECLARE, due)
    needed = bid_count * len(quality_criteria(tender))
    scored = len({(s["bid_id"], s["criterion_id"]) for s in own_scores(scores, user_id)})
    if scores and scores.get("complete"):
        return Task(tender, FINAL, due, scored, needed)
    if needed and scored >= needed:
        return Task(tender, SUBMITTED, due, scored, needed)
    blocker = committee.get("scoring_blocked")
    if blocker:
        return Task(tender, BLOCKED, due, scored, needed, blocker)
    return Task(tender, SCORE, due, scored, needed)


def ordered(tasks: list[Task]) -> tuple[list[Task], list[Task]]:
    """(to do, done): each oldest first, by due date (the call's id breaks ties; no date goes last)."""

    def key(task: Task):
        return (task.due_at is None, task.due_at or datetime.max, task.tender_id)

    to_do = sorted((t for t in tasks if t.state in TO_DO), key=key)
    done = sorted((t for t in tasks if t.state in DONE), key=key)
    return to_do, done
