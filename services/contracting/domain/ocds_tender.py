"""OCDS release sections for a call's life: publication, amendments, clarifications, awards and complaints.

Each builder takes (payload, context, parties) and returns the release's sections; it copies named fields only.
"""

from __future__ import annotations

from services.contracting.domain import ocds_codelists as codes
from services.contracting.domain.ocds_bids import bid_details
from services.contracting.domain.ocds_model import (
    Builder,
    LotFacts,
    Parties,
    ReleaseContext,
    TenderFacts,
    cancellation_document,
    iso,
    stored_document,
    value,
    without_none,
)

# What a reference cost is the cost of: one place for a year (the registry's reference costs per beneficiary).
REFERENCE_COST_UNIT = "place per year"


def _tender(payload: dict, parties: Parties, **extra) -> dict:
    """The fields every tender event carries: id, title, status, periods and who procures."""
    tender = {
        "id": str(payload["tender_id"]),
        "title": payload.get("title"),
        "status": codes.TENDER_STATUS.get(payload.get("status", ""), "active"),
    }
    if payload.get("district_code"):
        tender["procuringEntity"] = parties.buyer(payload["district_code"])
    if payload.get("enquiry_end"):
        tender["enquiryPeriod"] = {"endDate": iso(payload["enquiry_end"])}
    if payload.get("submission_deadline"):
        tender["tenderPeriod"] = {"endDate": iso(payload["submission_deadline"])}
    return {"tender": without_none({**tender, **extra})}


def _terms(facts: TenderFacts | None, payload: dict) -> dict:
    """The call's terms as they stand: description, one item per lot, the budget and how bids are judged."""
    if facts is None:
        return {}
    items = [
        {
            "id": f"lot-{lot.id}",
            "description": f"Lot {lot.number}: {lot.title} ({lot.duration_months} months)",
            "classification": codes.CPV_SOCIAL_WORK,
            "additionalClassifications": [{"scheme": "X-SSCP-SERVICE", "id": payload.get("service_type", "")}],
            "quantity": lot.places,
            "unit": {"name": "place"},
            "relatedLot": f"lot-{lot.id}",
        }
        for lot in facts.lots
    ]
    budgets = [lot.budget for lot in facts.lots]
    weights = ", ".join(f"{name} {weight}%" for _kind, name, weight in facts.criteria)
    terms = {
        "description": facts.description or None,
        "items": items,
        "lots": [_lot(lot, payload.get("reference_cost")) for lot in facts.lots] or None,
        "value": value(sum(budgets)) if budgets and None not in budgets else None,
        "awardCriteria": codes.award_criteria({kind for kind, _name, _weight in facts.criteria}),
        "awardCriteriaDetails": weights or None,
    }
    return without_none(terms)


def _lot(lot: LotFacts, reference: dict | None) -> dict:
    """A lot (lots extension) with its budget and, on publication, the reference cost per place that applies
    (our extension field ``referenceCost``: the annual cost of one place, its year, district or "*", and source)."""
    entry = {"id": f"lot-{lot.id}", "title": lot.title, "value": value(lot.budget)}
    if reference:
        entry["referenceCost"] = {
            "amount": value(reference["amount"]),
            "unit": REFERENCE_COST_UNIT,
            "year": int(reference["year"]),
            "districtCode": reference["district_code"],
            "source": reference["source"],
        }
    return without_none(entry)


