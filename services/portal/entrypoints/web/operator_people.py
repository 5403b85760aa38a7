"""An operator's pages for people and words: accounts (create, deactivate, reactivate) and the nomenclature of
service types (list, add).

The registry has no password reset and no way to change an account's role or to rename or remove a service
type: the pages say what an operator can do instead.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from wtforms.fields.choices import SelectChoice

from services.portal.adapters import reference_cache
from services.portal.adapters.api_client import ApiRefusal
from services.portal.adapters.reference_cache import label
from services.portal.domain import operator_registry
from services.portal.entrypoints.web.filters import districts
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.operator_blueprint import ROLE_LABELS, blp, everything, refusal_words
from services.portal.entrypoints.web.operator_forms import ServiceTypeForm, UserForm
from services.portal.entrypoints.web.requests import api, choose_language, person, signed_in_as


@blp.get("/users")
@signed_in_as("operator")
def users():
    role = request.args.get("role") if request.args.get("role") in ROLE_LABELS else ""
    district_code = request.args.get("district_code") or ""
    active = request.args.get("active") if request.args.get("active") in ("true", "false") else ""
    listed = everything("registry", "/users", role=role, district_code=district_code, active=active)
    names = operator_registry.provider_names(everything("registry", "/providers"))
    return render_template(
        "operator/users.html",
        users=operator_registry.users_in_order(listed),
        names=names,
        search={"role": role, "district_code": district_code, "active": active},
        roles=ROLE_LABELS,
        me=person(),
        confirm=ConfirmForm(),
    )


@blp.route("/users/new", methods=["GET", "POST"])
@signed_in_as("operator")
def new_user():
    form = UserForm()
    form.district_code.choices = [SelectChoice("", lazy_gettext("None"))] + [
        SelectChoice(row["code"], label(row, choose_language())) for row in districts()
    ]
    providers = sorted(everything("registry", "/providers"), key=lambda row: str(row.get("legal_name")).casefold())
    form.provider_id.choices = [SelectChoice("", lazy_gettext("None"))] + [
        SelectChoice(str(row["id"]), row.get("legal_name") or str(row["id"])) for row in providers
    ]
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        body = {
            "email": form.email.data.strip(),
            "password": form.password.data,
            "full_name": (form.full_name.data or "").strip() or None,
            "role": form.role.data,
            "district_code": form.district_code.data or None,
            "provider_id": int(form.provider_id.data) if (form.provider_id.data or "").isdigit() else None,
            "language": form.language.data,
        }
        try:
            created = api().post("registry", "/users", body)
        except ApiRefusal as refusal:
            status = 409 if refusal.status == 409 else 422
            if refusal.status not in (400, 409, 422):
                raise
            if refusal.status == 409 and refusal.body.get("field") == "email":
                form.email.errors = [*list(form.email.errors or []), gettext("An account with this e-mail exists.")]
            elif refusal.status == 409:
                problems = [refusal_words(refusal)]
            else:
                problems = place_refusal(form, refusal)
        else:
            flash(
                gettext(
                    "The account %(email)s was created. Give its first password to its owner by a safe way.",
                    email=created["email"],
                ),
                "success",
            )
            return redirect(url_for("operator.users"))
    elif form.is_submitted():
        status = 422
    return render_template("operator/user_form.html", form=form, problems=problems), status


@blp.post("/users/<int:user_id>/<action>")
@signed_in_as("operator")
def set_active(user_id: int, action: str):
    if action not in ("deactivate", "reactivate") or not ConfirmForm().validate_on_submit():
        abort(404 if action not in ("deactivate", "reactivate") else 400)
    try:
        changed = api().post("registry", f"/users/{user_id}/{action}", {})
    except ApiRefusal as refusal:
        if refusal.status != 409:
            raise
        if refusal.body.get("field") == "user_id":
            flash(gettext("You cannot deactivate your own account."), "error")
        else:
            flash(gettext("This account is already in that state."), "error")
        return redirect(url_for("operator.users"))
    if action == "deactivate":
        flash(gettext("%(email)s can no longer sign in.", email=changed["email"]), "success")
    else:
        flash(gettext("%(email)s can sign in again.", email=changed["email"]), "success")
    return redirect(url_for("operator.users"))


@blp.route("/service-types", methods=["GET", "POST"])
@signed_in_as("operator")
def service_types_page():
    form = ServiceTypeForm()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        body = {name: getattr(form, name).data.strip() for name in ("code", "name_ro", "name_ru", "name_en")}
        try:
            api().post("registry", "/service-types", body)
        except ApiRefusal as refusal:
            if refusal.status not in (400, 409, 422):
                raise
            status = refusal.status if refusal.status == 409 else 422
            if refusal.status == 409:
                form.code.errors = [*list(form.code.errors or []), gettext("A service type with this code exists.")]
            else:
                problems = place_refusal(form, refusal)
        else:
            reference_cache.forget()
            flash(gettext("The service type %(code)s was added.", code=body["code"]), "success")
            return redirect(url_for("operator.service_types_page"))
    elif form.is_submitted():
        status = 422
    rows = operator_registry.service_types_in_order(api().get("registry", "/service-types"))
    return render_template("operator/service_types.html", rows=rows, form=form, problems=problems), status
