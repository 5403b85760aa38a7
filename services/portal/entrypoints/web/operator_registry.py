"""An operator's register pages: providers (create, edit, their accreditations) and accreditations (grant, renew,
suspend, reinstate, revoke with a reason, the ones expiring soon, the daily expiry check run by hand)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from services.portal.adapters.api_client import ApiRefusal
from services.portal.adapters.reference_cache import label
from services.portal.domain import operator_registry
from services.portal.entrypoints.web.filters import districts, service_types
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.operator_blueprint import blp, everything, refusal_words, today_in_chisinau
from services.portal.entrypoints.web.operator_forms import GrantForm, ProviderForm, ReasonForm, ReinstateForm, RenewForm
from services.portal.entrypoints.web.requests import api, choose_language, signed_in_as

PROVIDER_FIELDS = ("legal_name", "legal_form", "email", "phone", "address", "districts_served", "languages")
STATUS_ACTIONS = ("suspend", "reinstate", "revoke")


def _district_choices() -> list[SelectChoice]:
    return [SelectChoice(row["code"], label(row, choose_language())) for row in districts()]


def _service_choices() -> list[SelectChoice]:
    return [SelectChoice(row["code"], label(row, choose_language())) for row in service_types()]


def _field_of(refusal: ApiRefusal, form, problems: list[str]) -> None:
    """A 409 that names its field (a duplicate IDNO or certificate, a second live accreditation) goes there."""
    target = getattr(form, str(refusal.body.get("field") or ""), None)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*list(target.errors or []), refusal_words(refusal)]
    else:
        problems.append(refusal_words(refusal))


def _refused(refusal: ApiRefusal, form) -> tuple[list[str], int]:
    if refusal.status == 409:
        problems: list[str] = []
        _field_of(refusal, form, problems)
        return problems, 409
    if refusal.status in (400, 422):
        return place_refusal(form, refusal), 422
    raise refusal


# --- providers ---------------------------------------------------------------------------------------------------


@blp.get("/providers")
@signed_in_as("operator")
def providers():
    search = {
        "idno": (request.args.get("idno") or "").strip(),
        "district_code": request.args.get("district_code") or "",
        "service_type": request.args.get("service_type") or "",
        "status": request.args.get("status") if request.args.get("status") in ("active", "suspended") else "",
    }
    listed = everything("registry", "/providers", **search)
    listed.sort(key=lambda provider: str(provider.get("legal_name") or "").casefold())
    return render_template("operator/providers.html", providers=listed, search=search)


def _provider(provider_id: int) -> dict:
    return api().get("registry", f"/providers/{provider_id}")


@blp.route("/providers/new", methods=["GET", "POST"])
@signed_in_as("operator")
def new_provider():
    form = ProviderForm()
    form.districts_served.choices = _district_choices()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        body = {name: getattr(form, name).data or None for name in PROVIDER_FIELDS}
        body["districts_served"] = form.districts_served.data or []
        body["idno"] = form.idno.data.strip()
        body["legal_form"] = form.legal_form.data or "asociație obștească"
        try:
            created = api().post("registry", "/providers", body)
        except ApiRefusal as refusal:
            problems, status = _refused(refusal, form)
        else:
            flash(gettext("%(name)s is in the register.", name=created["legal_name"]), "success")
            return redirect(url_for("operator.provider", provider_id=created["id"]))
    elif form.is_submitted():
        status = 422
    return render_template("operator/provider_form.html", form=form, provider=None, problems=problems), status


@blp.route("/providers/<int:provider_id>/edit", methods=["GET", "POST"])
@signed_in_as("operator")
def edit_provider(provider_id: int):
    record = _provider(provider_id)
    form = ProviderForm(data=None if request.method == "POST" else record)
    del form.idno
    form.districts_served.choices = _district_choices()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        body = {name: getattr(form, name).data or None for name in PROVIDER_FIELDS}
        body["districts_served"] = form.districts_served.data or []
        body["legal_form"] = form.legal_form.data or record.get("legal_form")
        body["status"] = form.status.data
        try:
            api().patch("registry", f"/providers/{provider_id}", body)
        except ApiRefusal as refusal:
            problems, status = _refused(refusal, form)
        else:
            flash(gettext("The provider's details were saved."), "success")
            return redirect(url_for("operator.provider", provider_id=provider_id))
    elif form.is_submitted():
        status = 422
    return render_template("operator/provider_form.html", form=form, provider=record, problems=problems), status


@blp.get("/providers/<int:provider_id>")
@signed_in_as("operator")
def provider(provider_id: int):
    record = _provider(provider_id)
    return render_template(
        "operator/provider.html",
        provider=record,
        accreditations=operator_registry.accreditations_by_status(record.get("accreditations") or []),
    )


@blp.route("/providers/<int:provider_id>/accreditations/new", methods=["GET", "POST"])
@signed_in_as("operator")
def grant(provider_id: int):
    record = _provider(provider_id)
    form = GrantForm()
    form.service_type.choices = _service_choices()
    form.districts_served.choices = _district_choices()
    if request.method == "GET":
        form.valid_from.data, form.valid_to.data = operator_registry.default_grant_term(today_in_chisinau())
        form.districts_served.data = list(record.get("districts_served") or [])
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        body = {
            "service_type": form.service_type.data,
            "accrediting_body": form.accrediting_body.data.strip(),
            "certificate_number": form.certificate_number.data.strip(),
            "valid_from": form.valid_from.data.isoformat(),
            "valid_to": form.valid_to.data.isoformat(),
        }
        try:
            granted = api().post("registry", f"/providers/{provider_id}/accreditations", body)
        except ApiRefusal as refusal:
            problems, status = _refused(refusal, form)
        else:
            chosen = sorted(form.districts_served.data or [])
            if chosen != sorted(record.get("districts_served") or []):
                # Districts belong to the provider, not to one accreditation: the registry keeps them on the provider.
                api().patch("registry", f"/providers/{provider_id}", {"districts_served": chosen})
            flash(gettext("Accreditation no. %(number)s was granted.", number=granted["id"]), "success")
            return redirect(url_for("operator.provider", provider_id=provider_id))
    elif form.is_submitted():
        status = 422
    return render_template("operator/grant.html", form=form, provider=record, problems=problems), status


# --- accreditations ------------------------------------------------------------------------------------------------


@blp.get("/accreditations")
@signed_in_as("operator")
def accreditations():
    status = request.args.get("status") or ""
    if status not in operator_registry.ACTIONS:
        status = ""
    service_type = request.args.get("service_type") or ""
    listed = everything("registry", "/accreditations", status=status, service_type=service_type)
    names = operator_registry.provider_names(everything("registry", "/providers"))
    today = today_in_chisinau()
    return render_template(
        "operator/accreditations.html",
        accreditations=operator_registry.accreditations_by_status(listed),
        expiring=operator_registry.expiring_soon(listed, today),
        within_days=operator_registry.EXPIRING_WITHIN_DAYS,
        names=names,
        search={"status": status, "service_type": service_type},
        statuses=tuple(operator_registry.ACTIONS),
        confirm=ConfirmForm(),
    )


@blp.post("/accreditations/expiry-check")
@signed_in_as("operator")
def expiry_check():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = api().post("registry", "/accreditations/expiry-check", {})
    expired = result.get("expired") or []
    if expired:
        flash(
            gettext(
                "The expiry check marked %(count)d accreditations expired: %(numbers)s.",
                count=len(expired),
                numbers=", ".join(str(number) for number in expired),
            ),
            "success",
        )
    else:
        flash(gettext("The expiry check found no accreditation past its last valid day."), "success")
    return redirect(url_for("operator.accreditations"))


def _accreditation_page(accreditation_id: int, forms: dict, problems: list[str], status: int = 200):
    record = api().get("registry", f"/accreditations/{accreditation_id}")
    owner = _provider(int(record["provider_id"]))
    today = today_in_chisinau()
    renew = forms.get("renew") or RenewForm(formdata=None)
    if renew.valid_to.data is None:
        renew.valid_to.data = operator_registry.default_renewal_end(record.get("valid_to"), today)
    return render_template(
        "operator/accreditation.html",
        accreditation=record,
        provider=owner,
        renew_form=renew,
        suspend_form=forms.get("suspend") or ReasonForm(prefix="suspend", formdata=None),
        revoke_form=forms.get("revoke") or ReasonForm(prefix="revoke", formdata=None),
        reinstate_form=forms.get("reinstate") or ReinstateForm(prefix="reinstate", formdata=None),
        problems=problems,
    ), status


@blp.get("/accreditations/<int:accreditation_id>")
@signed_in_as("operator")
def accreditation(accreditation_id: int):
    return _accreditation_page(accreditation_id, {}, [])


@blp.post("/accreditations/<int:accreditation_id>/renew")
@signed_in_as("operator")
def renew(accreditation_id: int):
    form = RenewForm()
    if not form.validate_on_submit():
        return _accreditation_page(accreditation_id, {"renew": form}, [], 422)
    body = {"valid_to": form.valid_to.data.isoformat()}
    if (form.certificate_number.data or "").strip():
        body["certificate_number"] = form.certificate_number.data.strip()
    try:
        api().post("registry", f"/accreditations/{accreditation_id}/renew", body)
    except ApiRefusal as refusal:
        problems, status = _refused(refusal, form)
        return _accreditation_page(accreditation_id, {"renew": form}, problems, status)
    flash(gettext("The accreditation was renewed."), "success")
    return redirect(url_for("operator.accreditation", accreditation_id=accreditation_id))


@blp.post("/accreditations/<int:accreditation_id>/<action>")
@signed_in_as("operator")
def change_status(accreditation_id: int, action: str):
    if action not in STATUS_ACTIONS:
        abort(404)
    form = ReinstateForm(prefix=action) if action == "reinstate" else ReasonForm(prefix=action)
    if not form.validate_on_submit():
        return _accreditation_page(accreditation_id, {action: form}, [], 422)
    body = {"reason": (form.reason.data or "").strip() or None}
    if action == "reinstate" and body["reason"] is None:
        body = {}
    try:
        api().post("registry", f"/accreditations/{accreditation_id}/{action}", body)
    except ApiRefusal as refusal:
        problems, status = _refused(refusal, form)
        return _accreditation_page(accreditation_id, {action: form}, problems, status)
    done = {
        "suspend": gettext("The accreditation was suspended."),
        "reinstate": gettext("The suspension was lifted: the accreditation is valid again."),
        "revoke": gettext("The accreditation was revoked."),
    }
    flash(done[action], "success")
    return redirect(url_for("operator.accreditation", accreditation_id=accreditation_id))
