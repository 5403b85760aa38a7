"""How contracting's own statuses and kinds map onto OCDS 1.1 codelist codes (tests check every code exists)."""

from __future__ import annotations

# tender_status.py's statuses -> tenderStatus (closed codelist)
TENDER_STATUS = {
    "draft": "planned",
    "active.enquiries": "active",
    "active.tendering": "active",
    "active.evaluation": "active",
    "active.standstill": "active",
    "active.contract_pending": "active",
    "complete": "complete",
    "unsuccessful": "unsuccessful",
    "cancelled": "cancelled",
}

# domain/awards.py's statuses -> awardStatus (closed)
AWARD_STATUS = {"pending": "pending", "active": "active", "cancelled": "cancelled", "unsuccessful": "unsuccessful"}

# Issue 5's contract statuses -> contractStatus (closed). A contract that ran to its end is 'terminated' in OCDS
# ("signed and in force, and has now come to a close").
CONTRACT_STATUS = {
    "draft": "pending",
    "pending": "pending",
    "signed": "active",
    "active": "active",
    "cancelled": "cancelled",
    "terminated": "terminated",
    "expired": "terminated",
    "completed": "terminated",
}

# Payment milestones' statuses -> milestoneStatus (closed)
MILESTONE_STATUS = {
    "planned": "scheduled",
    "scheduled": "scheduled",
    "pending": "scheduled",
    "due": "scheduled",
    "payable": "met",
    "paid": "met",
    "met": "met",
    "late": "notMet",
    "not_met": "notMet",
}

# Open codelists: only these codes are used
PARTY_ROLES = ("buyer", "procuringEntity", "tenderer", "supplier")
MILESTONE_TYPES = ("payment", "reporting")
RELATIONSHIPS = ("prior", "unsuccessfulProcess")
DOCUMENT_TYPES = ("cancellationDetails",)
RELATED_PROCESS_SCHEME = "ocid"
PROCUREMENT_METHOD = "selective"  # only accredited providers may bid (method.csv: "only qualified suppliers")
MAIN_CATEGORY = "services"
SUBMISSION_METHOD = "electronicSubmission"
CURRENCY = "MDL"
# CPV 85300000-2 "Social work and related services" classifies every call; the service type refines it.
CPV_SOCIAL_WORK = {"scheme": "CPV", "id": "85300000-2", "description": "Social work and related services"}


def award_criteria(criterion_kinds: set[str]) -> str:
    """awardCriteria (open): price alone, quality alone, or rated criteria that weigh both."""
    if criterion_kinds == {"price"}:
        return "priceOnly"
    if criterion_kinds == {"quality"}:
        return "qualityOnly"
    return "ratedCriteria"
