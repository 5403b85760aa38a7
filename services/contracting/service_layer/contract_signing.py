"""Signing a contract into force (both sides, which may complete the tender) and ending it: cancel or terminate."""

from __future__ import annotations

from services.common.errors import Forbidden
from services.contracting.adapters.orm_contracts import Contract
from services.contracting.adapters.orm_tendering import Tender
from services.contracting.domain import awards as award_rules
from services.contracting.domain import contracts as rules
from services.contracting.domain import tender_status
from services.contracting.service_layer.base import Call, lifecycle_of, record, tender_payload
from services.contracting.service_layer.contracts import load_contract, of_tender, payload


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
    """The call is complete once every active award has a contract signed into force (domain/call_lifecycle.py)."""
    session = call.uow.session
    session.flush()
    contracts = [(c.award_id, c.status) for c in of_tender(session, tender.id)]
    awarded = [award.id for award in call.tenders.awards(tender.id, award_rules.ACTIVE)]
    if lifecycle_of(session, tender).completed_by(awarded, contracts):
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
