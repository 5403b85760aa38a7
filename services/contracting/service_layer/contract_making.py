"""Making contracts: one per active award, only after the standstill and with no complaint open."""

from __future__ import annotations

from datetime import datetime

from services.contracting.adapters.orm_contracts import Contract
from services.contracting.adapters.orm_evaluation import Award, Bid
from services.contracting.adapters.orm_tendering import Lot, Tender
from services.contracting.domain import awards as award_rules
from services.contracting.domain import contracts as rules
from services.contracting.domain import milestones as schedule
from services.contracting.service_layer.base import Call, lifecycle_of, load_tender, record, utc
from services.contracting.service_layer.commands import CreateContracts
from services.contracting.service_layer.contracts import (
    ContractRules,
    add_milestones,
    add_version,
    kpis_in,
    of_tender,
    payload,
)


def create_contracts(
    call: Call, setup: ContractRules, tender_id: int, terms: CreateContracts
) -> tuple[list[Contract], int]:
    """A contract for every active award that has none yet (harmless to repeat); returns all and how many are new."""
    with call.uow:
        tender = load_tender(call, tender_id)
        lifecycle_of(call.uow.session, tender).check_contracts_may_be_made()
        session = call.uow.session
        existing = {c.award_id for c in of_tender(session, tender.id)}
        active = call.tenders.awards(tender.id, award_rules.ACTIVE)
        new = [_new_contract(call, setup, tender, award, terms) for award in active if award.id not in existing]
        call.uow.commit()
        return of_tender(session, tender.id), len(new)


def _new_contract(call: Call, setup: ContractRules, tender: Tender, award: Award, terms: CreateContracts) -> Contract:
    session = call.uow.session
    lot, bid = session.get(Lot, award.lot_id), session.get(Bid, award.bid_id)
    start_at = _start(call, setup, tender, terms.start_at)
    end_at = setup.terms.add_months(start_at, lot.duration_months)
    frequency = terms.milestone_frequency or "monthly"
    contract = Contract(
        tender_id=tender.id,
        award_id=award.id,
        lot_id=lot.id,
        provider_id=award.provider_id,
        district_code=tender.district_code,
        service_type=tender.service_type,
        title=rules.contract_title(tender.title, lot.title),
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
        kpis=kpis_in(terms.kpis) or default_kpis(award.places),
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
    """As given, else the day after the standstill (or after today, when drawn up late), but never before a
    re-tender's planned start."""
    standstill_end = utc(tender.standstill_end) or call.now
    if given is not None:
        rules.check_start(given, standstill_end)
        return given
    start = setup.terms.default_start(standstill_end, drawn_up_at=call.now)
    link = call.tenders.succession(tender.id)
    planned = utc(link.planned_contract_start) if link else None
    return max(start, planned) if planned else start


def default_kpis(places: int) -> list[dict]:
    return [{"code": "beneficiaries_served", "name": "Beneficiari deserviți", "target": str(places), "unit": "persons"}]
