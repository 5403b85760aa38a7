"""A contract as every contract use case sees it: who may act on it, loading it locked, its event payload, its
versions and milestones; and reading contracts (public). Every write locks the tender row, then the contract, and
goes through ``record``.

The use cases live beside it: contract_making (made after the standstill, with no complaint open),
contract_editing (before signature), contract_signing (signatures, cancel, terminate), renewals (amendments,
renewals, expiry), reports (monitoring reports) and continuity (re-tenders).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from services.common.errors import NotFound
from services.common.tokens import Principal
from services.contracting.adapters.orm_contracts import Contract, ContractVersion, Milestone, MonitoringReport
from services.contracting.adapters.orm_tendering import Tender
from services.contracting.domain import contracts as rules
from services.contracting.domain import milestones as schedule
from services.contracting.domain.contracts import ChangeLimits, TermRules
from services.contracting.domain.renewal import RenewalPolicy
from services.contracting.service_layer.base import (
    Call,
    load_tender,
    money,
    ocid,
    utc,
)
from services.contracting.service_layer.commands import Kpi

# Roles that act on any contract: operators by office, the flows (service) on the clock.
OVERSEERS = ("operator", "service")


@dataclass(frozen=True)
class ContractRules:
    policy: RenewalPolicy
    terms: TermRules
    limits: ChangeLimits


def payload(call: Call, contract: Contract, **fields) -> dict:
    """The fields every contract event carries."""
    return {
        "contract_id": contract.id,
        "tender_id": contract.tender_id,
        "ocid": ocid(call.prefix, contract.tender_id),
        "district_code": contract.district_code,
        "service_type": contract.service_type,
        "provider_id": contract.provider_id,
        "award_id": contract.award_id,
        "lot_id": contract.lot_id,
        "status": contract.status,
        "places": contract.places,
        "value": money(contract.value),
        "start_at": utc(contract.start_at).isoformat(),
        "end_at": utc(contract.end_at).isoformat(),
        "version": contract.version,
        **fields,
    }


def is_party(contract: Contract, principal: Principal | None) -> bool:
    """Who may act on a contract: its district's authority, its provider's CSO, an operator or the flows."""
    if principal is None:
        return False
    if principal.role in OVERSEERS:
        return True
    if principal.role == "authority":
        return principal.district_code == contract.district_code
    if principal.role == "cso":
        return principal.provider_id is not None and int(principal.provider_id) == contract.provider_id
    return False


def load_contract(call: Call, contract_id: int, *, scoped: bool = True) -> tuple[Tender, Contract]:
    """The contract and its tender, both row-locked (tender first, the order every writer follows).

    A caller who is not a party is told the contract does not exist, before any check of its state, so the
    refusal says nothing a missing contract would not (like another district's tender, see load_tender)."""
    session = call.uow.session
    found = session.get(Contract, contract_id)
    if found is None or (scoped and not is_party(found, call.principal)):
        raise NotFound(f"contract {contract_id} does not exist")
    tender = load_tender(call, found.tender_id, scoped=False)
    return tender, session.get(Contract, contract_id, with_for_update=True, populate_existing=True)


def terms(contract: Contract) -> dict:
    """The contract's terms as one version records them."""
    return {
        "places": contract.places,
        "unit_price": money(contract.unit_price),
        "value": money(contract.value),
        "start_at": utc(contract.start_at).isoformat(),
        "end_at": utc(contract.end_at).isoformat(),
        "total_months": contract.total_months,
        "renewals": contract.renewals,
        "milestone_frequency": contract.milestone_frequency,
        "kpis": contract.kpis,
    }


def add_version(call: Call, contract: Contract, kind: str, reason: str, changes: dict) -> ContractVersion:
    contract.version = (contract.version or 0) + 1
    version = ContractVersion(
        contract_id=contract.id,
        version=contract.version,
        kind=kind,
        reason=reason,
        changes=changes,
        terms=terms(contract),
        created_by=call.actor,
        created_at=call.now,
    )
    call.uow.session.add(version)
    return version


def milestones_of(session, contract_id: int) -> list[Milestone]:
    query = select(Milestone).where(Milestone.contract_id == contract_id).order_by(Milestone.number)
    return list(session.scalars(query))


def add_milestones(call: Call, contract: Contract, periods: list[schedule.Period], grace) -> None:
    call.uow.session.add_all(
        Milestone(
            contract_id=contract.id,
            number=p.number,
            period_start=p.period_start,
            period_end=p.period_end,
            report_due_at=schedule.report_due_at(p.period_end, grace),
            amount=p.amount,
            status=schedule.PLANNED,
        )
        for p in periods
    )


def of_tender(session, tender_id: int) -> list[Contract]:
    return list(session.scalars(select(Contract).where(Contract.tender_id == tender_id).order_by(Contract.id)))


def kpis_in(kpis: tuple[Kpi, ...] | None) -> list[dict] | None:
    """The KPIs as a contract stores them (the target as a string, exact)."""
    return [{**asdict(k), "target": str(k.target)} for k in kpis] if kpis else None


def get_contract(call: Call, contract_id: int) -> Contract:
    with call.uow:
        contract = call.uow.session.get(Contract, contract_id)
        # Contracts are public: every caller reads one as anyone may (a token never sees less than the public).
        if contract is None:
            raise NotFound(f"contract {contract_id} does not exist")
        return contract


def list_contracts(call: Call, filters: dict) -> list[Contract]:
    with call.uow:
        # Public, so the same for every caller; a district's own are one district_code filter away.
        query = select(Contract).order_by(Contract.id)
        for name, value in filters.items():
            query = query.where(getattr(Contract, name) == value)
        return list(call.uow.session.scalars(query))


def versions(call: Call, contract_id: int) -> list[ContractVersion]:
    get_contract(call, contract_id)
    with call.uow:
        query = select(ContractVersion).where(ContractVersion.contract_id == contract_id)
        return list(call.uow.session.scalars(query.order_by(ContractVersion.version)))


def contract_views(call: Call, shown: list[Contract]) -> list[dict]:
    """The contracts with their milestones (each with its report's state and the computed late flag)."""
    with call.uow:
        return [_contract_view(call, call.uow.session, contract) for contract in shown]


def _contract_view(call: Call, session, contract: Contract) -> dict:
    query = select(MonitoringReport).where(MonitoringReport.contract_id == contract.id)
    standing = {report.milestone_id: report for report in session.scalars(query.order_by(MonitoringReport.id))}
    return {
        **{column.key: getattr(contract, column.key) for column in Contract.__table__.columns},
        "ocid": ocid(call.prefix, contract.tender_id),
        "currency": "MDL",
        "signatures": {
            rules.AUTHORITY: {"signed_by": contract.authority_signed_by, "signed_at": contract.authority_signed_at},
            rules.PROVIDER: {"signed_by": contract.provider_signed_by, "signed_at": contract.provider_signed_at},
        },
        "milestones": [_milestone_view(m, standing.get(m.id), call.now) for m in milestones_of(session, contract.id)],
        "allowed_actions": rules.allowed_actions(contract.status),
    }


def _milestone_view(milestone: Milestone, report: MonitoringReport | None, now) -> dict:
    filed = report is not None and report.status != schedule.RETURNED
    submitted_at = utc(report.submitted_at) if filed else None
    return {
        **{column.key: getattr(milestone, column.key) for column in Milestone.__table__.columns},
        "report_status": report.status if report else None,
        "late": schedule.is_late(utc(milestone.report_due_at), submitted_at, now),
    }
