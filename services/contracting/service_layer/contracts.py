"""Contract use cases: make the contracts of a tender's active awards, read them, edit before signature, sign,
cancel and terminate. Every write locks the tender row, then the contract, and goes through ``record``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from services.common.auth import Principal
from services.common.errors import Conflict, Forbidden, InvalidTransition, NotFound
from services.contracting.adapters.orm import Tender
from services.contracting.adapters.orm_contracts import Contract, ContractVersion, Milestone, TenderSuccession
from services.contracting.adapters.orm_evaluation import Award, Bid, Complaint
from services.contracting.adapters.orm_tendering import Lot
from services.contracting.domain import contracts as rules
from services.contracting.domain import milestones as schedule
from services.contracting.domain import tender_status
from services.contracting.domain.contracts import ChangeLimits, TermRules
from services.contracting.domain.renewal import RenewalPolicy
from services.contracting.service_layer.base import (
    Call,
    load_tender,
    money,
    ocid,
    record,
    tender_payload,
    utc,
)

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


def create_contracts(call: Call, setup: ContractRules, tender_id: int, data: dict) -> tuple[list[Contract], int]:
    """A contract for every active award that has none yet (harmless to repeat); returns all and how many are new."""
    with call.uow:
        tender = load_tender(call, tender_id)
        _check_contractable(call, tender)
        session = call.uow.session
        existing = {c.award_id for c in _of_tender(session, tender.id)}
        active = session.scalars(
            select(Award).where(Award.tender_id == tender.id, Award.status == "active").order_by(Award.id)
        ).all()
        new = [_new_contract(call, setup, tender, award, data) for award in active if award.id not in existing]
        call.uow.commit()
        return _of_tender(session, tender.id), len(new)


def _check_contractable(call: Call, tender: Tender) -> None:
    if tender.status not in (tender_status.CONTRACT_PENDING, tender_status.COMPLETE):
        ends = utc(tender.standstill_end)
        waiting = ends and tender.status == tender_status.STANDSTILL
        detail = f" (the standstill ends {ends.isoformat()})" if waiting else ""
        raise InvalidTransition(
            "tender", tender.status, f"make contracts{detail}", tender_status.allowed_actions(tender.status)
        )
    query = select(Complaint.id).where(Complaint.tender_id == tender.id, Complaint.status == "pending")
    open_complaints = list(call.uow.session.scalars(query))
    if open_complaints:
        raise Conflict("an open complaint blocks the contract", complaint_ids=open_complaints)


def _of_tender(session, tender_id: int) -> list[Contract]:
    return list(session.scalars(select(Contract).where(Contract.tender_id == tender_id).order_by(Contract.id)))


def _new_contract(call: Call, setup: ContractRules, tender: Tender, award: Award, data: dict) -> Contract:
    session = call.uow.session
    lot, bid = session.get(Lot, award.lot_id), session.get(Bid, award.bid_id)
    start_at = _start(call, setup, tender, data.get("start_at"))
    end_at = setup.terms.add_months(start_at, lot.duration_months)
    frequency = data.get("milestone_frequency") or "monthly"
    contract = Contract(
        tender_id=tender.id,
        award_id=award.id,
        lot_id=lot.id,
        provider_id=award.provider_id,
        district_code=tender.district_code,
        service_type=tender.service_type,
        title=f"{tender.title} — {lot.title}"[:300],
        status=rules.PENDING,
        places=award.places,
        unit_price=bid.unit_price,
        value=award.value,
        original_places=award.places,
        original_value=award.value,
        start_at=start_at,
        end_at=end_at,
        original_months=lot.duration_months,
        total_months=lot.duration_months,
        renewals=0,
        milestone_frequency=frequency,
        kpis=kpis_in(data.get("kpis")) or default_kpis(award.places),
        version=0,
        created_by=call.actor,
        created_at=call.now,
    )
    session.add(contract)
    session.flush()
    periods = schedule.generate(setup.terms, start_at, end_at, award.value, frequency)
    add_milestones(call, contract, periods, setup.policy.report_grace)
    add_version(call, contract, "created", "contract drawn up from the award", {})
    record(call, tender, "create_contract", payload(call, contract), "contract.created")
    return contract


def _start(call: Call, setup: ContractRules, tender: Tender, given: datetime | None) -> datetime:
    """As given, else the day after the standstill, but never before a re-tender's planned start."""
    standstill_end = utc(tender.standstill_end) or call.now
    if given is not None:
        rules.check_start(given, standstill_end)
        return given
    start = setup.terms.default_start(standstill_end)
    succession = call.uow.session.scalars(select(TenderSuccession).where(TenderSuccession.tender_id == tender.id))
    planned = next((utc(s.planned_contract_start) for s in succession), None)
    return max(start, planned) if planned else start


def default_kpis(places: int) -> list[dict]:
    return [{"code": "beneficiaries_served", "name": "Beneficiari deserviți", "target": str(places), "unit": "persons"}]


