"""Continuity of a service: does a successor cover the moment a contract ends, how risky is a gap, and which
alerts are due (``continuity.at_risk`` once per contract and threshold, ``continuity.restored`` once covered).

The COVID-19 lesson of the seeds: social services must not stop because a contract ran out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

THRESHOLDS_DAYS = (90, 60, 30)
DAY = timedelta(days=1)

NONE = "none"
LOW = "low"
MEDIUM = "medium"
HIGH = "high"
CRITICAL = "critical"


@dataclass(frozen=True)
class Successor:
    """Something that may take over: a contract (starting at start_at) or a tender whose contract is ready then."""

    kind: str
    ref_id: int
    ready_at: datetime
    ends_at: datetime | None = None


def covering(end_at: datetime, candidates: list[Successor]) -> Successor | None:
    """The first candidate in place by the time the contract ends (and not itself over by then)."""
    for candidate in sorted(candidates, key=lambda c: (c.ready_at, c.kind)):
        if candidate.ready_at <= end_at and (candidate.ends_at is None or candidate.ends_at > end_at):
            return candidate
    return None


def days_left(end_at: datetime, now: datetime, day: timedelta = DAY) -> int:
    """Whole days to the end; ``day`` is shorter when the demo compresses the calendar (see TermRules.day)."""
    return max(0, (end_at - now) // day)


def risk(end_at: datetime, now: datetime, covered: bool, day: timedelta = DAY) -> str:
    if covered:
        return NONE
    left = days_left(end_at, now, day)
    for threshold, level in zip(sorted(THRESHOLDS_DAYS), (CRITICAL, HIGH, MEDIUM), strict=True):
        if left <= threshold:
            return level
    return LOW


def crossed(end_at: datetime, now: datetime, day: timedelta = DAY) -> list[int]:
    """The thresholds (days before the end) the contract is already inside, widest first."""
    left = days_left(end_at, now, day)
    return [threshold for threshold in THRESHOLDS_DAYS if left <= threshold]


@dataclass(frozen=True)
class AlertDecision:
    new_thresholds: list[int]
    emit_at_risk: int | None
    emit_restored: bool


def decide_alerts(covered: bool, thresholds_crossed: list[int], already: set[int], open_alerts: bool) -> AlertDecision:
    """New at-risk thresholds are recorded together; one event names the tightest of them.

    Once covered (or, renewed, no longer inside any threshold), alerts still open are closed with one
    ``continuity.restored``; a threshold already alerted never fires again for the same term of the contract.
    """
    if covered or not thresholds_crossed:
        return AlertDecision([], None, open_alerts)
    new = [t for t in thresholds_crossed if t not in already]
    return AlertDecision(new, min(new) if new else None, False)
