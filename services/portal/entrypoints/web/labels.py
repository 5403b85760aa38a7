"""What each status is called on a page, in the person's language (lazy: translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

TENDER_STATUS_LABELS = {
    "draft": _("Draft"),
    "active.enquiries": _("Questions period"),
    "active.tendering": _("Open for bids"),
    "active.evaluation": _("Evaluation"),
    "active.standstill": _("Standstill"),
    "active.contract_pending": _("Contracting"),
    "complete": _("Complete"),
    "unsuccessful": _("Unsuccessful"),
    "cancelled": _("Cancelled"),
    # The public listing speaks OCDS
    "planned": _("Planned"),
    "active": _("Active"),
    "withdrawn": _("Withdrawn"),
}

BID_STATUS_LABELS = {
    "pending": _("Submitted"),
    "active": _("Submitted"),
    "submitted": _("Submitted"),
    "withdrawn": _("Withdrawn"),
    "invalid": _("Needs re-confirmation"),
    "unsuccessful": _("Not successful"),
    "disqualified": _("Disqualified"),
}


def status_label(status: str | None) -> str:
    return str(TENDER_STATUS_LABELS.get(status or "", status or "—"))


def bid_status_label(status: str | None) -> str:
    return str(BID_STATUS_LABELS.get(status or "", status or "—"))
