"""CSO sustainability: each supplier's contracted revenue per year, districts, services, dependence on its
largest buyer and renewals won or lost; and how concentrated the sector is (HHI).

Revenue = value of signed contracts (see ``spending.signed_contracts``) whose award names the supplier, by the
contract's year. *Largest buyer share* = revenue from its largest buyer / its total revenue. *Renewals won*:
extensions of its contracts (amendments described as ``extension``) plus re-tenders (a call whose
``relatedProcesses`` names a predecessor) it won after holding the predecessor's award; *lost*: such re-tenders
awarded only to others. *HHI* per year (and per service type x year) = Σ (supplier's share of the contracted
value in %)², 0-10,000; above 2,500 is highly concentrated by the usual antitrust reading.
Not in the published data: a supplier's income from outside the platform.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.observatory.ocds_read import Call, party_names
from services.portal.domain.observatory.spending import contract_year, signed_contracts
from services.portal.domain.observatory.stats import hhi, share


@dataclass(frozen=True)
class SupplierRow:
    supplier_id: str
    name: str
    revenue_by_year: dict[int | None, Decimal]
    revenue: Decimal
    districts: tuple[str, ...]
    services: tuple[str, ...]
    largest_buyer_id: str | None
    largest_buyer_share: Decimal | None
    renewals_won: int
    renewals_lost: int
    ocids: tuple[str, ...]


@dataclass(frozen=True)
class Concentration:
    year: int | None
    service_type: str | None  # None: the whole sector
    suppliers: int
    value: Decimal
    hhi: Decimal | None
    top_supplier_id: str | None
    top_share: Decimal | None


def _revenue(calls: list[Call]) -> list[tuple[Call, str, int | None, Decimal, int]]:
    """(call, supplier, year, value, extensions) for each signed contract, split evenly if an award has several
    suppliers."""
    out = []
    for call, contract in signed_contracts(calls):
        award = next((a for a in call.awards if a.id == contract.award_id), None)
        suppliers = award.supplier_ids if award and award.supplier_ids else ()
        for supplier in suppliers:
            out.append((call, supplier, contract_year(contract), contract.value / len(suppliers), contract.extensions))
    return out


def renewals(calls: list[Call]) -> dict[str, list[int]]:
    """Supplier -> [re-tenders won, re-tenders lost] against the predecessor process it had won."""
    by_ocid = {call.ocid: call for call in calls}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for call in calls:
        if not call.winners:
            continue
        for predecessor in filter(None, map(by_ocid.get, call.predecessors)):
            for incumbent in predecessor.winners:
                tally[incumbent][0 if incumbent in call.winners else 1] += 1
    return tally


def _supplier_row(supplier: str, name: str, found: list, retenders: tuple[int, int]) -> SupplierRow:
    by_year: dict = defaultdict(Decimal)
    by_buyer: dict = defaultdict(Decimal)
    for call, _supplier, year, value, _extensions in found:
        by_year[year] += value
        by_buyer[call.buyer_id] += value
    total = sum(by_year.values(), Decimal(0))
    largest = max(sorted(by_buyer, key=str), key=lambda buyer: by_buyer[buyer])  # a tie goes to the first id
    calls = [entry[0] for entry in found]
    return SupplierRow(
        supplier_id=supplier,
        name=name,
        revenue_by_year=dict(sorted(by_year.items(), key=lambda kv: kv[0] or 0)),
        revenue=total,
        districts=tuple(sorted({c.district_code for c in calls if c.district_code})),
        services=tuple(sorted({c.service_type for c in calls if c.service_type})),
        largest_buyer_id=largest,
        largest_buyer_share=share(by_buyer[largest], total),
        renewals_won=retenders[0] + sum(entry[4] for entry in found),
        renewals_lost=retenders[1],
        ocids=tuple(sorted({c.ocid for c in calls})),
    )


def suppliers(calls: list[Call]) -> list[SupplierRow]:
    """One row per supplier with signed contracts, largest revenue first."""
    rows = defaultdict(list)
    for entry in _revenue(calls):
        rows[entry[1]].append(entry)
    names, retenders = party_names(calls), renewals(calls)
    out = [
        _supplier_row(supplier, names.get(supplier, supplier), found, tuple(retenders.get(supplier, (0, 0))))
        for supplier, found in rows.items()
    ]
    return sorted(out, key=lambda row: (-row.revenue, row.supplier_id))


def concentration(calls: list[Call]) -> list[Concentration]:
    """HHI per year for the whole sector, then per service type x year."""
    groups: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for call, supplier, year, value, _ext in _revenue(calls):
        groups[(year, None)][supplier] += value
        groups[(year, call.service_type)][supplier] += value
    out = []
    for (year, service), by_supplier in sorted(groups.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1] or "")):
        total = sum(by_supplier.values(), Decimal(0))
        top = max(sorted(by_supplier), key=lambda s: by_supplier[s])
        out.append(
            Concentration(
                year,
                service,
                len(by_supplier),
                total,
                hhi(list(by_supplier.values())),
                top,
                share(by_supplier[top], total),
            )
        )
    return out
