"""Spending: contracted value and places per district x service x year, price per place against the reference
cost, and contracted value over time.

Counted: contracts signed (status ``active``, or ``terminated`` — signed, since closed), by the year of their
period's start (else of their signature). Price per place = value / places. Against the reference cost (per
place per year) the price is annualised: value x 12 / the contract's months (its period, to the nearest month)
/ places; ratio = annual price per place / reference cost. Not in the published data: the reference costs
themselves (passed in; see ``reference``), and a contract's service district when it differs from the buyer's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.observatory.ocds_read import Call, Contract
from services.portal.domain.observatory.reference import ReferenceCosts
from services.portal.domain.observatory.stats import rounded, share

DAYS_PER_MONTH = Decimal("30.4375")


@dataclass(frozen=True)
class SpendingRow:
    district_code: str | None
    service_type: str | None
    year: int | None
    contracts: int
    value: Decimal
    places: int
    price_per_place: Decimal | None
    annual_price_per_place: Decimal | None
    reference_cost: Decimal | None
    ratio_to_reference: Decimal | None
    reference_source: str | None
    ocids: tuple[str, ...]


@dataclass(frozen=True)
class SpendingPeriod:
    period: str  # YYYY-MM of signature (else of start)
    contracts: int
    value: Decimal
    ocids: tuple[str, ...]


def contract_year(contract: Contract) -> int | None:
    started = contract.start or contract.signed
    return started.year if started else None


def contract_months(contract: Contract) -> int | None:
    """The contract's term to the nearest whole month (Jan 1 - Dec 31 is 12), or None without a period."""
    if contract.start is None or contract.end is None or contract.end <= contract.start:
        return None
    days = Decimal((contract.end - contract.start).days + 1)
    return max(1, int((days / DAYS_PER_MONTH).to_integral_value()))


def annual_value(contract: Contract) -> Decimal | None:
    months = contract_months(contract)
    if contract.value is None or months is None:
        return None
    return contract.value * 12 / months


def signed_contracts(calls: list[Call]) -> list[tuple[Call, Contract]]:
    return [(call, c) for call in calls for c in call.contracts if c.signed_or_closed and c.value is not None]


def _row(key: tuple, found: list[tuple[Call, Contract]], references: ReferenceCosts) -> SpendingRow:
    district, service, year = key
    value = sum((c.value for _call, c in found), Decimal(0))
    places = sum(c.places or 0 for _call, c in found)
    priced = [(annual_value(c), c.places) for _call, c in found if c.places]
    annual = None
    if priced and None not in (a for a, _p in priced):
        annual = rounded(sum((a for a, _p in priced), Decimal(0)) / sum(p for _a, p in priced))
    reference = references.find(service, district, year)
    ratio = share(annual, reference.amount) if reference and annual is not None else None
    return SpendingRow(
        district_code=district,
        service_type=service,
        year=year,
        contracts=len(found),
        value=value,
        places=places,
        price_per_place=rounded(value / places) if places else None,
        annual_price_per_place=annual,
        reference_cost=reference.amount if reference else None,
        ratio_to_reference=ratio,
        reference_source=reference.source if reference else None,
        ocids=tuple(sorted({call.ocid for call, _c in found})),
    )


def spending(calls: list[Call], references: ReferenceCosts | None = None) -> list[SpendingRow]:
    """One row per district x service x year that has a signed contract."""
    groups: dict[tuple, list[tuple[Call, Contract]]] = defaultdict(list)
    for call, contract in signed_contracts(calls):
        groups[(call.district_code, call.service_type, contract_year(contract))].append((call, contract))
    ordered = sorted(groups, key=lambda k: tuple("" if part is None else str(part) for part in k))
    return [_row(key, groups[key], references or ReferenceCosts()) for key in ordered]


def value_over_time(calls: list[Call]) -> list[SpendingPeriod]:
    """Contracted value per month of signature (a contract with no signature date counts at its start)."""
    groups: dict[str, list[tuple[Call, Contract]]] = defaultdict(list)
    for call, contract in signed_contracts(calls):
        when = contract.signed or contract.start
        groups[when.strftime("%Y-%m") if when else "unknown"].append((call, contract))
    return [
        SpendingPeriod(
            period,
            len(found),
            sum((c.value for _call, c in found), Decimal(0)),
            tuple(sorted({call.ocid for call, _c in found})),
        )
        for period, found in sorted(groups.items())
    ]
