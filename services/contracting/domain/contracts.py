"""The contract's state machine, its term (start, end, months) and the limits on changing it.

A contract is ``pending`` until both sides sign, then ``active``; ``cancelled`` (before signature) or
``terminated`` (after) with a reason; ``expired`` once its end has passed. Terms are instants in UTC: the
contract serves from ``start_at`` up to, not including, ``end_at``, so a successor covers the gap if it starts
at or before ``end_at`` (the day after the last day of service).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from services.common.errors import Conflict, Invalid
from services.common.state_machine import StateMachine

PENDING = "pending"
ACTIVE = "active"
CANCELLED = "cancelled"
TERMINATED = "terminated"
EXPIRED = "expired"
LIVE = (PENDING, ACTIVE)

AUTHORITY = "authority"
PROVIDER = "provider"

# action -> {from status: to status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "sign": {PENDING: PENDING},
    "activate": {PENDING: ACTIVE},
    "edit": {PENDING: PENDING},
    "cancel": {PENDING: CANCELLED},
    "terminate": {ACTIVE: TERMINATED},
    "expire": {ACTIVE: EXPIRED},
    "amend": {ACTIVE: ACTIVE},
    "report": {ACTIVE: ACTIVE, EXPIRED: EXPIRED, TERMINATED: TERMINATED},
    "retender": {ACTIVE: ACTIVE, EXPIRED: EXPIRED, TERMINATED: TERMINATED},
}


# Follows from the second signature; nobody asks for it
AUTOMATIC = {"activate"}


CONTRACT = StateMachine("contract", TRANSITIONS, automatic=AUTOMATIC)
# The actions allowed from a status, and the status after an action (InvalidTransition, 409, when refused)
allowed_actions = CONTRACT.allowed
transition = CONTRACT.next


@dataclass(frozen=True)
class TermRules:
    """How long a contract month is: a calendar month, or (to compress time in the demo) a fixed period."""

    month_override: timedelta | None = None

    def add_months(self, moment: datetime, months: int) -> datetime:
        if self.month_override is not None:
            return moment + self.month_override * months
        month_index = moment.month - 1 + months
        year, month = moment.year + month_index // 12, month_index % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day)

    @property
    def day(self) -> timedelta:
        """A day on the same clock: a 30th of the compressed month, so 90/60/30-day alerts keep their proportions."""
        return timedelta(days=1) if self.month_override is None else self.month_override / 30

    def default_start(self, standstill_end: datetime, drawn_up_at: datetime | None = None) -> datetime:
        """The day after the standstill ends, at midnight UTC (at once when months are compressed); a contract
        drawn up later than that starts the day after it is drawn up instead, never in the past: its first
        periods would be over, and their reports due, before either side could sign."""
        begins = standstill_end if drawn_up_at is None else max(standstill_end, drawn_up_at)
        if self.month_override is not None:
            return begins
        return datetime.combine(begins.date() + timedelta(days=1), time(0), tzinfo=UTC)


def contract_title(call_title: str, lot_title: str) -> str:
    """The call's title, and the lot's after it when the lot has a name of its own (a one-lot call often repeats
    the call's title as the lot's)."""
    same = lot_title.strip().casefold() in ("", call_title.strip().casefold())
    return (call_title if same else f"{call_title} — {lot_title}")[:300]


def check_start(start_at: datetime, standstill_end: datetime) -> None:
    if start_at < standstill_end:
        raise Invalid("start_at", f"a contract cannot start before the standstill ends ({standstill_end.isoformat()})")


def sign(side: str, already_signed: set[str]) -> set[str]:
    """The sides that have signed after ``side`` signs; a second signature by the same side is refused."""
    if side in already_signed:
        raise Conflict(f"the {side} has already signed this contract", signed_by=sorted(already_signed))
    return already_signed | {side}


def fully_signed(signed: set[str]) -> bool:
    return signed >= {AUTHORITY, PROVIDER}


@dataclass(frozen=True)
class ChangeLimits:
    """How far an amendment may move places or value from the signed contract, in percent (cumulative)."""

    max_value_change_percent: Decimal = Decimal(20)
    max_places_change_percent: Decimal = Decimal(20)


def check_change(field: str, original: Decimal, new: Decimal, limit_percent: Decimal) -> None:
    """Refuse a change of places or value beyond the configured share of what was signed."""
    if new <= 0:
        raise Invalid(field, f"{field} must stay above zero")
    change = abs(new - original) * 100 / original
    if change > limit_percent:
        raise Invalid(
            field,
            f"{field} may move at most {limit_percent}% from the signed {original}"
            f" (asked {new}, a {change:.2f}% change)",
        )
