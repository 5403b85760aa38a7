"""Payment milestones: one per reporting period (monthly or quarterly), their amounts, and report lateness.

Amounts are split to the ban and always add up to the contract's value exactly: the last milestone takes the
remainder. An accepted report makes its milestone payable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from services.common.errors import Invalid
from services.common.state_machine import StateMachine
from services.contracting.domain.contracts import TermRules

CENT = Decimal("0.01")
FREQUENCIES = {"monthly": 1, "quarterly": 3}

PLANNED = "planned"
PAYABLE = "payable"


@dataclass(frozen=True)
class Period:
    number: int
    period_start: datetime
    period_end: datetime
    amount: Decimal


def periods(terms: TermRules, start_at: datetime, end_at: datetime, frequency: str) -> list[tuple[datetime, datetime]]:
    """Consecutive periods of 1 or 3 months from the start; the last is cut at the end."""
    step = FREQUENCIES[frequency]
    out, begin, months = [], start_at, 0
    while begin < end_at:
        months += step
        finish = min(terms.add_months(start_at, months), end_at)
        out.append((begin, finish))
        begin = finish
    return out


def split(total: Decimal, count: int) -> list[Decimal]:
    """``count`` amounts to the ban adding up to ``total``; the last takes the remainder."""
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [total - share * (count - 1)]


def generate(terms: TermRules, start_at: datetime, end_at: datetime, total: Decimal, frequency: str) -> list[Period]:
    spans = periods(terms, start_at, end_at, frequency)
    amounts = split(total, len(spans))
    return [Period(i, s, e, a) for i, ((s, e), a) in enumerate(zip(spans, amounts, strict=True), start=1)]


def check_schedule(edited: list[Period], start_at: datetime, end_at: datetime, total: Decimal) -> None:
    """An edited schedule: periods in order, without overlap, inside the term, adding up to the value."""
    if not edited:
        raise Invalid("milestones", "a contract needs at least one milestone")
    previous_end = start_at
    for period in edited:
        if period.period_start < previous_end or period.period_end <= period.period_start:
            raise Invalid("milestones", f"milestone {period.number}: periods must follow each other without overlap")
        if period.period_end > end_at:
            raise Invalid("milestones", f"milestone {period.number} ends after the contract ({end_at.isoformat()})")
        previous_end = period.period_end
    paid = sum((p.amount for p in edited), Decimal(0))
    if paid != total:
        raise Invalid("milestones", f"milestone amounts add up to {paid}; the contract's value is {total}")


def spread(delta: Decimal, open_amounts: list[Decimal]) -> list[Decimal]:
    """Amounts of the milestones not yet payable after a value change of ``delta``, still exact to the ban."""
    if not open_amounts:
        raise Invalid("value", "every milestone is already payable: the value can no longer change")
    shares = split(delta, len(open_amounts)) if delta >= 0 else [-s for s in split(-delta, len(open_amounts))]
    changed = [amount + share for amount, share in zip(open_amounts, shares, strict=True)]
    if any(amount <= 0 for amount in changed):
        raise Invalid("value", "the open milestones cannot absorb so large a cut")
    return changed


def report_due_at(period_end: datetime, grace: timedelta) -> datetime:
    return period_end + grace


def is_late(due_at: datetime, submitted_at: datetime | None, now: datetime) -> bool:
    """Late: filed after its due time, or not filed and the due time has passed."""
    return (submitted_at or now) > due_at


SUBMITTED = "submitted"
ACCEPTED = "accepted"
RETURNED = "returned"
# A report is accepted or returned once, from ``submitted``; a returned report is answered by a new one.
REPORT_TRANSITIONS: dict[str, dict[str, str]] = {
    "accept": {SUBMITTED: ACCEPTED},
    "return": {SUBMITTED: RETURNED},
}
REPORT = StateMachine("report", REPORT_TRANSITIONS)
report_transition = REPORT.next


def check_kpi_values(values: dict[str, Decimal], kpi_codes: set[str]) -> None:
    unknown = set(values) - kpi_codes
    if unknown:
        raise Invalid("kpi_values", f"{sorted(unknown)} are not KPIs of this contract (its KPIs: {sorted(kpi_codes)})")
