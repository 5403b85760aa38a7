"""The CSO pages' blueprint and what they share: the words for statuses, dates, links to other helpers' pages.

The routes live in cso.py (home), cso_calls.py (questions, complaints), cso_notices.py (notices, settings) and
cso_contracts.py (contracts, reports); each registers on this ``blp``, which cso.py re-exports.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, url_for
from flask_babel import format_date, lazy_gettext
from werkzeug.routing import BuildError

from services.portal.adapters.api_client import ApiRefusal
from services.portal.config import TIMEZONE
from services.portal.domain import contracts_view, eligibility
from services.portal.entrypoints.web.public_labels import file_size
from services.portal.entrypoints.web.requests import api

_ = lazy_gettext

blp = Blueprint("cso", __name__, url_prefix="/cso")

CONTRACT_STATUS_LABELS = {
    "pending": _("Waiting for signatures"),
    "active": _("In force"),
    "cancelled": _("Cancelled"),
    "terminated": _("Terminated early"),
    "expired": _("Ended"),
}
REPORT_STATUS_LABELS = {
    "submitted": _("Under review"),
    "accepted": _("Accepted"),
    "returned": _("Returned for correction"),
}
COMPLAINT_STATUS_LABELS = {
    "pending": _("Under consideration"),
    "upheld": _("Upheld"),
    "rejected": _("Rejected"),
}
ACCREDITATION_STATUS_LABELS = {
    "active": _("Valid"),
    "suspended": _("Suspended"),
    "revoked": _("Revoked"),
    "expired": _("Expired"),
}
PERIOD_STATE_LABELS = {
    contracts_view.UPCOMING: _("Not begun yet"),
    contracts_view.DUE: _("Report due"),
    contracts_view.OVERDUE: _("Report overdue"),
    contracts_view.UNDER_REVIEW: _("Report under review"),
    contracts_view.RETURNED: _("Report returned: file a new one"),
    contracts_view.ACCEPTED: _("Report accepted, payment due"),
}
NOT_ELIGIBLE_BECAUSE = {
    eligibility.ORGANISATION_NOT_ACTIVE: _("Your organisation is suspended in the register."),
    eligibility.DISTRICT_NOT_SERVED: _("Your organisation does not serve this district."),
    eligibility.NOT_ACCREDITED: _("Your organisation has no accreditation for this service."),
    eligibility.ACCREDITATION_NOT_ACTIVE: _("Your accreditation for this service is suspended, revoked or expired."),
    eligibility.ACCREDITATION_NOT_YET_VALID: _("Your accreditation for this service is not valid yet."),
    eligibility.ACCREDITATION_LAPSED: _("Your accreditation for this service is no longer valid."),
}


def _label(labels: dict, value: str | None) -> str:
    return str(labels.get(value or "", value or "—"))


def day(value: date | str | None) -> str:
    """A calendar day (an accreditation's last valid day) in the person's language, without a time."""
    if not value:
        return "—"
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value, "long")


def optional_url(endpoint: str, **values) -> str | None:
    """A link to another helper's page, or None while that page does not exist (the link is then left out)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def now() -> datetime:
    return datetime.now(UTC)


def today_in_chisinau() -> date:
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(ZoneInfo(TIMEZONE)).date() if moment else None


def tender(tender_id: int) -> dict:
    """The call as contracting has it (its stage by the server clock, its periods and lots)."""
    return api().get("contracting", f"/tenders/{tender_id}")


def provider_name(provider_id: int | None, known: dict[int, str]) -> str:
    """A provider's name from the public register (remembered in ``known`` for the page)."""
    if provider_id is None:
        return "—"
    if provider_id not in known:
        try:
            known[provider_id] = api().get("registry", f"/providers/{provider_id}").get("legal_name") or ""
        except ApiRefusal:
            known[provider_id] = ""
    return known[provider_id] or str(provider_id)


@blp.context_processor
def _words():
    return {
        "contract_status_label": lambda status: _label(CONTRACT_STATUS_LABELS, status),
        "report_status_label": lambda status: _label(REPORT_STATUS_LABELS, status),
        "complaint_status_label": lambda status: _label(COMPLAINT_STATUS_LABELS, status),
        "accreditation_status_label": lambda status: _label(ACCREDITATION_STATUS_LABELS, status),
        "period_state_label": lambda state: _label(PERIOD_STATE_LABELS, state),
        "not_eligible_because": lambda reason: _label(NOT_ELIGIBLE_BECAUSE, reason),
        "day": day,
        "file_size": file_size,
        "optional_url": optional_url,
    }
