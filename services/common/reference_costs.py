"""Reference costs per beneficiary as the registry publishes them, and the one rule for which of them applies.

A reference cost is the annual cost of one place of a social service (MDL), set for a district and a year by the
cost methodology its council adopts, or nationally (district ``"*"``). The registry keeps them (GET
/api/v1/reference-costs, reference_cost.set events); contracting attaches the one that applies to each lot it
publishes in OCDS, and the portal shows it to the department drafting a call and to everyone reading one.

Plain Python on purpose: every service's domain and the portal import this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

NATIONAL = "*"
FIRST_YEAR, LAST_YEAR = 2020, 2100
CURRENCY = "MDL"
CENTS = Decimal("0.01")
LOCAL_TIME_ZONE = ZoneInfo("Europe/Chisinau")


@dataclass(frozen=True)
class ReferenceCostFacts:
    """One reference cost as the registry's reference_cost.set events and its API publish it."""

    service_type: str
    district_code: str  # a district's code, or NATIONAL
    year: int
    amount: Decimal  # MDL per place per year
    source: str
    currency: str = CURRENCY
    version: int = 1

    @classmethod
    def from_payload(cls, payload: dict) -> ReferenceCostFacts:
        return cls(
            service_type=payload["service_type"],
            district_code=payload["district_code"],
            year=int(payload["year"]),
            amount=Decimal(str(payload["amount"])).quantize(CENTS),
            source=payload["source"],
            currency=payload.get("currency") or CURRENCY,
            version=int(payload.get("version") or 1),
        )

    @property
    def national(self) -> bool:
        return self.district_code == NATIONAL


def applicable(
    costs: Iterable[ReferenceCostFacts], service_type: str, district_code: str, year: int
) -> ReferenceCostFacts | None:
    """The district's own reference cost for that service and year, else the national one, else None."""
    found = {c.district_code: c for c in costs if c.service_type == service_type and c.year == year}
    return found.get(district_code) or found.get(NATIONAL)


def call_year(submission_deadline: datetime) -> int:
    """The year whose reference cost a call is measured against: its submission deadline's year in Chișinău.

    Known from the first draft and unmoved by when it is published, so the department sees while drafting the
    very reference the published call will carry (an amendment that moves the deadline does not change it)."""
    return submission_deadline.astimezone(LOCAL_TIME_ZONE).year


def places_cost(reference: ReferenceCostFacts, places: int, months: int = 12) -> Decimal:
    """What ``places`` places cost at the reference for ``months`` months (the reference is per year)."""
    return (reference.amount * places * months / 12).quantize(CENTS)
