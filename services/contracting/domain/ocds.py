"""OCDS 1.1 releases built from contracting's public events: which event is which tag, and what each release says.

Pure: ``release_for(event_type, payload, context)`` sees only the event's payload and the facts its context
carries (providers' IDNO, the call's lots when it was published), so a new module's events are published by
adding a line to PUBLIC_EVENTS and a builder, never by the publisher reading that module's tables. Builders copy named
fields only: nothing sealed (bids before the opening) and nothing personal (users, evaluators) can slip through.
"""

from __future__ import annotations

from services.contracting.domain import ocds_codelists as codes
from services.contracting.domain import ocds_contracts as contract
from services.contracting.domain import ocds_tender as tender
from services.contracting.domain.ocds_model import Builder, Parties, ReleaseContext, iso

# The one place that says which events are public, with which OCDS release tag(s), built by which function.
PUBLIC_EVENTS: dict[str, tuple[tuple[str, ...], Builder]] = {
    "tender.published": (("tender",), tender.published),
    "tender.amended": (("tenderAmendment",), tender.amended),
    "tender.deadline_moved": (("tenderAmendment",), tender.update),
    "tender.question_asked": (("tenderUpdate",), tender.question),
    "tender.question_answered": (("tenderUpdate",), tender.question),
    "tender.end_enquiries": (("tenderUpdate",), tender.update),
    "tender.close_submissions": (("tenderUpdate",), tender.closed),
    "tender.reopen_evaluation": (("tenderUpdate",), tender.update),
    "tender.unsuccessful": (("tenderUpdate",), tender.unsuccessful),
    "tender.complete": (("tenderUpdate",), tender.update),
    "tender.cancelled": (("tenderCancellation",), tender.cancelled),
    "award.decided": (("award",), tender.awards_decided),
    "award.cancelled": (("awardCancellation",), tender.award_cancelled),
    "tender.end_standstill": (("awardUpdate",), tender.awards_activated),
    "complaint.lodged": (("awardUpdate",), tender.complaint(None)),
    "complaint.upheld": (("awardUpdate",), tender.complaint("upheld")),
    "complaint.rejected": (("awardUpdate",), tender.complaint("rejected")),
    "contract.created": (("contract",), contract.contract),
    "contract.signed": (("contract",), contract.contract),
    "contract.activated": (("contract",), contract.activated),
    "contract.cancelled": (("contractUpdate",), contract.cancelled),
    "contract.amended": (("contractAmendment",), contract.amended),
    "contract.renewed": (("contractAmendment",), contract.amended),
    "contract.terminated": (("contractTermination",), contract.terminated),
    "contract.expired": (("contractTermination",), contract.terminated),
    "document.added": (("tenderUpdate",), tender.document_added),
    "award.document_added": (("awardUpdate",), tender.award_document_added),
    "contract.document_added": (("contractUpdate",), contract.document_added),
    "report.accepted": (("implementation",), contract.report_accepted),
    "milestone.payable": (("implementation",), contract.milestone_payable),
}
TAGS = {event_type: tags for event_type, (tags, _builder) in PUBLIC_EVENTS.items()}


def is_public(event_type: str) -> bool:
    return event_type in TAGS


def release_for(event_type: str, payload: dict, context: ReleaseContext) -> dict | None:
    """The OCDS release an event publishes, or None when the event is not public."""
    if event_type not in PUBLIC_EVENTS or not payload.get("ocid"):
        return None
    tags, build = PUBLIC_EVENTS[event_type]
    parties = Parties(context.providers)
    release = {
        "ocid": payload["ocid"],
        "id": context.release_id,
        "date": iso(context.date),
        "tag": list(tags),
        "initiationType": "tender",
        "language": "ro",
    }
    if payload.get("district_code"):
        release["buyer"] = parties.buyer(payload["district_code"])
    release.update(build(payload, context, parties))
    release["parties"] = parties.as_list()
    related = related_processes(payload, context.ocid_prefix, context.predecessor_ocid)
    if related:
        release["relatedProcesses"] = related
    return release


def related_processes(payload: dict, prefix: str, known: str | None = None) -> list[dict]:
    """A re-tender or renewal names its predecessor (predecessor_ocid, or predecessor_tender_id in our prefix)."""
    predecessor = payload.get("predecessor_ocid") or known
    if not predecessor and payload.get("predecessor_tender_id") is not None:
        predecessor = f"{prefix}-{payload['predecessor_tender_id']}"
    if not predecessor:
        return []
    relationship = payload.get("predecessor_relationship", "prior")
    if relationship not in codes.RELATIONSHIPS:
        relationship = "prior"
    return [
        {
            "id": predecessor,
            "relationship": [relationship],
            "title": "Previous contracting process",
            "scheme": codes.RELATED_PROCESS_SCHEME,
            "identifier": predecessor,
        }
    ]
