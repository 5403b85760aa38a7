"""Time-driven contract changes (expiry, the expiring notice), amendments with versions, and renewal decisions:
which contracts are due, the recommendation and why, propose → confirm (an extension) or decline (a re-tender).
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from sqlalchemy import select

from services.common.errors import Conflict, Invalid
from services.contracting.adapters.orm_contracts import Contract, MonitoringReport, RenewalProposal
from services.contracting.domain import contracts as rules
from services.contracting.domain import eligibility, renewal
from services.contracting.domain import milestones as schedule
from services.contracting.service_layer.base import DISTRICT_BOUND, Call, money, record, utc
from services.contracting.service_layer.commands import AmendContract, ProposeRenewal
from services.contracting.service_layer.contracts import (
    ContractRules,
    add_milestones,
    add_version,
    load_contract,
    milestones_of,
    payload,
)
from services.contracting.service_layer.eligibility import accreditations_of

CENT = Decimal("0.01")


def apply_due(call: Call, setup: ContractRules) -> dict:
    """Expire contracts past their end; announce once those entering the notice window. Harmless to repeat."""
    with call.uow:
        ids = list(call.uow.session.scalars(select(Contract.id).where(Contract.status == rules.ACTIVE)))
    expired, expiring = [], []
    for contract_id in ids:
        with call.uow:
            tender, contract = load_contract(call, contract_id, scoped=False)
            step = _due_step(call, setup, tender, contract)
            (expired if step == "expire" else expiring if step == "expiring" else []).append(contract_id)
            call.uow.commit()
    return {"expired": expired, "expiring": expiring}


def _due_step(call: Call, setup: ContractRules, tender, contract: Contract) -> str | None:
    end_at = utc(contract.end_at)
    if contract.status != rules.ACTIVE:
        return None
    if end_at <= call.now:
        contract.status = rules.transition(contract.status, "expire")
        contract.ended_at = call.now
        record(call, tender, "expire_contract", payload(call, contract), "contract.expired")
        return "expire"
    if contract.expiring_notified_at is None and renewal.in_notice_window(setup.policy, end_at, call.now):
        contract.expiring_notified_at = call.now
        days = (end_at - call.now) // setup.terms.day
        record(call, tender, "contract_expiring", payload(call, contract, days_left=days), "contract.expiring")
        return "expiring"
    return None


def amend(call: Call, setup: ContractRules, contract_id: int, amendment: AmendContract) -> Contract:
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        _amend(call, setup, tender, contract, amendment)
        call.uow.commit()
        return contract


def _amend(call: Call, setup: ContractRules, tender, contract: Contract, amendment: AmendContract, **extra) -> dict:
    """Apply, version and announce one amendment (contract.amended; contract.renewed for an extension)."""
    reason = amendment.reason
    changes = apply_amendment(call, setup, contract, amendment)
    kinds = sorted(changes)
    add_version(call, contract, "amendment:" + "+".join(kinds), reason, changes)
    fields = {"kinds": kinds, "changes": changes, "reason": reason}
    record(call, tender, "amend_contract", payload(call, contract, **fields), "contract.amended")
    if "extension" in changes:
        renewed = {**changes["extension"], "renewals": contract.renewals, **extra}
        record(call, tender, "renew_contract", payload(call, contract, **renewed), "contract.renewed")
    return changes


def apply_amendment(call: Call, setup: ContractRules, contract: Contract, amendment: AmendContract) -> dict:
    """Change places, value and/or extend the term, each within the configured limits; returns what changed."""
    rules.transition(contract.status, "amend")
    places, value = amendment.places, amendment.value
    if places is None and value is None and amendment.extend_months is None:
        raise Invalid("reason", "an amendment must change places, value or extend the term (extend_months)")
    changes = {}
    if places is not None and places != contract.places:
        # Places alone scale the value with them.
        value = value or (contract.value * places / contract.places).quantize(CENT)
        limit = setup.limits.max_places_change_percent
        rules.check_change("places", Decimal(contract.original_places), Decimal(places), limit)
        changes["places"] = {"from": contract.places, "to": places}
        contract.places = places
    if value is not None and value != contract.value:
        changes["value"] = _change_value(call, setup, contract, value)
    if amendment.extend_months:
        changes["extension"] = _extend(call, setup, contract, amendment.extend_months)
    if not changes:
        raise Invalid("reason", "the amendment changes nothing: the contract already has these terms")
    return changes


def _change_value(call: Call, setup: ContractRules, contract: Contract, new_value: Decimal) -> dict:
    rules.check_change("value", contract.original_value, new_value, setup.limits.max_value_change_percent)
    open_ones = [m for m in milestones_of(call.uow.session, contract.id) if m.status == schedule.PLANNED]
    amounts = schedule.spread(new_value - contract.value, [m.amount for m in open_ones])
    for milestone, amount in zip(open_ones, amounts, strict=True):
        milestone.amount = amount
    change = {"from": money(contract.value), "to": money(new_value)}
    contract.value = new_value
    return change


def _extend(call: Call, setup: ContractRules, contract: Contract, months: int) -> dict:
    """A renewal: the term runs ``months`` longer at the same unit price, with milestones for the new months."""
    refusal = renewal.hard_limits(setup.policy, contract.renewals, contract.total_months, months)
    if refusal:
        raise Conflict(refusal, renewals=contract.renewals, total_months=contract.total_months)
    # Whoever asks (a confirmed proposal or a direct amendment), no renewal outlives the provider's accreditation.
    cover = accreditation_cover(call, setup, contract, months)
    unaccredited = renewal.accreditation_refusal(cover)
    if unaccredited:
        valid_until = cover.valid_until.isoformat() if cover.valid_until else None
        raise Conflict(unaccredited, valid_until=valid_until, contract_end=cover.renewed_end.isoformat())
    old_end = utc(contract.end_at)
    contract.total_months += months
    contract.renewals += 1
    contract.end_at = setup.terms.add_months(utc(contract.start_at), contract.total_months)
    contract.expiring_notified_at = None
    added = (contract.unit_price * contract.places * months / contract.original_months).quantize(CENT)
    contract.value += added
    periods = schedule.generate(setup.terms, old_end, utc(contract.end_at), added, contract.milestone_frequency)
    offset = len(milestones_of(call.uow.session, contract.id))
    numbered = [schedule.Period(p.number + offset, p.period_start, p.period_end, p.amount) for p in periods]
    add_milestones(call, contract, numbered, setup.policy.report_grace)
    return {"months": months, "previous_end_at": old_end.isoformat(), "added_value": money(added)}


def performance(call: Call, contract: Contract) -> renewal.Performance:
    session = call.uow.session
    due = [m for m in milestones_of(session, contract.id) if utc(m.report_due_at) <= call.now]
    query = select(MonitoringReport).where(
        MonitoringReport.contract_id == contract.id, MonitoringReport.status == schedule.ACCEPTED
    )
    accepted = list(session.scalars(query))
    accepted_milestones = {r.milestone_id for r in accepted}
    return renewal.Performance(
        reports_due=len(due),
        reports_due_accepted=sum(1 for m in due if m.id in accepted_milestones),
        kpis=[renewal.Kpi(k["code"], Decimal(k["target"])) for k in contract.kpis],
        accepted_values=[{c: Decimal(v) for c, v in r.kpi_values.items()} for r in accepted],
        renewals_done=contract.renewals,
        total_months=contract.total_months,
        extension_months=contract.original_months,
    )


def accreditation_cover(
    call: Call, setup: ContractRules, contract: Contract, months: int
) -> renewal.AccreditationCover:
    """How far the provider's accreditation for the service reaches from today, against the end ``months`` more
    would give (dated as _extend dates it)."""
    renewed_end = setup.terms.add_months(utc(contract.start_at), contract.total_months + max(months, 0))
    found = accreditations_of(call.uow.session, contract.provider_id, contract.service_type)
    valid_until = eligibility.accredited_until(found, contract.provider_id, contract.service_type, call.now.date())
    return renewal.AccreditationCover(contract.service_type, valid_until, renewed_end)


def recommendation(call: Call, setup: ContractRules, contract: Contract) -> dict:
    months = renewal.extension_months(setup.policy, None, contract.original_months, contract.total_months)
    cover = accreditation_cover(call, setup, contract, months)
    found = renewal.recommend(setup.policy, performance(call, contract), cover)
    return {**asdict(found), "kpi_attainment_percent": money(found.kpi_attainment_percent)}


def due(call: Call, setup: ContractRules) -> list[dict]:
    """Active contracts inside the notice window, soonest end first, with the recommendation and why."""
    with call.uow:
        query = select(Contract).where(Contract.status == rules.ACTIVE).order_by(Contract.end_at, Contract.id)
        if call.role in DISTRICT_BOUND:
            query = query.where(Contract.district_code == call.principal.district_code)
        found = [
            c
            for c in call.uow.session.scalars(query)
            if renewal.in_notice_window(setup.policy, utc(c.end_at), call.now)
        ]
        return [
            {"contract": c, "recommendation": recommendation(call, setup, c), "proposal": open_proposal(call, c)}
            for c in found
        ]


def open_proposal(call: Call, contract: Contract) -> RenewalProposal | None:
    query = select(RenewalProposal).where(
        RenewalProposal.contract_id == contract.id, RenewalProposal.status == renewal.PROPOSED
    )
    return call.uow.session.scalars(query).first()


def propose(
    call: Call, setup: ContractRules, contract_id: int, request: ProposeRenewal
) -> tuple[RenewalProposal, bool]:
    """Put a renewal to the authority, only when the policy recommends it; a repeat returns the open one."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        rules.transition(contract.status, "amend")
        existing = open_proposal(call, contract)
        if existing:
            return existing, False
        advice = recommendation(call, setup, contract)
        if advice["action"] != renewal.RENEW:
            raise Conflict("the renewal policy recommends a re-tender", reasons=advice["reasons"])
        policy = setup.policy
        months = renewal.extension_months(policy, request.months, contract.original_months, contract.total_months)
        proposal = RenewalProposal(
            contract_id=contract.id,
            status=renewal.PROPOSED,
            months=months,
            recommendation=advice,
            proposed_by=call.actor,
            proposed_at=call.now,
            reason=request.reason,
        )
        call.uow.session.add(proposal)
        call.uow.session.flush()
        fields = {"proposal_id": proposal.id, "months": months, "reasons": advice["reasons"]}
        record(call, tender, "propose_renewal", payload(call, contract, **fields), "contract.renewal_proposed")
        call.uow.commit()
        return proposal, True


