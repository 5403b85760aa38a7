"""A CSO's notices (the in-app inbox) and how it is told: channels, digest, language, and its webhooks."""

from __future__ import annotations

import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext, ngettext

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain.notices import Notice, unread_first
from services.portal.entrypoints.web.cso_blueprint import blp
from services.portal.entrypoints.web.cso_forms import PreferencesForm, WebhookForm
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.requests import api, signed_in_as

NOTICES_PER_PAGE = 25
CHANNELS = ("email", "inbox", "webhook")
# The notices that come whatever is switched off (the API names them by event type).
LEGAL_NOTICE_LABELS = {
    "award.decided": lazy_gettext("Award decisions on calls you bid for"),
    "award.cancelled": lazy_gettext("Cancelled awards"),
    "complaint.upheld": lazy_gettext("Complaints upheld"),
    "complaint.rejected": lazy_gettext("Complaints rejected"),
    "contract.terminated": lazy_gettext("Contracts terminated early"),
    "tender.cancelled": lazy_gettext("Cancelled calls"),
    "tender.unsuccessful": lazy_gettext("Calls that ended without a winner"),
}


def _unread_count() -> int:
    return int(api().get("notifications", "/inbox/unread-count").get("unread") or 0)


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@blp.get("/notices")
@signed_in_as("cso")
def inbox():
    page = _page()
    rows, total = api().get_page("notifications", "/inbox", page=page, page_size=NOTICES_PER_PAGE)
    return render_template(
        "cso/inbox.html",
        notices=unread_first(rows),
        unread=_unread_count(),
        total=total or 0,
        page=page,
        pages=max(1, math.ceil((total or 0) / NOTICES_PER_PAGE)),
        page_link=lambda number: url_for("cso.inbox", page=number),
    )


@blp.post("/notices/<int:message_id>/read")
@signed_in_as("cso")
def mark_read(message_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    marked = api().post("notifications", f"/inbox/{message_id}/read", {})
    if request.headers.get("HX-Request"):
        # htmx swaps just this notice, and the heading's count out of band.
        notice = Notice.from_inbox(marked)
        return render_template("cso/_notice.html", notice=notice, unread=_unread_count(), oob=True)
    return redirect(url_for("cso.inbox", page=request.args.get("page")) + f"#notice-{message_id}")


@blp.post("/notices/read-all")
@signed_in_as("cso")
def mark_all_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    marked = int(api().post("notifications", "/inbox/read-all", {}).get("marked") or 0)
    flash(ngettext("%(num)d notice marked as read.", "%(num)d notices marked as read.", marked), "success")
    return redirect(url_for("cso.inbox"))


def _filled_preferences_form(chosen: dict) -> PreferencesForm:
    form = PreferencesForm(formdata=None)
    channels = chosen.get("channels") or {}
    for channel in CHANNELS:
        getattr(form, f"channel_{channel}").data = bool(channels.get(channel, True))
    form.digest.data = "yes" if chosen.get("digest") else "no"
    form.language.data = chosen.get("language") or ""
    return form


def _settings_page(
    preferences_form: PreferencesForm | None = None,
    webhook_form: WebhookForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
):
    """The settings page; a form not given is shown as the API has it now (preferences) or empty (webhook)."""
    chosen = api().get("notifications", "/preferences")
    legal = [str(LEGAL_NOTICE_LABELS.get(code, code)) for code in chosen.get("legal_notices") or []]
    return render_template(
        "cso/notification_settings.html",
        preferences_form=preferences_form or _filled_preferences_form(chosen),
        webhook_form=webhook_form or WebhookForm(formdata=None),
        webhooks=api().get("notifications", "/webhooks"),
        legal_notices=legal,
        problems=problems or [],
        confirm=ConfirmForm(),
    ), status


@blp.route("/settings/notifications", methods=["GET", "POST"])
@signed_in_as("cso")
def notification_settings():
    if request.method == "GET":
        return _settings_page()
    form = PreferencesForm()
    if not form.validate_on_submit():
        return _settings_page(preferences_form=form, status=422)
    changes = {
        "channels": {channel: bool(getattr(form, f"channel_{channel}").data) for channel in CHANNELS},
        "digest": form.digest.data == "yes",
        "language": form.language.data or None,
    }
    try:
        api().put("notifications", "/preferences", changes)
    except ApiRefusal as refusal:
        if refusal.status != 422:
            raise
        return _settings_page(preferences_form=form, problems=place_refusal(form, refusal), status=422)
    flash(gettext("Your notification settings were saved."), "success")
    return redirect(url_for("cso.notification_settings"))


@blp.post("/settings/webhooks")
@signed_in_as("cso")
def add_webhook():
    form = WebhookForm()
    if not form.validate_on_submit():
        return _settings_page(webhook_form=form, status=422)
    payload = {
        "url": form.webhook_url.data.strip(),
        "description": (form.webhook_description.data or "").strip() or None,
        "event_types": form.event_types(),
    }
    try:
        created = api().post("notifications", "/webhooks", payload)
    except ApiRefusal as refusal:
        if refusal.status != 422:
            raise
        names = {"url": "webhook_url", "description": "webhook_description", "event_types": "webhook_event_types"}
        problems = place_refusal(form, refusal, names)
        if "url" in refusal.field_errors:
            # The API says why in its own words (a private address, no such host): the person needs what to do.
            form.webhook_url.errors = [
                gettext(
                    "The platform cannot send notices to this address (%(reason)s). Give the public web address "
                    "(http or https) of your system.",
                    reason="; ".join(refusal.field_errors["url"]),
                )
            ]
        return _settings_page(webhook_form=form, problems=problems, status=422)
    # The secret is shown this once, on this answer: it is never kept by the portal nor shown again by the API.
    return render_template("cso/webhook_secret.html", webhook=created, new=True), 201


def _confirmed_or_400() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@blp.post("/settings/webhooks/<int:webhook_id>/remove")
@signed_in_as("cso")
def remove_webhook(webhook_id: int):
    _confirmed_or_400()
    api().delete("notifications", f"/webhooks/{webhook_id}")
    flash(gettext("The webhook was removed; nothing more will be sent to it."), "success")
    return redirect(url_for("cso.notification_settings"))


@blp.post("/settings/webhooks/<int:webhook_id>/test")
@signed_in_as("cso")
def test_webhook(webhook_id: int):
    _confirmed_or_400()
    try:
        result = api().post("notifications", f"/webhooks/{webhook_id}/ping", {})
    except ApiRefusal as refusal:
        flash(person_message(refusal.message, refusal.body), "error")
        return redirect(url_for("cso.notification_settings"))
    if result.get("ok"):
        flash(
            gettext("Your system received the test notice (it answered %(code)s).", code=result.get("status_code")),
            "success",
        )
    else:
        reason = result.get("error") or result.get("status_code") or "—"
        flash(gettext("The test notice did not reach your system: %(reason)s", reason=reason), "error")
    return redirect(url_for("cso.notification_settings"))


@blp.post("/settings/webhooks/<int:webhook_id>/new-secret")
@signed_in_as("cso")
def rotate_webhook_secret(webhook_id: int):
    _confirmed_or_400()
    renewed = api().post("notifications", f"/webhooks/{webhook_id}/rotate-secret", {})
    return render_template("cso/webhook_secret.html", webhook=renewed, new=False)
