"""The operator pages' blueprint and what they share: the words for statuses, reading every page of a list, the
registry's refusals worded for a person.

The routes live in operator.py (operations: calls' stage runs, dead letters), operator_registry.py (providers and
accreditations) and operator_people.py (users, the nomenclature); each registers on this ``blp``.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint
from flask_babel import format_date, gettext, lazy_gettext

from services.portal.adapters.api_client import ApiRefusal
from services.portal.config import TIMEZONE
from services.portal.domain import operator_registry
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.requests import api

_ = lazy_gettext

blp = Blueprint("operator", __name__, url_prefix="/operator")

# The registry and flask-smorest answer at most 100 rows a page; a register this size reads in a few pages.
PAGE_SIZE = 100
MAX_PAGES = 20

ACCREDITATION_STATUS_LABELS = {
    "active": _("Valid"),
    "suspended": _("Suspended"),
    "revoked": _("Revoked"),
    "expired": _("Expired"),
}
ACTION_LABELS = {
    "renew": _("Renew"),
    "suspend": _("Suspend"),
    "reinstate": _("Reinstate"),
    "revoke": _("Revoke"),
}
ROLE_LABELS = {
    "operator": _("Operator"),
    "authority": _("District department"),
    "evaluator": _("Evaluator"),
    "cso": _("CSO (provider)"),
    "service": _("Service account"),
}
DELIVERY_STATUS_LABELS = {
    "held": _("Held for the digest"),
    "queued": _("Waiting to be sent"),
    "sending": _("Being sent"),
    "sent": _("Sent"),
    "failed": _("Failed, will be tried again"),
    "dead": _("Gave up (dead letter)"),
    "digested": _("Sent in a digest"),
}
CHANNEL_LABELS = {"email": _("E-mail"), "inbox": _("Portal notice"), "webhook": _("Webhook")}
RUN_STATE_LABELS = {
    "SCHEDULED": _("Scheduled"),
    "PENDING": _("Pending"),
    "RUNNING": _("Running"),
    "COMPLETED": _("Completed"),
    "FAILED": _("Failed"),
    "CRASHED": _("Crashed"),
    "CANCELLED": _("Cancelled"),
    "CANCELLING": _("Cancelling"),
    "PAUSED": _("Paused"),
}
STAGE_LABELS = {
    "tender-stage": _("Publication and invitations"),
    "evaluation-stage": _("Evaluation"),
    "award-stage": _("Award"),
}


def _label(labels: dict, value: str | None) -> str:
    return str(labels.get(value or "", value or "—"))


def everything(service: str, path: str, **params) -> list[dict]:
    """Every row of a paginated list (a page of 100 at a time, at most MAX_PAGES pages)."""
    rows: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        found, total = api().get_page(service, path, page=page, page_size=PAGE_SIZE, **params)
        rows.extend(found)
        if not found or total is None or len(rows) >= total:
            break
    return rows


def today_in_chisinau() -> date:
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def day(value: date | str | None) -> str:
    parsed = operator_registry.as_day(value)
    return format_date(parsed, "long") if parsed else "—"


def refusal_words(refusal: ApiRefusal) -> str:
    """A 409 on an accreditation or an account: its current status and what that status allows."""
    current = refusal.body.get("current_status")
    if current is not None:
        allowed = [_label(ACTION_LABELS, action) for action in operator_registry.allowed_actions(current)]
        status = _label(ACCREDITATION_STATUS_LABELS, current)
        if allowed:
            return gettext(
                "This can no longer be done: it is now “%(status)s”. Allowed now: %(allowed)s.",
                status=status,
                allowed=", ".join(allowed),
            )
        return gettext(
            "This can no longer be done: it is now “%(status)s”, and nothing more may change.", status=status
        )
    return person_message(refusal.message)


@blp.context_processor
def _words():
    return {
        "accreditation_status_label": lambda status: _label(ACCREDITATION_STATUS_LABELS, status),
        "action_label": lambda action: _label(ACTION_LABELS, action),
        "role_label": lambda role: _label(ROLE_LABELS, role),
        "delivery_status_label": lambda status: _label(DELIVERY_STATUS_LABELS, status),
        "channel_label": lambda channel: _label(CHANNEL_LABELS, channel),
        "run_state_label": lambda run: str(RUN_STATE_LABELS.get(run.state_type, run.state_name)),
        "stage_label": lambda stage: _label(STAGE_LABELS, stage),
        "allowed_actions": operator_registry.allowed_actions,
        "day": day,
    }
