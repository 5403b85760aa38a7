"""Sign in with the registry's credentials, sign out, and choose a language."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext

from services.portal.adapters.api_client import ApiRefusal
from services.portal.config import LANGUAGES
from services.portal.domain.signed_in import safe_next
from services.portal.entrypoints.web.forms import ConfirmForm, SignInForm
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.requests import api, public_api
from services.portal.entrypoints.web.requests import sign_in as keep_sign_in
from services.portal.entrypoints.web.throttle import sign_in_limited

blp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    "cso": "cso.home",
    "authority": "department.home",
    "evaluator": "evaluator.tasks",
    "operator": "operator.home",
}


def home_of(role: str) -> str:
    return url_for(HOME_BY_ROLE.get(role, "public.search"))


@blp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limited
def sign_in():
    form = SignInForm()
    problem = gettext("Your session ended. Sign in again to continue.") if request.args.get("expired") else None
    if form.validate_on_submit():
        try:
            issued = public_api().post(
                "registry", "/auth/token", {"email": form.email.data.strip(), "password": form.password.data}
            )
        except ApiRefusal as refusal:
            problem = person_message(refusal.message)
            return render_template("auth/sign_in.html", form=form, problem=problem), refusal.status
        client = api()
        client.token = issued["access_token"]
        keep_sign_in(client.get("registry", "/users/me"), issued["access_token"], issued["expires_in"])
        return redirect(safe_next(request.args.get("next")) or home_of(session["user"]["role"]))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form, problem=problem), status


@blp.post("/sign-out")
def sign_out():
    if ConfirmForm().validate_on_submit():
        session.clear()
    return redirect(url_for("public.search"))


@blp.get("/session/keep-alive")
def keep_alive():
    """Pinged by an open page every few minutes (htmx), so the token is renewed while a person reads or types;
    without JavaScript the next page renews it. A session still ends SESSION_MAX_SECONDS after the password."""
    return "", 204


@blp.get("/language/<code>")
def choose_language(code: str):
    """Without JavaScript the language links land here, then go back to the page the person was on."""
    target = safe_next(request.args.get("next")) or url_for("public.search")
    if code not in LANGUAGES:
        return redirect(target)
    separator = "&" if "?" in target else "?"
    return redirect(f"{target}{separator}lang={code}")
