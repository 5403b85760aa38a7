"""A CSO's words on a call: a question in the questions period, a complaint about the award in the standstill."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain.deadlines import parse_moment
from services.portal.domain.eligibility import complaints_open, questions_open
from services.portal.entrypoints.web.cso_blueprint import blp, now, provider_name, tender
from services.portal.entrypoints.web.cso_forms import ComplaintForm, QuestionForm
from services.portal.entrypoints.web.cso_uploads import attach_files, chosen_files, tell_uploads
from services.portal.entrypoints.web.filters import money
from services.portal.entrypoints.web.forms import place_refusal
from services.portal.entrypoints.web.requests import api, signed_in_as

LIVE_AWARD = ("pending", "active")


def _public_questions(tender_id: int) -> list[dict]:
    try:
        return api().get("contracting", f"/tenders/{tender_id}/questions")
    except ApiRefusal:
        return []


@blp.route("/calls/<int:tender_id>/questions/new", methods=["GET", "POST"])
@signed_in_as("cso")
def ask_question(tender_id: int):
    call = tender(tender_id)
    form = QuestionForm()
    still_open = questions_open(call["status"], parse_moment(call.get("enquiry_end")), now())
    problems: list[str] = []
    status = 200
    if form.is_submitted() and not form.validate():
        status = 422
    elif form.is_submitted():
        # The API's clock decides whether the period is still open, not the page's reading of it.
        try:
            api().post("contracting", f"/tenders/{tender_id}/questions", {"question": form.question.data.strip()})
        except ApiRefusal as refusal:
            if refusal.status == 409:
                still_open, status = False, 409
            elif refusal.status == 422:
                problems, status = place_refusal(form, refusal), 422
            else:
                raise
        else:
            flash(gettext("Your question was sent; the answer will be public on the call's page."), "success")
            return redirect(url_for("public.call", tender_id=tender_id))
    return render_template(
        "cso/ask_question.html",
        call=call,
        form=form,
        problems=problems,
        questions_open=still_open,
        questions=_public_questions(tender_id),
    ), status


def _award_choices(call: dict, awards: list[dict]) -> list[SelectChoice]:
    lot_numbers = {lot["id"]: lot.get("number") for lot in call.get("lots") or []}
    names: dict[int, str] = {}
    choices = [SelectChoice("", gettext("The whole award decision of the call"))]
    for award in awards:
        if award.get("status") not in LIVE_AWARD:
            continue
        words = gettext(
            "Lot %(lot)s: award to %(provider)s, %(value)s",
            lot=lot_numbers.get(award.get("lot_id"), "?"),
            provider=provider_name(award.get("provider_id"), names),
            value=money(award.get("value")),
        )
        choices.append(SelectChoice(str(award["id"]), words))
    return choices


def _lodge(tender_id: int, form: ComplaintForm) -> dict:
    payload = {
        "award_id": int(form.award_id.data) if form.award_id.data else None,
        "title": form.title.data.strip(),
        "description": form.description.data.strip(),
    }
    return api().post("contracting", f"/tenders/{tender_id}/complaints", payload)


def _attach_complaint_evidence(tender_id: int, complaint_id: int, form: ComplaintForm) -> None:
    tell_uploads(*attach_files(tender_id, "complaint", complaint_id, chosen_files(form.evidence.data)))


@blp.route("/calls/<int:tender_id>/complaints/new", methods=["GET", "POST"])
@signed_in_as("cso")
def complain(tender_id: int):
    call = tender(tender_id)
    form = ComplaintForm()
    form.award_id.choices = _award_choices(call, api().get("contracting", f"/tenders/{tender_id}/awards"))
    still_open = complaints_open(call["status"], parse_moment(call.get("standstill_end")), now())
    problems: list[str] = []
    status = 200
    if form.is_submitted() and not form.validate():
        status = 422
    elif form.is_submitted():
        try:
            complaint = _lodge(tender_id, form)
        except ApiRefusal as refusal:
            status = refusal.status
            if refusal.status == 409:
                still_open = False
            elif refusal.status == 403:
                problems = [gettext("Only organisations that bid for this call may complain about its award.")]
            elif refusal.status == 422:
                problems = place_refusal(form, refusal)
            else:
                raise
        else:
            _attach_complaint_evidence(tender_id, int(complaint["id"]), form)
            flash(
                gettext(
                    "Your complaint was lodged. The department must decide on it before any contract is signed; "
                    "you will get a notice."
                ),
                "success",
            )
            return redirect(url_for("cso.complain", tender_id=tender_id))
    complaints = api().get("contracting", f"/tenders/{tender_id}/complaints")
    award_words = {choice.value: choice.label for choice in form.award_id.choices}
    return render_template(
        "cso/complain.html",
        call=call,
        form=form,
        problems=problems,
        complaints_open=still_open,
        complaints=sorted(complaints, key=lambda row: row.get("id") or 0, reverse=True),
        award_words=award_words,
    ), status
