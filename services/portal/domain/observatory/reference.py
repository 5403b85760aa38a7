"""Reference cost per beneficiary (per place per year) by service type x district x year.

The registry does not keep these yet (issue 20 asks it to, with the operator editing them and a source
reference), so they come as a plain list of rows, the shape the registry's export should take::

    [{"service_type": "home-care", "district_code": "MD-CU", "year": 2027,
      "amount": "9500.00", "currency": "MDL", "source": "Decizia CMC nr. 5/12 din 2026"}]

``amount`` is the annual cost of one place in MDL; ``district_code`` ``"*"`` gives a national value that any
district without its own falls back to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

NATIONAL = "*"


@dataclass(frozen=True)
class ReferenceCost:
    service_type: str
    district_code: str
    year: int
    amount: Decimal
    source: str = ""


class ReferenceCosts:
    """Look up the reference cost of a service in a district in a year (the district's own, else national)."""

    def __init__(self, costs: Iterable[ReferenceCost] = ()) -> None:
        self.by_key = {(c.service_type, c.district_code, c.year): c for c in costs}

    def __len__(self) -> int:
        return len(self.by_key)

    def find(self, service_type: str | None, district_code: str | None, year: int | None) -> ReferenceCost | None:
        own = self.by_key.get((service_type, district_code, year))
        return own or self.by_key.get((service_type, NATIONAL, year))


def reference_costs(rows: Iterable[Mapping] | None) -> ReferenceCosts:
    """Reference costs from plain rows (JSON or CSV-like mappings); currencies other than MDL are refused."""
    costs = []
    for row in rows or ():
        if row.get("currency", "MDL") != "MDL":
            raise ValueError(f"reference costs are in MDL, not {row['currency']}")
        costs.append(
            ReferenceCost(
                service_type=str(row["service_type"]),
                district_code=str(row.get("district_code") or NATIONAL),
                year=int(row["year"]),
                amount=Decimal(str(row["amount"])),
                source=str(row.get("source") or ""),
            )
        )
    return ReferenceCosts(costs)
