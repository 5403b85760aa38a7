"""A department's new call as its form holds it: the periods checked against the procedure's rules, the criteria's
weights, the lots' terms, and the body contracting's POST /tenders takes.

The rules mirror contracting's (services/contracting/domain/procedure.py and criteria.py): the questions period
lasts at least ``min_enquiry`` from now, the bids period at least ``min_tendering`` after it, a material amendment
moves the deadline out by at least ``min_amendment_extension``, weights sum to 100 with one price criterion at
most, and a lot has no more winners than places. The page checks them as the person types and again on the server,
so most refusals come before the API is asked; the API still decides (its refusal is shown when it differs).
Moments in the form are the wall-clock time of Chișinău (a ``datetime-local`` field); the API gets them in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.portal.domain.deadlines import parse_moment

# What the form shows when a field breaks a rule (the page words each code in the person's language)
IN_THE_PAST = "in_the_past"
ENQUIRY_TOO_SHORT = "enquiry_too_short"
NOT_AFTER_ENQUIRY = "not_after_enquiry"
TENDERING_TOO_SHORT = "tendering_too_short"
WEEKEND_DEADLINE = "weekend_deadline"
EXTENSION_TOO_SHORT = "extension_too_short"
WEIGHTS_NOT_100 = "weights_not_100"
TWO_PRICES = "two_prices"
NO_CRITERION = "no_criterion"
MORE_WINNERS_THAN_PLACES = "more_winners_than_places"

PRICE = "price"
QUALITY = "quality"
WEEKEND = (5, 6)  # Saturday, Sunday (Monday is 0)
# A new call starts with these criteria (contracting's defaults): price counts, quality counts more.
DEFAULT_CRITERIA = (
    {"kind": PRICE, "name": "Preț", "weight": 40, "minimum": None},
    {"kind": QUALITY, "name": "Calitatea serviciului", "weight": 60, "minimum": None},
)


@dataclass(frozen=True)
class PeriodRules:
    """The procedure's periods as contracting applies them (its defaults: 5, 10 and 4 days)."""

    min_enquiry: timedelta = timedelta(days=5)
    min_tendering: timedelta = timedelta(days=10)
    min_amendment_extension: timedelta = timedelta(days=4)
    # Contracting has no such rule today; a procedure that wants it sets CONTRACTING_NO_WEEKEND_DEADLINE=1.
    no_weekend_deadline: bool = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> PeriodRules:
        """The same variables contracting reads (CONTRACTING_MIN_ENQUIRY_SECONDS, …), so the page agrees with it."""

        def seconds(name: str, default: timedelta) -> timedelta:
            value = environ.get(f"CONTRACTING_{name}_SECONDS")
            return timedelta(seconds=float(value)) if value else default

        flag = environ.get("CONTRACTING_NO_WEEKEND_DEADLINE", "").strip().lower() in ("1", "true", "yes", "on")
        return cls(
            min_enquiry=seconds("MIN_ENQUIRY", cls.min_enquiry),
            min_tendering=seconds("MIN_TENDERING", cls.min_tendering),
            min_amendment_extension=seconds("MIN_AMENDMENT_EXTENSION", cls.min_amendment_extension),
            no_weekend_deadline=flag,
        )


def to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time of ``zone`` (as a datetime-local field gives it) as an aware UTC moment."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(moment: str | datetime | None, zone: str) -> datetime | None:
    """An API moment as the wall-clock time of ``zone``, without its zone (what a datetime-local field shows)."""
    parsed = parse_moment(moment)
    if parsed is None:
        return None
    return parsed.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)


def on_a_weekend(moment: datetime, zone: str) -> bool:
    return moment.astimezone(ZoneInfo(zone)).weekday() in WEEKEND


def period_problems(
    rules: PeriodRules, now: datetime, enquiry_end: datetime | None, submission_deadline: datetime | None, zone: str
) -> dict[str, str]:
    """What is wrong with the periods, by field (``enquiry_end``, ``submission_deadline``); empty when they pass."""
    problems: dict[str, str] = {}
    if enquiry_end is not None:
        if enquiry_end <= now:
            problems["enquiry_end"] = IN_THE_PAST
        elif enquiry_end - now < rules.min_enquiry:
            problems["enquiry_end"] = ENQUIRY_TOO_SHORT
    if submission_deadline is not None:
        if submission_deadline <= now:
            problems["submission_deadline"] = IN_THE_PAST
        elif enquiry_end is not None and submission_deadline <= enquiry_end:
            problems["submission_deadline"] = NOT_AFTER_ENQUIRY
        elif enquiry_end is not None and submission_deadline - enquiry_end < rules.min_tendering:
            problems["submission_deadline"] = TENDERING_TOO_SHORT
        elif rules.no_weekend_deadline and on_a_weekend(submission_deadline, zone):
            problems["submission_deadline"] = WEEKEND_DEADLINE
    return problems


def earliest_amended_deadline(rules: PeriodRules, current_deadline: datetime) -> datetime:
    return current_deadline + rules.min_amendment_extension


