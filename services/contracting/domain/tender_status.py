"""The tender state machine of DESIGN.md §4 and its computed next time-based transition (next_check)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.common.state_machine import StateMachine

DRAFT = "draft"
ENQUIRIES = "active.enquiries"
TENDERING = "active.tendering"
EVALUATION = "active.evaluation"
STANDSTILL = "active.standstill"
CONTRACT_PENDING = "active.contract_pending"
COMPLETE = "complete"
UNSUCCESSFUL = "unsuccessful"
CANCELLED = "cancelled"

STATUSES = (DRAFT, ENQUIRIES, TENDERING, EVALUATION, STANDSTILL, CONTRACT_PENDING, COMPLETE, UNSUCCESSFUL, CANCELLED)

# action -> {from status: to status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "publish": {DRAFT: ENQUIRIES},
    "end_enquiries": {ENQUIRIES: TENDERING},
    "close_submissions": {TENDERING: EVALUATION},
    "rank": {EVALUATION: STANDSTILL},
    # From standstill too: every winner may decline or be disqualified with no one left to cascade to.
    "declare_unsuccessful": {EVALUATION: UNSUCCESSFUL, STANDSTILL: UNSUCCESSFUL},
    "reopen_evaluation": {STANDSTILL: EVALUATION},
    "end_standstill": {STANDSTILL: CONTRACT_PENDING},
    "complete": {CONTRACT_PENDING: COMPLETE},
    "cancel": {s: CANCELLED for s in (DRAFT, ENQUIRIES, TENDERING, EVALUATION, STANDSTILL, CONTRACT_PENDING)},
}

# Which of these the clock drives (the rest are human decisions)
TIMED_ACTIONS = {
    ENQUIRIES: ("end_enquiries", "enquiry_end"),
    TENDERING: ("close_submissions", "submission_deadline"),
    STANDSTILL: ("end_standstill", "standstill_end"),
}

# Timed actions an open complaint holds although due (no contract while a complaint is open)
HELD_BY_OPEN_COMPLAINT = frozenset({"end_standstill"})

# Statuses in which bids are taken (the deadline, checked by the clock, is the other half of the rule)
BIDDING = (ENQUIRIES, TENDERING)
# Statuses after the award decision, when ranking and scores are public
DECIDED = (STANDSTILL, CONTRACT_PENDING, COMPLETE)


TENDER = StateMachine("tender", TRANSITIONS)
# The actions allowed from a status, and the status after an action (InvalidTransition, 409, when refused)
allowed_actions = TENDER.allowed
transition = TENDER.next


@dataclass(frozen=True)
class NextCheck:
    action: str
    due_at: datetime


def next_check(status: str, deadlines: dict[str, datetime | None]) -> NextCheck | None:
    """The next transition the clock will make, and when: computed, never remembered."""
    if status not in TIMED_ACTIONS:
        return None
    action, deadline_name = TIMED_ACTIONS[status]
    due_at = deadlines.get(deadline_name)
    return NextCheck(action, due_at) if due_at else None


def due_transitions(
    status: str, deadlines: dict[str, datetime | None], now: datetime, blocked: frozenset[str] = frozenset()
) -> list[str]:
    """Every timed action already due at ``now``, in order; empty when nothing is due (safe to repeat).

    ``blocked`` holds actions that must wait although due (an open complaint holds the standstill end).
    """
    actions = []
    check = next_check(status, deadlines)
    while check is not None and check.due_at <= now and check.action not in blocked:
        actions.append(check.action)
        status = transition(status, check.action)
        check = next_check(status, deadlines)
    return actions


def status_at(
    status: str, deadlines: dict[str, datetime | None], now: datetime, blocked: frozenset[str] = frozenset()
) -> str:
    """The status the clock has brought the tender to at ``now``: the recorded one with every due transition
    applied. Reads show it, so what the API shows agrees with what writes enforce by the clock, even before the
    stage run has recorded the transition (a read never records it)."""
    for action in due_transitions(status, deadlines, now, blocked):
        status = transition(status, action)
    return status


@dataclass(frozen=True)
class NextTransition:
    status: str
    at: datetime


def next_transition(
    status: str, deadlines: dict[str, datetime | None], now: datetime, blocked: frozenset[str] = frozenset()
) -> NextTransition | None:
    """The next change the clock will make after ``now``, and to what; None when none is scheduled or it is held."""
    current = status_at(status, deadlines, now, blocked)
    check = next_check(current, deadlines)
    if check is None or check.action in blocked:
        return None
    return NextTransition(transition(current, check.action), check.due_at)


@dataclass(frozen=True)
class StatusWindow:
    """A tender recorded as ``recorded`` is at the status looked for while deadline ``since`` has passed (None: no
    condition) and deadline ``until`` has not (None: no condition)."""

    recorded: str
    since: str | None
    until: str | None


def windows(target: str) -> list[StatusWindow]:
    """Every recorded status and deadline window in which a tender is at ``target`` now (for listings)."""
    found = []
    for recorded in STATUSES:
        status, since = recorded, None
        while True:
            timed = TIMED_ACTIONS.get(status)
            if status == target:
                found.append(StatusWindow(recorded, since, timed[1] if timed else None))
                break
            if timed is None:
                break
            since = timed[1]
            status = transition(status, timed[0])
    return found


def held_by_complaint(deadline_name: str) -> bool:
    """Whether an open complaint holds the transition that deadline ``deadline_name`` triggers."""
    return any(action in HELD_BY_OPEN_COMPLAINT for action, name in TIMED_ACTIONS.values() if name == deadline_name)
