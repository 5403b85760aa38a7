"""What the public call and provider pages call each code (OCDS statuses, document types, ranking results), and
how they word sizes and scores, in the person's language (lazy: translated when shown)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import format_date, format_decimal, gettext, ngettext
from flask_babel import lazy_gettext as _

from services.portal.domain.deadlines import parse_moment

AWARD_STATUS = {
    "pending": _("Awarded, standstill running"),
    "active": _("Awarded"),
    "cancelled": _("Cancelled"),
    "unsuccessful": _("Unsuccessful"),
}

CONTRACT_STATUS = {
    "pending": _("Being signed"),
    "active": _("In force"),
    "cancelled": _("Cancelled"),
    "terminated": _("Ended"),
}

ACCREDITATION_STATUS = {
    "active": _("Active"),
    "suspended": _("Suspended"),
    "revoked": _("Revoked"),
    "expired": _("Expired"),
}

DOCUMENT_TYPE = {
    "tenderNotice": _("Terms of reference"),
    "technicalSpecifications": _("Technical specifications"),
    "contractDraft": _("Draft contract"),
    "billOfQuantity": _("Cost calculation"),
    "eligibilityCriteria": _("Eligibility criteria"),
    "clarifications": _("Clarifications"),
    "evaluationReports": _("Evaluation report"),
    "awardNotice": _("Award notice"),
    "complaints": _("Complaint ruling"),
    "contractSigned": _("Signed contract"),
    "contractAnnexe": _("Contract annex"),
    "qualificationDocuments": _("Qualification documents"),
    "eligibilityDocuments": _("Eligibility documents"),
    "commercialProposal": _("Price offer"),
}

RANKING_RESULT = {
    "ranked": _("Ranked"),
    "ineligible": _("Not eligible"),
    "disqualified": _("Below a minimum score"),
}

CRITERION_KIND = {"price": _("Price"), "quality": _("Quality")}

# What an amendment changed (the contracting API's names for the call's terms)
CHANGED_TERM = {
    "title": _("Title"),
    "description": _("Description"),
    "lots": _("Lots"),
    "submission_deadline": _("Deadline for bids"),
}

LABELS = {
    "award": AWARD_STATUS,
    "contract": CONTRACT_STATUS,
    "accreditation": ACCREDITATION_STATUS,
    "document": DOCUMENT_TYPE,
    "result": RANKING_RESULT,
    "kind": CRITERION_KIND,
    "changed": CHANGED_TERM,
}


def label_for(table: str, code: str | None) -> str:
    """The code's name in the person's language; the code itself when the page has no name for it."""
    return str(LABELS[table].get(code or "", code or "—"))


def file_size(size_bytes: int | None) -> str:
    if size_bytes is None:
        return ""
    if size_bytes < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size_bytes)
    if size_bytes < 1024 * 1024:
        return gettext("%(size)s KB", size=format_decimal(round(size_bytes / 1024, 1)))
    return gettext("%(size)s MB", size=format_decimal(round(size_bytes / (1024 * 1024), 1)))


def score(value: Decimal | None) -> str:
    """A score out of 100, with two decimals in the person's own way (92,00 in Romanian)."""
    return "—" if value is None else format_decimal(value, format="#,##0.00")


def day(value: str | None) -> str:
    """A calendar day: a date as given, a moment as its day in Chișinău."""
    if not value:
        return "—"
    if "T" in value:
        return format_date(parse_moment(value))
    return format_date(date.fromisoformat(value[:10]))


def template_helpers() -> dict:
    return {"label_for": label_for, "file_size": file_size, "score": score, "day": day}
