"""Per-procedure periods: the minimum enquiry and tendering periods, amendment extension and standstill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.errors import Invalid

MIN_COMMITTEE_SIZE = 3


@dataclass(frozen=True)
class ProcedureRules:
    min_enquiry: timedelta = timedelta(days=5)
    min_tendering: timedelta = timedelta(days=10)
    # A material amendment moves the submission deadline out by at least this much.
    min_amendment_extension: timedelta = timedelta(days=4)
    # Law 131/2015 art. 31: 6 days below the thresholds (11 at or above them); per procedure, default 6.
    default_standstill_days: int = 6
    # Set only to compress time (the demo): replaces every tender's standstill_days.
    standstill_override: timedelta | None = None

    def standstill(self, standstill_days: int) -> timedelta:
        return self.standstill_override or timedelta(days=standstill_days)


def check_periods(rules: ProcedureRules, now: datetime, enquiry_end: datetime, submission_deadline: datetime) -> None:
    """Refuse periods shorter than the procedure allows, naming the field to move."""
    if not now < enquiry_end < submission_deadline:
        raise Invalid("submission_deadline", "need now < enquiry_end < submission_deadline")
    if enquiry_end - now < rules.min_enquiry:
        raise Invalid("enquiry_end", f"the enquiry period must last at least {_human(rules.min_enquiry)}")
    if submission_deadline - enquiry_end < rules.min_tendering:
        raise Invalid(
            "submission_deadline",
            f"the tendering period (enquiry_end to submission_deadline) must last at least "
            f"{_human(rules.min_tendering)}",
        )


# What every lot must state before its call goes out: bidders price places over a duration against a budget.
LOT_TERMS = ("budget", "places", "duration_months")


def check_publishable(lots: list[dict]) -> None:
    """Refuse to publish a call with no lot, or with a lot missing a term; names each lot and what it lacks.

    ``lots``: each lot's ``number``, ``title`` and LOT_TERMS (None where missing)."""
    if not lots:
        raise Invalid("lots", "a call needs at least one lot before it is published")
    missing = {
        str(lot["number"]): [term for term in LOT_TERMS if lot.get(term) is None]
        for lot in lots
        if any(lot.get(term) is None for term in LOT_TERMS)
    }
    if missing:
        lacks = "; ".join(f"lot {number}: {', '.join(terms)}" for number, terms in missing.items())
        refusal = Invalid("lots", f"every lot needs its {', '.join(LOT_TERMS)} before publishing; missing: {lacks}")
        refusal.details["missing"] = missing
        raise refusal


def amended_deadline(rules: ProcedureRules, current: datetime, requested: datetime | None) -> datetime:
    """The submission deadline after a material amendment: at least the minimum extension later."""
    earliest = current + rules.min_amendment_extension
    if requested is None:
        return earliest
    if requested < earliest:
        raise Invalid(
            "submission_deadline",
            f"a material amendment must move the deadline out by at least {_human(rules.min_amendment_extension)}"
            f" (to {earliest.isoformat()} or later)",
        )
    return requested


def _human(period: timedelta) -> str:
    if period.total_seconds() % 86400 == 0:
        return f"{period.days} day(s)"
    return f"{int(period.total_seconds())} second(s)"
