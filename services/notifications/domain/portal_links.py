"""Where in the portal the person who receives a notice acts on it: a CSO on its receipt, call or contract page; a
department on its own pages of the call or contract; the operators on their operations page.

The portal sends a person who is not signed in to its sign-in page and then straight to this address, so a
notice's link works from any mailbox. Paths follow the portal's routes (services/portal/entrypoints/web).
"""

from __future__ import annotations

PROVIDER = "provider"
DISTRICT = "district"
OPERATORS = "operators"


def audience_of(recipient_key: str) -> str:
    """provider:<id> and district:<code> name their audience; anything else (operators, fallbacks) is operators'."""
    prefix = recipient_key.split(":", 1)[0]
    return prefix if prefix in (PROVIDER, DISTRICT) else OPERATORS


def portal_path(event_type: str, payload: dict, recipient_key: str) -> str:
    """The portal page for this notice and this recipient; the audience's home when the notice names no call."""
    audience = audience_of(recipient_key)
    family = event_type.split(".", 1)[0]
    tender_id, contract_id = payload.get("tender_id"), payload.get("contract_id")
    if audience == PROVIDER:
        return _for_a_cso(family, payload, tender_id, contract_id)
    if audience == DISTRICT:
        return _for_a_department(event_type, family, tender_id, contract_id)
    return "/operator/"


def _for_a_cso(family: str, payload: dict, tender_id, contract_id) -> str:
    if family in ("contract", "report", "milestone") and contract_id:
        return f"/cso/contracts/{contract_id}"
    if family == "bid" and tender_id and payload.get("bid_id"):
        return f"/cso/calls/{tender_id}/bids/{payload['bid_id']}/receipt"
    if tender_id:
        return f"/calls/{tender_id}"
    return "/cso/"


def _for_a_department(event_type: str, family: str, tender_id, contract_id) -> str:
    if family in ("contract", "report", "milestone") and contract_id:
        return f"/department/contracts/{contract_id}"
    if family == "complaint" and tender_id:
        return f"/department/calls/{tender_id}/complaints"
    if event_type == "award.cancelled" and tender_id:
        return f"/department/calls/{tender_id}/evaluation"
    if tender_id and family != "continuity":
        return f"/department/calls/{tender_id}"
    return "/department/"


def portal_link(portal_url: str, event_type: str, payload: dict, recipient_key: str) -> str:
    return portal_url.rstrip("/") + portal_path(event_type, payload, recipient_key)