def amendment_problem(
    rules: PeriodRules, current_deadline: datetime, requested: datetime | None, zone: str
) -> str | None:
    """Why the requested new deadline is refused (None: it may be asked; None requested: the earliest is taken)."""
    if requested is None:
        return None
    if requested < earliest_amended_deadline(rules, current_deadline):
        return EXTENSION_TOO_SHORT
    if rules.no_weekend_deadline and on_a_weekend(requested, zone):
        return WEEKEND_DEADLINE
    return None


def weight_total(weights: list[int | None]) -> int:
    return sum(weight or 0 for weight in weights)


def criteria_problems(criteria: list[dict]) -> list[str]:
    """``criteria``: each with ``kind`` and ``weight``. What keeps them from being scored (empty when fine)."""
    if not criteria:
        return [NO_CRITERION]
    problems = []
    if weight_total([c.get("weight") for c in criteria]) != 100:
        problems.append(WEIGHTS_NOT_100)
    if sum(1 for c in criteria if c.get("kind") == PRICE) > 1:
        problems.append(TWO_PRICES)
    return problems


def lot_problem(lot: dict) -> str | None:
    places, winners = lot.get("places"), lot.get("max_awards")
    if places is not None and winners is not None and winners > places:
        return MORE_WINNERS_THAN_PLACES
    return None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Draft:
    """What the department typed, in plain values (the form's fields, lots and criteria as dicts)."""

    district_code: str
    service_type: str
    title: str
    enquiry_end: datetime
    submission_deadline: datetime
    lots: list[dict]
    criteria: list[dict]
    committee_size: int = 3
    description: str = ""
    title_ru: str | None = None
    title_en: str | None = None

    def payload(self) -> dict:
        """The body of contracting's POST /tenders (moments in UTC, money as strings, blank translations left out)."""
        body = {
            "district_code": self.district_code,
            "service_type": self.service_type,
            "title": self.title.strip(),
            "description": (self.description or "").strip(),
            "enquiry_end": self.enquiry_end.astimezone(UTC).isoformat(),
            "submission_deadline": self.submission_deadline.astimezone(UTC).isoformat(),
            "committee_size": self.committee_size,
            "lots": [
                {
                    "title": (lot.get("title") or "").strip(),
                    "places": lot.get("places"),
                    "budget": _money(lot.get("budget")),
                    "duration_months": lot.get("duration_months"),
                    "max_awards": lot.get("max_awards") or 1,
                }
                for lot in self.lots
            ],
            "criteria": [
                {
                    "kind": criterion.get("kind"),
                    "name": (criterion.get("name") or "").strip(),
                    "weight": criterion.get("weight"),
                    "minimum": _money(criterion.get("minimum")),
                }
                for criterion in self.criteria
            ],
        }
        for name in ("title_ru", "title_en"):
            if _text(getattr(self, name)):
                body[name] = _text(getattr(self, name))
        return body


def copied_from(tender: dict, zone: str) -> dict:
    """A draft's terms as the form's data, to start a new draft from it (contracting does not edit drafts)."""
    return {
        "service_type": tender.get("service_type"),
        "title": tender.get("title") or "",
        "title_ru": tender.get("title_ru") or "",
        "title_en": tender.get("title_en") or "",
        "description": tender.get("description") or "",
        "committee_size": tender.get("committee_size") or 3,
        "enquiry_end": to_local(tender.get("enquiry_end"), zone),
        "submission_deadline": to_local(tender.get("submission_deadline"), zone),
        "lots": [
            {
                "title": lot.get("title") or "",
                "places": lot.get("places"),
                "budget": Decimal(str(lot["budget"])) if lot.get("budget") is not None else None,
                "duration_months": lot.get("duration_months"),
                "max_awards": lot.get("max_awards") or 1,
            }
            for lot in sorted(tender.get("lots") or [], key=lambda lot: lot.get("number") or 0)
        ],
        "criteria": [
            {
                "kind": criterion.get("kind"),
                "name": criterion.get("name") or "",
                "weight": criterion.get("weight"),
                "minimum": Decimal(str(criterion["minimum"])) if criterion.get("minimum") is not None else None,
            }
            for criterion in sorted(tender.get("criteria") or [], key=lambda c: c.get("number") or 0)
        ],
    }


def suggested_periods(rules: PeriodRules, now: datetime, zone: str) -> tuple[datetime, datetime]:
    """Periods a new form starts with: the minimum questions and bids periods, each ending at the next full hour
    (moved off a weekend when the rules ask), as Chișinău wall-clock times."""
    enquiry_end = _next_full_hour(now + rules.min_enquiry + timedelta(hours=1))
    deadline = _next_full_hour(enquiry_end + rules.min_tendering)
    while rules.no_weekend_deadline and on_a_weekend(deadline, zone):
        deadline += timedelta(days=1)
    return to_local(enquiry_end, zone), to_local(deadline, zone)


def _next_full_hour(moment: datetime) -> datetime:
    rounded = moment.replace(minute=0, second=0, microsecond=0)
    return rounded if rounded == moment else rounded + timedelta(hours=1)
