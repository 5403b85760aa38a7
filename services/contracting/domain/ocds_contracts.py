"""OCDS release sections for contracts and their implementation, from issue 5's contract.*, report.* and
milestone.* events.

Payload fields read (anything else, such as who signed, a report's narrative or comments, is never copied):
contract_id, award_id, provider_id, status, title, value, lot_id, places, unit_price, start_at/end_at (or
start_date/end_date), signed_at, version, milestones [{milestone_id or id, title, due_date, status}] (as they
stand now), amendment_id, reason, kinds or kind; reports: report_id, milestone_number, period_start,
period_end, beneficiaries_served, kpi_values ({name: value} or [{name, value}]), late, standards ([{code,
status}]: each answer's note is never copied, it may name beneficiaries); milestone.payable: milestone_id,
milestone_number.
"""

from __future__ import annotations

from services.contracting.domain import ocds_codelists as codes
from services.contracting.domain.ocds_model import (
    Parties,
    ReleaseContext,
    cancellation_document,
    iso,
    stored_document,
    value,
    without_none,
)


def _reference(payload: dict, context: ReleaseContext) -> dict:
    """id and awardID, which OCDS requires on every contract; an event without award_id reuses the known one."""
    contract_id = str(payload["contract_id"])
    award_id = payload.get("award_id")
    known = str(award_id) if award_id is not None else context.contract_awards.get(contract_id, "unknown")
    return {"id": contract_id, "awardID": known}


def _milestone(entry: dict) -> dict:
    milestone_id = entry.get("milestone_id", entry.get("id"))
    return without_none(
        {
            "id": f"payment-{milestone_id}",
            "title": entry.get("title") or f"Payment {milestone_id}",
            "type": "payment",
            "dueDate": iso(entry.get("due_date")),
            "status": codes.MILESTONE_STATUS.get(entry.get("status", "scheduled"), "scheduled"),
        }
    )


def _contract(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    roles = ("tenderer", "supplier") if payload.get("award_id") is not None else ("supplier",)
    if payload.get("provider_id") is not None:
        parties.provider(payload["provider_id"], *roles)
    start = payload.get("start_at") or payload.get("start_date")
    end = payload.get("end_at") or payload.get("end_date")
    period = without_none({"startDate": iso(start), "endDate": iso(end)})
    items = None
    if payload.get("lot_id") is not None:
        unit = without_none({"name": "place", "value": value(payload.get("unit_price"))})
        items = [without_none({"id": f"lot-{payload['lot_id']}", "quantity": payload.get("places"), "unit": unit})]
    milestones = [_milestone(entry) for entry in payload.get("milestones", [])]
    contract = {
        **_reference(payload, context),
        "title": payload.get("title"),
        "status": codes.CONTRACT_STATUS.get(payload.get("status", ""), None),
        "period": period or None,
        "value": value(payload.get("value")),
        "dateSigned": iso(payload.get("signed_at")),
        "items": items,
        "milestones": milestones or None,
    }
    return without_none(contract)


def contract(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    return {"contracts": [_contract(payload, context, parties)]}


def activated(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """Both sides have signed: the contract is in force from now (the last signature's date)."""
    section = _contract(payload, context, parties)
    section.setdefault("dateSigned", iso(context.date))
    return {"contracts": [section]}


def cancelled(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    section = _contract(payload, context, parties)
    section["documents"] = [
        cancellation_document(context, "Contract cancelled before signature", payload.get("reason"))
    ]
    return {"contracts": [section]}


def amended(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """An amendment or renewal: the contract as it now stands, plus the amendment that made it so."""
    # One amendment per contract version: contract.amended and contract.renewed of one change merge into it.
    number = payload.get("amendment_id") or payload.get("version")
    kinds = payload.get("kinds") or [payload.get("kind") or "amendment"]
    amendment = {
        "id": f"v{number}" if number is not None else context.release_id,
        "date": iso(context.date),
        "rationale": payload.get("reason"),
        "description": ", ".join(kinds),
    }
    section = _contract(payload, context, parties)
    section["amendments"] = [without_none(amendment)]
    return {"contracts": [section]}


def terminated(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    section = _contract(payload, context, parties)
    section["status"] = codes.CONTRACT_STATUS.get(payload.get("status", ""), "terminated")
    if payload.get("reason"):  # an expiry has none: the contract ran to its end
        section["documents"] = [cancellation_document(context, "Contract terminated", payload["reason"])]
    return {"contracts": [section]}


def _indicators(payload: dict) -> str:
    """What the report shows in numbers: beneficiaries served and each KPI's value (no narrative: it may be
    about people)."""
    parts = []
    if payload.get("beneficiaries_served") is not None:
        parts.append(f"beneficiaries served: {payload['beneficiaries_served']}")
    kpis = payload.get("kpi_values") or {}
    pairs = kpis.items() if isinstance(kpis, dict) else ((k.get("name"), k.get("value")) for k in kpis)
    parts.extend(f"{name}: {amount}" for name, amount in pairs)
    return "; ".join(parts)


def _period(payload: dict) -> str:
    return " to ".join(str(payload[name])[:10] for name in ("period_start", "period_end") if payload.get(name))


def _standards(payload: dict) -> list[dict] | None:
    """The minimum quality standards' answers as an extension field of the report's milestone: code and status
    (met / partly / not_met) only, so anyone can count standards met per contract and provider."""
    answers = payload.get("standards") or []
    return [{"id": str(a["code"]), "status": str(a["status"])} for a in answers if a.get("code")] or None


def report_accepted(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    milestone = {
        "id": f"report-{payload['report_id']}",
        "title": f"Monitoring report {_period(payload)}".strip(),
        "type": "reporting",
        "description": _indicators(payload) + (" (submitted late)" if payload.get("late") else ""),
        "dueDate": iso(payload.get("due_date")),
        "dateMet": iso(context.date),
        "status": "met",
        "standards": _standards(payload),
    }
    implementation = {"milestones": [without_none(milestone)]}
    return {"contracts": [{**_reference(payload, context), "implementation": implementation}]}


def milestone_payable(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """An accepted report made a payment milestone payable: the milestone is met."""
    number = payload.get("milestone_number", payload["milestone_id"])
    milestone = {"id": f"payment-{payload['milestone_id']}", "title": f"Payment {number}", "type": "payment"}
    milestone.update(status="met", dateMet=iso(context.date), description=f"Period {_period(payload)}".strip())
    return {"contracts": [{**_reference(payload, context), "milestones": [milestone]}]}


def document_added(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """A contract's document (the signed contract, an annex)."""
    reference = _reference({**payload, "contract_id": payload["owner_id"], "award_id": None}, context)
    return {"contracts": [{**reference, "documents": [stored_document(payload)]}]}
