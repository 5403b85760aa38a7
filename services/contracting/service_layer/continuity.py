"""Continuity: re-tender a contract in time (a clone of its tender, published through the tender use cases),
find what succeeds a contract, raise and clear continuity alerts, and the public coverage view.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from services.common.errors import Conflict
from services.common.tokens import Principal
from services.contracting.adapters.orm_contracts import ContinuityAlert, Contract, TenderSuccession
from services.contracting.adapters.orm_replicas import ProviderReplica
from services.contracting.adapters.orm_tendering import Lot, Tender
from services.contracting.domain import continuity, renewal, tender_status
from services.contracting.domain import contracts as rules
from services.contracting.service_layer import renewals, tenders
from services.contracting.service_layer.base import Call, ocid, record, utc
from services.contracting.service_layer.commands import CreateTender, NewCriterion, NewLot
from services.contracting.service_layer.contracts import ContractRules, load_contract, payload

IN_PROGRESS = (
    tender_status.ENQUIRIES,
    tender_status.TENDERING,
    tender_status.EVALUATION,
    tender_status.STANDSTILL,
    tender_status.CONTRACT_PENDING,
)
FAILED = (tender_status.CANCELLED, tender_status.UNSUCCESSFUL)


class JoinedUnitOfWork:
    """Lets a use case that opens and commits its own unit of work run inside the caller's transaction instead."""

    def __init__(self, outer) -> None:
        self.outer, self.session = outer, outer.session

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def emit(self, event_type, event_payload, correlation_id=None):
        return self.outer.emit(event_type, event_payload, correlation_id)

    def commit(self) -> None:
        self.session.flush()


def retender(call: Call, setup: ContractRules, contract_id: int, reason: str | None = None):
    """Publish a successor call for the contract (or return the one already running): one transaction."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        if reason is not None:
            renewals.decline(call, contract_id, reason)
        result = _retender(call, setup, tender, contract)
        call.uow.commit()
        return result


def _retender(call: Call, setup: ContractRules, tender: Tender, contract: Contract) -> dict:
    rules.transition(contract.status, "retender")
    running = _running_successor(call, contract)
    if running is not None:
        return _plan_view(running[0], running[1], created=False)
    if renewals.open_proposal(call, contract) is not None:
        raise Conflict("a renewal proposal awaits the authority's decision: confirm or decline it first")
    standstill = call.rules.standstill(tender.standstill_days)
    plan = renewal.retender_plan(
        setup.policy, call.rules.min_enquiry, call.rules.min_tendering, standstill, call.now, utc(contract.end_at)
    )
    acting = replace(call, uow=JoinedUnitOfWork(call.uow), principal=_on_behalf(call, contract))
    draft = tenders.create_tender(acting, _clone(call, tender, contract, plan))
    succession = TenderSuccession(
        tender_id=draft.id,
        predecessor_contract_id=contract.id,
        predecessor_ocid=ocid(call.prefix, tender.id),
        planned_contract_start=plan.planned_contract_start,
        created_by=call.actor,
        created_at=call.now,
    )
    call.uow.session.add(succession)
    published = tenders.publish_tender(acting, draft.id)
    fields = {"successor_tender_id": published.id, "successor_ocid": ocid(call.prefix, published.id)}
    fields.update(planned_contract_start=plan.planned_contract_start.isoformat(), on_time=plan.on_time)
    record(call, tender, "retender_contract", payload(call, contract, **fields))
    return _plan_view(published, succession, created=True, plan=plan)


def _on_behalf(call: Call, contract: Contract) -> Principal:
    """The district's authority creates calls; a flow or an operator re-tenders on its behalf (and says so)."""
    if call.role == "authority":
        return call.principal
    return Principal(f"{call.role}:{call.principal.subject}", "authority", district_code=contract.district_code)


def _clone(call: Call, tender: Tender, contract: Contract, plan: renewal.RetenderPlan) -> CreateTender:
    """The predecessor's parameters: its lot (with the places now contracted), criteria, committee, standstill."""
    session = call.uow.session
    lot = session.get(Lot, contract.lot_id)
    budget = lot.budget if lot.budget is None else (lot.budget * contract.places / lot.places).quantize(renewals.CENT)
    criteria = call.tenders.criteria(tender.id)
    return CreateTender(
        district_code=tender.district_code,
        service_type=tender.service_type,
        title=tender.title,
        title_ru=tender.title_ru,
        title_en=tender.title_en,
        description=f"Continuity of contract {contract.id} ({ocid(call.prefix, tender.id)}). {tender.description}",
        description_ru=tender.description_ru,
        description_en=tender.description_en,
        enquiry_end=plan.enquiry_end,
        submission_deadline=plan.submission_deadline,
        committee_size=tender.committee_size,
        standstill_days=tender.standstill_days,
        lots=(NewLot(lot.title, contract.places, budget, lot.duration_months),),
        criteria=tuple(NewCriterion(c.kind, c.name, c.weight, c.minimum) for c in criteria),
    )


def _running_successor(call: Call, contract: Contract) -> tuple[Tender, TenderSuccession] | None:
    query = (
        select(Tender, TenderSuccession)
        .join(TenderSuccession, TenderSuccession.tender_id == Tender.id)
        .where(TenderSuccession.predecessor_contract_id == contract.id, Tender.status.not_in(FAILED))
    )
    row = call.uow.session.execute(query.order_by(Tender.id.desc())).first()
    return (row[0], row[1]) if row else None


