"""Reference costs per beneficiary as the portal shows them: which one applies to a call, and whether each lot's
budget covers its places at that cost (a check that informs; it never blocks a call).

The rule for which cost applies is the platform's one (services/common/reference_costs.py): the district's own
for the call's year, else the national one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from services.common.reference_costs import CENTS, NATIONAL, ReferenceCostFacts, applicable, places_cost


def facts_from_rows(rows: Iterable[Mapping]) -> list[ReferenceCostFacts]:
    """The registry's GET /reference-costs rows, typed."""
    return [ReferenceCostFacts.from_payload(dict(row)) for row in rows or ()]


def applying(rows: Iterable[Mapping], service_type: str, district_code: str, year: int) -> ReferenceCostFacts | None:
    return applicable(facts_from_rows(rows), service_type, district_code, year)


def from_ocds(reference: Mapping | None) -> ReferenceCostFacts | None:
    """A lot's OCDS ``referenceCost`` (the platform's extension field), typed; None when the lot has none."""
    if not reference:
        return None
    amount = (reference.get("amount") or {}).get("amount")
    if amount is None:
        return None
    return ReferenceCostFacts(
        service_type="",
        district_code=str(reference.get("districtCode") or NATIONAL),
        year=int(reference.get("year") or 0),
        amount=Decimal(str(amount)).quantize(CENTS),
        source=str(reference.get("source") or ""),
        currency=str((reference.get("amount") or {}).get("currency") or "MDL"),
    )


@dataclass(frozen=True)
class LotCheck:
    """One lot's budget against places x reference cost (for the lot's months)."""

    number: int
    title: str
    places: int
    months: int
    budget: Decimal | None
    needed: Decimal | None  # places x reference cost x months / 12; None: no reference applies
    per_place_year: Decimal | None  # the budget per place per year

    @property
    def known(self) -> bool:
        return self.needed is not None and self.budget is not None

    @property
    def enough(self) -> bool:
        return self.known and self.budget >= self.needed


def lot_checks(reference: ReferenceCostFacts | None, lots: Iterable[Mapping]) -> list[LotCheck]:
    """Each lot (number, title, places, budget, duration_months) against the reference cost; lots missing a term
    are listed without a verdict."""
    checks = []
    for index, lot in enumerate(lots, start=1):
        places, months, budget = _int(lot.get("places")), _int(lot.get("duration_months")) or 12, _money(lot)
        needed = places_cost(reference, places, months) if reference is not None and places else None
        per_place = (budget * 12 / months / places).quantize(CENTS) if budget is not None and places else None
        checks.append(
            LotCheck(
                number=_int(lot.get("number")) or index,
                title=str(lot.get("title") or ""),
                places=places,
                months=months,
                budget=budget,
                needed=needed,
                per_place_year=per_place,
            )
        )
    return checks


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _money(lot: Mapping) -> Decimal | None:
    value = lot.get("budget")
    if isinstance(value, Mapping):  # an OCDS Value
        value = value.get("amount")
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(CENTS)
    except InvalidOperation:
        return None