def confirm(call: Call, setup: ContractRules, contract_id: int, reason: str | None) -> Contract:
    """The authority confirms: an extension amendment (contract.amended and contract.renewed)."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        proposal = _decidable(call, contract)
        proposal.status, proposal.decided_by, proposal.decided_at = renewal.CONFIRMED, call.actor, call.now
        why = reason or "renewal confirmed: " + "; ".join(proposal.recommendation["reasons"])
        extension = AmendContract(reason=why, extend_months=proposal.months)
        _amend(call, setup, tender, contract, extension, proposal_id=proposal.id)
        call.uow.commit()
        return contract


def _decidable(call: Call, contract: Contract) -> RenewalProposal:
    proposal = open_proposal(call, contract)
    if proposal is None:
        raise Conflict("no renewal proposal awaits a decision on this contract", current_status=contract.status)
    return proposal


def decline(call: Call, contract_id: int, reason: str) -> None:
    """The authority declines (in the caller's transaction): the proposal is closed; a re-tender follows."""
    tender, contract = load_contract(call, contract_id)
    proposal = _decidable(call, contract)
    proposal.status, proposal.decided_by, proposal.decided_at = renewal.DECLINED, call.actor, call.now
    proposal.reason = reason
    record(call, tender, "decline_renewal", payload(call, contract, proposal_id=proposal.id, reason=reason))
