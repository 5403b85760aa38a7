"""Minimum quality standards met: per contract, per CSO (supplier) and per standard, from accepted reports.

Every accepted monitoring report is published as a met ``reporting`` milestone carrying its answers to the
contract's service-type checklist (``standards: [{id, status}]``, status met / partly / not_met; the CSO's notes are
not published). Per contract: the answers of all its accepted reports counted by status, and *share met* = met /
all answers (four decimals). Per CSO: the same over the contracts whose award names it (a joint award counts in full
for each of its suppliers: these are answers, not money). Per standard: how often each code was met across the
contracts. Reports published without answers (filed before the checklist existed) and answers with an unknown
status count nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.observatory.ocds_read import Call, Contract, ocid_order, party_names
from services.portal.domain.observatory.stats import share

STATUSES = ("met", "partly", "not_met")


@dataclass(frozen=True)
class Tally:
    """Answers counted by status."""

    met: int = 0
    partly: int = 0
    not_met: int = 0

    @property
    def answers(self) -> int:
        return self.met + self.partly + self.not_met

    @property
    def share_met(self) -> Decimal | None:
        return share(self.met, self.answers)

    def plus(self, other: Tally) -> Tally:
        return Tally(self.met + other.met, self.partly + other.partly, self.not_met + other.not_met)


@dataclass(frozen=True)
class ContractStandards:
    ocid: str
    contract_id: str
    supplier_ids: tuple[str, ...]
    district_code: str | None
    service_type: str | None
    reports: int  # accepted reports that answered the checklist
    tally: Tally
    ocids: tuple[str, ...]


@dataclass(frozen=True)
class SupplierStandards:
    supplier_id: str
    name: str
    contracts: int
    reports: int
    tally: Tally
    ocids: tuple[str, ...]


@dataclass(frozen=True)
class StandardCount:
    code: str
    tally: Tally
    contracts: int  # contracts with at least one answer to it
    ocids: tuple[str, ...]


def _count(statuses) -> Tally:
    counted = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status in counted:
            counted[status] += 1
    return Tally(**counted)


def _answered(contract: Contract) -> list:
    return [report for report in contract.reports if report.standards]


def _suppliers(call: Call, contract: Contract) -> tuple[str, ...]:
    award = next((a for a in call.awards if a.id == contract.award_id), None)
    return award.supplier_ids if award else ()


def per_contract(calls: list[Call]) -> list[ContractStandards]:
    """One row per contract with at least one accepted report that answered the checklist, in ocid order."""
    rows = []
    for call in sorted(calls, key=lambda c: ocid_order(c.ocid)):
        for contract in sorted(call.contracts, key=lambda c: ocid_order(c.id)):
            reports = _answered(contract)
            if not reports:
                continue
            tally = _count(status for report in reports for _code, status in report.standards)
            rows.append(
                ContractStandards(
                    ocid=call.ocid,
                    contract_id=contract.id,
                    supplier_ids=_suppliers(call, contract),
                    district_code=call.district_code,
                    service_type=call.service_type,
                    reports=len(reports),
                    tally=tally,
                    ocids=(call.ocid,),
                )
            )
    return rows


def per_supplier(calls: list[Call]) -> list[SupplierStandards]:
    """One row per CSO named in the award of a contract with answered reports, in supplier id order."""
    found: dict[str, list[ContractStandards]] = defaultdict(list)
    for row in per_contract(calls):
        for supplier in row.supplier_ids:
            found[supplier].append(row)
    names = party_names(calls)
    out = []
    for supplier in sorted(found):
        rows = found[supplier]
        total = Tally()
        for row in rows:
            total = total.plus(row.tally)
        out.append(
            SupplierStandards(
                supplier_id=supplier,
                name=names.get(supplier, supplier),
                contracts=len(rows),
                reports=sum(row.reports for row in rows),
                tally=total,
                ocids=tuple(sorted({row.ocid for row in rows}, key=ocid_order)),
            )
        )
    return out


def per_standard(calls: list[Call]) -> list[StandardCount]:
    """How often each standard (by code) was met, partly met or not met, over every answered report."""
    statuses: dict[str, list[str]] = defaultdict(list)
    contracts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for call in calls:
        for contract in call.contracts:
            for report in _answered(contract):
                for code, status in report.standards:
                    statuses[code].append(status)
                    contracts[code].add((call.ocid, contract.id))
    return [
        StandardCount(
            code=code,
            tally=_count(statuses[code]),
            contracts=len(contracts[code]),
            ocids=tuple(sorted({ocid for ocid, _id in contracts[code]}, key=ocid_order)),
        )
        for code in sorted(statuses, key=ocid_order)
    ]