def kpis_in(kpis: list[dict] | None) -> list[dict] | None:
    return [{**k, "target": str(k["target"])} for k in kpis] if kpis else None


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


def edit_pending(call: Call, setup: ContractRules, contract_id: int, data: dict) -> Contract:
    """Before anyone signs: move the start, change the KPIs, regenerate or hand-write the milestones."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        rules.transition(contract.status, "edit")
        if contract.authority_signed_at or contract.provider_signed_at:
            raise Conflict("the contract has a signature already: it can no longer be edited", status=contract.status)
        if data.get("start_at"):
            rules.check_start(data["start_at"], utc(tender.standstill_end) or call.now)
            contract.start_at = data["start_at"]
            contract.end_at = setup.terms.add_months(data["start_at"], contract.total_months)
        if data.get("kpis"):
            contract.kpis = kpis_in(data["kpis"])
        contract.milestone_frequency = data.get("milestone_frequency") or contract.milestone_frequency
        if {"start_at", "milestone_frequency", "milestones"} & data.keys():
            # A changed term or cadence regenerates the schedule; a KPI-only edit keeps a hand-written one.
            _replace_milestones(call, setup, contract, data.get("milestones"))
        changes = {k: str(v) if isinstance(v, datetime) else v for k, v in data.items() if k != "milestones"}
        add_version(call, contract, "edit", data.get("reason") or "edited before signature", _jsonable(changes))
        record(call, tender, "edit_contract", payload(call, contract))
        call.uow.commit()
        return contract


def _replace_milestones(call: Call, setup: ContractRules, contract: Contract, written: list[dict] | None) -> None:
    start, end = utc(contract.start_at), utc(contract.end_at)
    if written:
        periods = [
            schedule.Period(i, m["period_start"], m["period_end"], m["amount"]) for i, m in enumerate(written, 1)
        ]
        schedule.check_schedule(periods, start, end, contract.value)
    else:
        periods = schedule.generate(setup.terms, start, end, contract.value, contract.milestone_frequency)
    for milestone in milestones_of(call.uow.session, contract.id):
        call.uow.session.delete(milestone)
    call.uow.session.flush()
    add_milestones(call, contract, periods, setup.policy.report_grace)


def _jsonable(changes: dict) -> dict:
    return {k: [{**x, "target": str(x["target"])} for x in v] if k == "kpis" else v for k, v in changes.items()}


def sign(call: Call, contract_id: int) -> Contract:
    """The authority of the district or the CSO of the provider signs; both signatures make it active."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        rules.transition(contract.status, "sign")
        side = _side(call)
        signed = rules.sign(side, _signed(contract))
        setattr(contract, f"{side}_signed_by", call.actor)
        setattr(contract, f"{side}_signed_at", call.now)
        record(call, tender, f"sign_contract_{side}", payload(call, contract, side=side), "contract.signed")
        if rules.fully_signed(signed):
            contract.status = rules.transition(contract.status, "activate")
            contract.activated_at = call.now
            record(call, tender, "activate_contract", payload(call, contract), "contract.activated")
            _maybe_complete(call, tender)
        call.uow.commit()
        return contract


def _side(call: Call) -> str:
    """The side the caller signs for; load_contract has already turned away anyone not a party."""
    if call.role == "authority":
        return rules.AUTHORITY
    if call.role == "cso":
        return rules.PROVIDER
    raise Forbidden("only the district's authority or the provider named in the contract signs it")


def _signed(contract: Contract) -> set[str]:
    sides = {rules.AUTHORITY: contract.authority_signed_at, rules.PROVIDER: contract.provider_signed_at}
    return {side for side, at in sides.items() if at is not None}


def _maybe_complete(call: Call, tender: Tender) -> None:
    """Every active award has a contract and every contract not cancelled is signed: the tender is complete."""
    session = call.uow.session
    session.flush()
    made = [c for c in _of_tender(session, tender.id) if c.status != rules.CANCELLED]
    awarded = set(session.scalars(select(Award.id).where(Award.tender_id == tender.id, Award.status == "active")))
    if tender.status != tender_status.CONTRACT_PENDING or not made or awarded - {c.award_id for c in made}:
        return
    if all(c.status == rules.ACTIVE for c in made):
        tender.status = tender_status.transition(tender.status, "complete")
        record(call, tender, "complete", tender_payload(tender, call.prefix), "tender.complete")


def end(call: Call, contract_id: int, action: str, reason: str) -> Contract:
    """Cancel (before it is active) or terminate (while active), with the reason."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        contract.status = rules.transition(contract.status, action)
        contract.ended_at, contract.end_reason = call.now, reason
        event_type = "contract.cancelled" if action == "cancel" else "contract.terminated"
        record(call, tender, f"{action}_contract", payload(call, contract, reason=reason), event_type)
        call.uow.commit()
        return contract