def _plan_view(tender: Tender, succession: TenderSuccession, created: bool, plan=None) -> dict:
    return {
        "tender": tender,
        "created": created,
        "predecessor_contract_id": succession.predecessor_contract_id,
        "predecessor_ocid": succession.predecessor_ocid,
        "planned_contract_start": succession.planned_contract_start,
        "contract_ready_at": plan.contract_ready_at if plan else None,
        "on_time": plan.on_time if plan else None,
    }


def successors(call: Call, setup: ContractRules, contract: Contract) -> list[continuity.Successor]:
    """Tenders linked to the contract, or unlinked ones for the same district and service published since it
    was made, and their contracts: whatever could be serving when it ends."""
    session = call.uow.session
    linked = select(TenderSuccession.tender_id).where(TenderSuccession.predecessor_contract_id == contract.id)
    any_link = select(TenderSuccession.tender_id)
    query = select(Tender).where(
        Tender.id != contract.tender_id,
        Tender.status.not_in((*FAILED, tender_status.DRAFT)),
        Tender.id.in_(linked)
        | (
            (Tender.district_code == contract.district_code)
            & (Tender.service_type == contract.service_type)
            & Tender.id.not_in(any_link)
            & (Tender.published_at >= contract.created_at)
        ),
    )
    found = []
    for tender in session.scalars(query):
        found += [
            continuity.Successor("contract", c.id, utc(c.start_at), utc(c.end_at))
            for c in session.scalars(select(Contract).where(Contract.tender_id == tender.id))
            if c.status in rules.LIVE
        ]
        if tender.status in IN_PROGRESS:
            found.append(_tender_successor(call, setup, tender))
    return found


def _tender_successor(call: Call, setup: ContractRules, tender: Tender) -> continuity.Successor:
    facts = {"standstill_end": utc(tender.standstill_end), "submission_deadline": utc(tender.submission_deadline)}
    standstill = call.rules.standstill(tender.standstill_days)
    return continuity.Successor("tender", tender.id, renewal.expected_ready_at(setup.policy, standstill, facts))


def assess(call: Call, setup: ContractRules, contract: Contract) -> dict:
    """Whether the contract's end is covered, by what, and the risk of a gap."""
    end_at = utc(contract.end_at)
    cover = continuity.covering(end_at, successors(call, setup, contract))
    return {
        "contract_id": contract.id,
        "tender_id": contract.tender_id,
        "district_code": contract.district_code,
        "service_type": contract.service_type,
        "provider_id": contract.provider_id,
        "status": contract.status,
        "places": contract.places,
        "start_at": utc(contract.start_at),
        "end_at": end_at,
        "days_left": continuity.days_left(end_at, call.now, setup.terms.day),
        "covered": cover is not None,
        "successor": None if cover is None else {"kind": cover.kind, "id": cover.ref_id, "ready_at": cover.ready_at},
        "risk": continuity.risk(end_at, call.now, cover is not None, setup.terms.day),
    }


def check(call: Call, setup: ContractRules) -> dict:
    """For every active contract: is its end covered? Raise or clear alerts (harmless to repeat)."""
    with call.uow:
        ids = list(call.uow.session.scalars(select(Contract.id).where(Contract.status == rules.ACTIVE)))
    entries, raised, restored = [], [], []
    for contract_id in ids:
        with call.uow:
            tender, contract = load_contract(call, contract_id, scoped=False)
            state = assess(call, setup, contract)
            outcome = _alerts(call, setup, tender, contract, state)
            if outcome.emit_at_risk:
                raised.append({"contract_id": contract_id, "threshold_days": outcome.emit_at_risk})
            if outcome.emit_restored:
                restored.append(contract_id)
            entries.append(state)
            call.uow.commit()
    return {"checked": len(entries), "entries": entries, "raised": raised, "restored": restored}


def _alerts(
    call: Call, setup: ContractRules, tender: Tender, contract: Contract, state: dict
) -> continuity.AlertDecision:
    session = call.uow.session
    alerts = list(session.scalars(select(ContinuityAlert).where(ContinuityAlert.contract_id == contract.id)))
    already = {a.threshold_days for a in alerts if a.term == contract.renewals}
    still_open = [a for a in alerts if a.restored_at is None]
    crossed = continuity.crossed(state["end_at"], call.now, setup.terms.day)
    decision = continuity.decide_alerts(state["covered"], crossed, already, bool(still_open))
    session.add_all(
        ContinuityAlert(contract_id=contract.id, term=contract.renewals, threshold_days=threshold, raised_at=call.now)
        for threshold in decision.new_thresholds
    )
    common = {"days_left": state["days_left"], "risk": state["risk"]}
    if decision.emit_at_risk:
        fields = {**common, "threshold_days": decision.emit_at_risk}
        record(call, tender, "continuity_at_risk", payload(call, contract, **fields), "continuity.at_risk")
    if decision.emit_restored:
        for alert in still_open:
            alert.restored_at = call.now
        found = state["successor"]
        successor = found and {**found, "ready_at": found["ready_at"].isoformat()}
        fields = {**common, "successor": successor}
        record(call, tender, "continuity_restored", payload(call, contract, **fields), "continuity.restored")
    return decision


def coverage(call: Call, setup: ContractRules, filters: dict) -> list[dict]:
    """What is contracted per district and service, until when, by whom, at what risk (public)."""
    with call.uow:
        query = select(Contract).where(Contract.status.in_(rules.LIVE))
        for name, value in filters.items():
            query = query.where(getattr(Contract, name) == value)
        found = call.uow.session.scalars(query.order_by(Contract.district_code, Contract.service_type, Contract.end_at))
        names = {p.provider_id: p.legal_name for p in call.uow.session.scalars(select(ProviderReplica))}
        return [{**assess(call, setup, c), "provider_name": names.get(c.provider_id)} for c in found]