def published(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    facts = context.tender
    opened = iso(facts.published_at if facts and facts.published_at else context.date)
    section = _tender(
        payload,
        parties,
        mainProcurementCategory=codes.MAIN_CATEGORY,
        procurementMethod=codes.PROCUREMENT_METHOD,
        procurementMethodDetails="Call for social services open to accredited providers serving the district",
        submissionMethod=[codes.SUBMISSION_METHOD],
        hasEnquiries=False,
        **_terms(facts, payload),
    )
    section["tender"].setdefault("enquiryPeriod", {})["startDate"] = opened
    section["tender"].setdefault("tenderPeriod", {})["startDate"] = opened
    return section


def amended(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    changed = sorted(payload.get("changes", {}))
    amendment = {
        "id": context.release_id,
        "date": iso(context.date),
        "rationale": payload.get("rationale"),
        "description": "Changed: " + ", ".join([*changed, "submission deadline"]),
    }
    return _tender(payload, parties, amendments=[amendment], **_terms(context.tender, payload))


def update(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    return _tender(payload, parties)


def question(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """A clarification, published without who asked (the enquiry extension's fields, author left out)."""
    enquiry = {"id": str(payload["question_id"]), "description": payload.get("question")}
    if "answer" in payload:
        enquiry.update(answer=payload["answer"], dateAnswered=iso(context.date))
    else:
        enquiry["date"] = iso(context.date)
    return _tender(payload, parties, hasEnquiries=True, enquiries=[enquiry])


def closed(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """At the opening only the count of bids is public; who bid becomes public with the award decision."""
    return _tender(payload, parties, numberOfTenderers=payload.get("bids_received"))


def cancelled(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    document = cancellation_document(context, "Call cancelled", payload.get("reason"))
    section = _tender(payload, parties, documents=[document])
    fallen = context.tender.cancelled_award_ids if context.tender else ()
    if fallen:
        section["awards"] = [{"id": str(award_id), "status": "cancelled"} for award_id in fallen]
    return section


def _award(entry: dict, context: ReleaseContext, parties: Parties, new: bool) -> dict:
    supplier = parties.provider(entry["provider_id"], "tenderer", "supplier")
    award = {
        "id": str(entry["award_id"]),
        "title": f"Lot {entry['lot_id']}, rank {entry['rank']}",
        "status": codes.AWARD_STATUS.get(entry.get("status", ""), "pending"),
        # An award keeps the date it was decided; a later decision on the same call does not move it.
        "date": iso(context.date) if new else None,
        "value": value(entry.get("value")),
        "suppliers": [supplier],
        "items": [{"id": f"lot-{entry['lot_id']}", "quantity": entry.get("places")}],
    }
    return without_none(award)


def awards_decided(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """The decision: live awards with their suppliers, and every bidder named as a tenderer from now on."""
    bidders = sorted({int(b["provider_id"]) for b in payload.get("bidders", [])})
    tenderers = [parties.provider(provider_id, "tenderer") for provider_id in bidders]
    new = set(payload.get("new_award_ids", []))
    awards = [_award(entry, context, parties, entry["award_id"] in new) for entry in payload.get("awards", [])]
    period = without_none({"startDate": iso(context.date), "endDate": iso(payload.get("standstill_end"))})
    section = _tender(payload, parties, numberOfTenderers=len(bidders), tenderers=tenderers, awardPeriod=period)
    return {**section, "awards": awards, **bid_details(payload.get("bidders", []), parties)}


def unsuccessful(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """No winner: the bids and which of them were out are public, as with an award decision."""
    return {**_tender(payload, parties), **bid_details(payload.get("bidders", []), parties)}


def award_cancelled(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    title = "Award declined by the supplier" if payload.get("declined") else "Award cancelled"
    document = cancellation_document(context, title, payload.get("reason"))
    return {"awards": [{"id": str(payload["award_id"]), "status": "cancelled", "documents": [document]}]}


def awards_activated(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """The standstill ended with no open complaint: the pending awards are in force."""
    awards = [
        {"id": str(entry["award_id"]), "status": codes.AWARD_STATUS.get(entry.get("status", ""), "active")}
        for entry in payload.get("awards", [])
    ]
    return {**_tender(payload, parties), "awards": awards}


def complaint(outcome: str | None) -> Builder:
    """A complaint about an award and its outcome (no core OCDS field: kept as the awards' complaints list)."""

    def build(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
        entry = {"id": str(payload["complaint_id"]), "status": outcome or "pending"}
        if outcome is None:
            entry["dateSubmitted"] = iso(context.date)
        else:
            entry.update(dateDecision=iso(context.date), resolution=payload.get("reasons"))
        entry = without_none(entry)
        if payload.get("award_id") is None:
            return _tender(payload, parties, complaints=[entry])
        return {"awards": [{"id": str(payload["award_id"]), "complaints": [entry]}]}

    return build


def document_added(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """A document of the call itself (terms of reference, a clarification's or an amendment's file, a ruling)."""
    return _tender(payload, parties, documents=[stored_document(payload)])


def award_document_added(payload: dict, context: ReleaseContext, parties: Parties) -> dict:
    """A decision's document (the evaluation report), listed on the award it decided."""
    return {"awards": [{"id": str(payload["owner_id"]), "documents": [stored_document(payload)]}]}
