"""Editing a contract before anyone signs it: its start, KPIs and milestone schedule, each edit a new version."""

from __future__ import annotations

from datetime import datetime

from services.common.errors import Conflict
from services.contracting.adapters.orm_contracts import Contract
from services.contracting.domain import contracts as rules
from services.contracting.domain import milestones as schedule
from services.contracting.service_layer.base import Call, record, utc
from services.contracting.service_layer.commands import EditContract, WrittenMilestone, given
from services.contracting.service_layer.contracts import (
    ContractRules,
    add_milestones,
    add_version,
    kpis_in,
    load_contract,
    milestones_of,
    payload,
)


def edit_pending(call: Call, setup: ContractRules, contract_id: int, edit: EditContract) -> Contract:
    """Before anyone signs: move the start, change the KPIs, regenerate or hand-write the milestones."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        rules.transition(contract.status, "edit")
        if contract.authority_signed_at or contract.provider_signed_at:
            raise Conflict("the contract has a signature already: it can no longer be edited", status=contract.status)
        if edit.start_at:
            rules.check_start(edit.start_at, utc(tender.standstill_end) or call.now)
            contract.start_at = edit.start_at
            contract.end_at = setup.terms.add_months(edit.start_at, contract.total_months)
        if edit.kpis:
            contract.kpis = kpis_in(edit.kpis)
        contract.milestone_frequency = edit.milestone_frequency or contract.milestone_frequency
        if edit.start_at or edit.milestone_frequency or edit.milestones:
            # A changed term or cadence regenerates the schedule; a KPI-only edit keeps a hand-written one.
            _replace_milestones(call, setup, contract, edit.milestones)
        add_version(call, contract, "edit", edit.reason or "edited before signature", _version_changes(edit))
        record(call, tender, "edit_contract", payload(call, contract))
        call.uow.commit()
        return contract


def _replace_milestones(
    call: Call, setup: ContractRules, contract: Contract, written: tuple[WrittenMilestone, ...] | None
) -> None:
    start, end = utc(contract.start_at), utc(contract.end_at)
    if written:
        periods = [schedule.Period(i, m.period_start, m.period_end, m.amount) for i, m in enumerate(written, 1)]
        schedule.check_schedule(periods, start, end, contract.value)
    else:
        periods = schedule.generate(setup.terms, start, end, contract.value, contract.milestone_frequency)
    for milestone in milestones_of(call.uow.session, contract.id):
        call.uow.session.delete(milestone)
    call.uow.session.flush()
    add_milestones(call, contract, periods, setup.policy.report_grace)


def _version_changes(edit: EditContract) -> dict:
    """What the version records of the edit: every field given but the written milestones, as JSON."""
    changes = {name: value for name, value in given(edit).items() if name != "milestones"}
    return {
        name: kpis_in(value) if name == "kpis" else str(value) if isinstance(value, datetime) else value
        for name, value in changes.items()
    }
