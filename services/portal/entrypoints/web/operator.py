"""An operator's pages: the registry (providers, accreditations, users, nomenclature) and operations (dead
letters, each call's flow runs).

This module holds operations; the registry's pages are in operator_registry.py and operator_people.py, which
register on the same blueprint (operator_blueprint.py) when imported here.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from services.portal.adapters import prefect_runs
from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain import operator_runs
from services.portal.domain.operator_registry import retryable

# Imported for their routes: they register on the same blueprint.
from services.portal.entrypoints.web import (  # noqa: F401
    operator_people,
    operator_reference_costs,
    operator_registry,
)
from services.portal.entrypoints.web.forms import ConfirmForm
from services.portal.entrypoints.web.operator_blueprint import DELIVERY_STATUS_LABELS, blp
from services.portal.entrypoints.web.requests import api, settings, signed_in_as

__all__ = ["blp"]

CALLS_PER_PAGE = 20
DELIVERIES_PER_PAGE = 25
# What the dead-letters page can list: what gave up, and what is failing and will be tried again.
TROUBLE_STATUSES = ("dead", "failed")


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 10_000)) if raw.isdigit() else 1


def _pages(total: int | None, size: int) -> int:
    return max(1, -(-(total or 0) // size))


@blp.get("/")
@signed_in_as("operator")
def home():
    page = _page_number()
    calls, total = api().get_page("contracting", "/tenders", page=page, page_size=CALLS_PER_PAGE)
    _, dead = api().get_page("notifications", "/deliveries", status="dead", page_size=1)
    _, failing = api().get_page("notifications", "/deliveries", status="failed", page_size=1)
    config = settings()
    runs: dict[int, list[operator_runs.StageRun]] = {}
    flow_server_down = False
    try:
        records = prefect_runs.runs_of_tenders(config.prefect_api_url, [int(call["id"]) for call in calls])
        runs = operator_runs.runs_by_tender(records)
    except prefect_runs.FlowServerDown:
        flow_server_down = True
    return render_template(
        "operator/home.html",
        calls=calls,
        runs=runs,
        latest_per_stage=operator_runs.latest_per_stage,
        needs_attention=operator_runs.needs_attention,
        flow_server_down=flow_server_down,
        prefect_ui=config.prefect_ui_url,
        runs_page_url=lambda tender_id: prefect_runs.runs_page_url(config.prefect_ui_url, tender_id),
        run_page_url=lambda run: prefect_runs.run_page_url(config.prefect_ui_url, run.id),
        dead=dead or 0,
        failing=failing or 0,
        page=page,
        pages=_pages(total, CALLS_PER_PAGE),
        page_link=lambda number: url_for("operator.home", page=number),
    )


@blp.get("/deliveries")
@signed_in_as("operator")
def dead_letters():
    status = request.args.get("status", "dead")
    if status not in TROUBLE_STATUSES:
        status = "dead"
    channel = request.args.get("channel") or None
    if channel not in (None, "email", "inbox", "webhook"):
        channel = None
    page = _page_number()
    deliveries, total = api().get_page(
        "notifications", "/deliveries", status=status, channel=channel, page=page, page_size=DELIVERIES_PER_PAGE
    )
    return render_template(
        "operator/dead_letters.html",
        deliveries=deliveries,
        total=total or 0,
        status=status,
        channel=channel or "",
        statuses=TROUBLE_STATUSES,
        retryable=retryable,
        confirm=ConfirmForm(),
        page=page,
        pages=_pages(total, DELIVERIES_PER_PAGE),
        page_link=lambda number: url_for("operator.dead_letters", status=status, channel=channel, page=number),
    )


@blp.post("/deliveries/<int:delivery_id>/retry")
@signed_in_as("operator")
def retry_delivery(delivery_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = url_for("operator.dead_letters", status=request.form.get("status", "dead"))
    try:
        api().post("notifications", f"/deliveries/{delivery_id}/retry", {})
    except ApiRefusal as refusal:
        if refusal.status != 409:
            raise
        current = refusal.body.get("current_status")
        flash(
            gettext(
                "Delivery %(number)d cannot be sent again: it is now “%(status)s”.",
                number=delivery_id,
                status=str(DELIVERY_STATUS_LABELS.get(current, current or "—")),
            ),
            "error",
        )
        return redirect(back)
    flash(
        gettext(
            "Delivery %(number)d will be sent again at the next dispatch, with fresh attempts.", number=delivery_id
        ),
        "success",
    )
    return redirect(back)
