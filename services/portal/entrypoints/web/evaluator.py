"""An evaluator's pages: the task list (declare, score), scoring a call's bids, what was already submitted.

An evaluator learns which calls name them from the calls of their district now in evaluation, each committee
answering only to its members (403 to anyone else). The score sheet is saved to contracting as the evaluator goes:
its scores endpoint takes part of a sheet and keeps each score until every member has scored.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain import evaluator_sheet as sheet
from services.portal.domain import evaluator_tasks as tasks_
from services.portal.entrypoints.web.evaluator_forms import (
    DeclarationForm,
    justification_field,
    posted_pairs,
    score_field,
    sheet_form_for,
)
from services.portal.entrypoints.web.forms import place_refusal
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.public_labels import file_size
from services.portal.entrypoints.web.public_labels import score as score_words
from services.portal.entrypoints.web.requests import api, person, signed_in_as

blp = Blueprint("evaluator", __name__, url_prefix="/evaluation")

PAGE_SIZE = 100
MAX_PAGES = 10

PROBLEM_WORDS = {
    sheet.NOT_A_NUMBER: _("Enter a number from 0 to 100, like 75 or 82.5."),
    sheet.OUT_OF_RANGE: _("The score must be from 0 to 100."),
    sheet.TOO_PRECISE: _("Use at most two decimals."),
    sheet.MISSING_SCORE: _("Give a score too: a justification alone is not saved."),
    sheet.MISSING_JUSTIFICATION: _("Justify the score: a score alone is not saved."),
    sheet.SHORT_JUSTIFICATION: _("Write at least 10 characters."),
    sheet.LONG_JUSTIFICATION: _("Write at most 10,000 characters."),
    sheet.NEEDED_TO_SUBMIT: _("Score this before you submit."),
}
TASK_WORDS = {
    tasks_.OPENING: _("The bids are being opened"),
    tasks_.DECLARE: _("Declare conflicts of interest"),
    tasks_.SCORE: _("Score the bids"),
    tasks_.BLOCKED: _("Scoring waits for the committee"),
    tasks_.SUBMITTED: _("Scores submitted"),
    tasks_.FINAL: _("Scores final"),
    tasks_.OFF_COMMITTEE: _("Conflict of interest declared"),
}


@blp.context_processor
def _words():
    return {"score_words": score_words, "file_size": file_size}


def evaluation_period() -> timedelta:
    """The period contracting plans an evaluation with (the same settings; the API does not state it)."""
    seconds = os.environ.get("CONTRACTING_EVALUATION_SECONDS")
    if seconds:
        return timedelta(seconds=float(seconds))
    days = os.environ.get("CONTRACTING_EVALUATION_DAYS")
    return timedelta(days=float(days)) if days else tasks_.DEFAULT_EVALUATION_PERIOD


def _tender(tender_id: int) -> dict:
    return api().get("contracting", f"/tenders/{tender_id}")


def _committee(tender_id: int) -> dict:
    return api().get("contracting", f"/tenders/{tender_id}/committee")


def _optional(path: str) -> dict | None:
    """An answer the evaluator may not have yet (409 before declaring, 403 after a conflict): None then."""
    try:
        return api().get("contracting", path)
    except ApiRefusal as refusal:
        if refusal.status in (403, 409):
            return None
        raise


def _membership(tender_id: int) -> tuple[dict, dict, str]:
    """The call, its committee and the evaluator's declaration; a page not found when the call does not name them."""
    tender = _tender(tender_id)
    committee = _committee(tender_id)
    declaration = tasks_.declaration_of(committee, person().user_id)
    if declaration is None:
        abort(404)
    return tender, committee, declaration


def _in_evaluation(tender: dict) -> bool:
    return tender.get("applied_status", tender.get("status")) == tasks_.EVALUATION


def _district_calls(status: str) -> list[dict]:
    found: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        listed, total = api().get_page(
            "contracting",
            "/tenders",
            district_code=person().district_code,
            status=status,
            page=page,
            page_size=PAGE_SIZE,
        )
        found.extend(listed)
        if not listed or total is None or len(found) >= total:
            break
    return found


def _task(tender: dict) -> tasks_.Task | None:
    tender_id = int(tender["id"])
    try:
        committee = _committee(tender_id)
    except ApiRefusal as refusal:
        if refusal.status in (403, 404):
            return None  # not on this committee
        raise
    declaration = tasks_.declaration_of(committee, person().user_id)
    scores, bid_count = None, 0
    if declaration == tasks_.CLEAR and _in_evaluation(tender):
        scores = _optional(f"/tenders/{tender_id}/evaluation/scores")
        listed = _optional(f"/tenders/{tender_id}/bids")
        bid_count = len((listed or {}).get("bids") or [])
    return tasks_.task_for(tender, committee, person().user_id, scores, bid_count, evaluation_period())


@blp.get("/")
@signed_in_as("evaluator")
def tasks():
    calls = [call for status in (tasks_.EVALUATION, *tasks_.DECIDED) for call in _district_calls(status)]
    found = [task for task in map(_task, calls) if task is not None]
    to_do, done = tasks_.ordered(found)
    return render_template("evaluator/tasks.html", to_do=to_do, done=done, now=datetime.now(UTC), task_words=TASK_WORDS)


# --- the declaration ---------------------------------------------------------------------------------------------


@blp.route("/calls/<int:tender_id>/declaration", methods=["GET", "POST"])
@signed_in_as("evaluator")
def declare(tender_id: int):
    tender, committee, declaration = _membership(tender_id)
    if declaration != tasks_.UNDECLARED:
        return redirect(url_for("evaluator.score", tender_id=tender_id))
    form = DeclarationForm()
    problems: list[str] = []
    status = 200
    if _in_evaluation(tender) and form.validate_on_submit():
        try:
            api().post("contracting", f"/tenders/{tender_id}/committee/declaration", form.payload())
        except ApiRefusal as refusal:
            if refusal.status == 409 and "declaration" in refusal.body:
                flash(gettext("You have already declared on this call."), "error")
                return redirect(url_for("evaluator.score", tender_id=tender_id))
            if refusal.status not in (409, 422):
                raise
            status = refusal.status
            problems = place_refusal(form, refusal)
            tender = _tender(tender_id)
        else:
            if form.payload()["has_conflict"]:
                flash(
                    gettext("Your conflict of interest is recorded: you are no longer on this call's committee."),
                    "success",
                )
                return redirect(url_for("evaluator.tasks"))
            flash(gettext("Your declaration is recorded: you can now read the bids and score them."), "success")
            return redirect(url_for("evaluator.score", tender_id=tender_id))
    elif form.is_submitted():
        status = 422 if _in_evaluation(tender) else 409
    return render_template(
        "evaluator/declare.html",
        tender=tender,
        committee=committee,
        form=form,
        problems=problems,
        opening=not _in_evaluation(tender),
        due_at=tasks_.due_at(tender, evaluation_period()),
    ), status


# --- the score sheet ---------------------------------------------------------------------------------------------


def _bid_documents(tender_id: int) -> dict[int, list[dict]]:
    """The bids' files the evaluator may read, by bid (the portal's document proxy downloads them)."""
    found: dict[int, list[dict]] = {}
    for document in api().get("contracting", f"/tenders/{tender_id}/documents"):
        if document.get("kind") == "bid" and document.get("status", "active") == "active":
            found.setdefault(int(document["owner_id"]), []).append(document)
    return found


def _bidders(committee: dict) -> dict[int, str]:
    return {int(b["provider_id"]): b.get("legal_name") or "" for b in committee.get("bidders") or []}


def _conflict_page(tender: dict, committee: dict):
    mine = next(m for m in committee["members"] if str(m.get("evaluator")) == str(person().user_id))
    return render_template("evaluator/conflict.html", tender=tender, member=mine)


def _summary_of(cells: list[sheet.Cell], form, bid_names: dict[int, str]) -> list[dict]:
    """The error summary's lines: which bid and criterion, which field, what is wrong."""
    lines = []
    for cell in cells:
        for name in (score_field(cell.key), justification_field(cell.key)):
            field = getattr(form, name)
            for message in field.errors:
                where = gettext(
                    "%(bid)s, %(criterion)s", bid=bid_names[int(cell.bid["id"])], criterion=cell.criterion["name"]
                )
                lines.append({"id": field.id, "where": where, "field": field.label.text, "message": message})
    return lines


def _why_not_scored(refusal: ApiRefusal) -> str:
    if "current_status" in refusal.body:
        return person_message(refusal.message, refusal.body)
    if "every member has scored" in refusal.message:
        return gettext("Every member has scored: the scores are final and can no longer be changed.")
    if refusal.message.startswith("the committee has"):
        return gettext(
            "Scoring waits: too few members of the committee are free of conflicts of interest. "
            "The department must name more evaluators."
        )
    return person_message(refusal.message, refusal.body)


@blp.route("/calls/<int:tender_id>/scores", methods=["GET", "POST"])
@signed_in_as("evaluator")
def score(tender_id: int):
    tender, committee, declaration = _membership(tender_id)
    if declaration == tasks_.UNDECLARED:
        return redirect(url_for("evaluator.declare", tender_id=tender_id))
    if declaration == tasks_.CONFLICT:
        return _conflict_page(tender, committee)
    scores = api().get("contracting", f"/tenders/{tender_id}/evaluation/scores")
    if scores.get("complete") or not _in_evaluation(tender):
        return redirect(url_for("evaluator.submitted", tender_id=tender_id))
    bids = api().get("contracting", f"/tenders/{tender_id}/bids").get("bids") or []
    criteria = tasks_.quality_criteria(tender)
    cells = sheet.cells(bids, criteria, tasks_.own_scores(scores, person().user_id))
    keys = [cell.key for cell in cells]
    saved = {}
    for cell in cells:
        if cell.saved:
            saved[score_field(cell.key)] = sheet.typed(cell.saved.get("score"))
            saved[justification_field(cell.key)] = cell.saved.get("justification") or ""
    form = sheet_form_for(keys, data=saved) if request.method == "GET" else sheet_form_for(keys)
    bid_names = _bid_names(bids, committee)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        submitting = request.form.get("action") == "submit"
        reading = sheet.read_sheet(keys, posted_pairs(form, keys), submitting)
        for key, found in reading.problems.items():
            for which, code in found.items():
                name = score_field(key) if which == sheet.SCORE else justification_field(key)
                getattr(form, name).errors = [str(PROBLEM_WORDS[code])]
        sent = 0
        if reading.entries:
            try:
                api().post("contracting", f"/tenders/{tender_id}/evaluation/scores", {"scores": reading.entries})
                sent = len(reading.entries)
            except ApiRefusal as refusal:
                if refusal.status not in (409, 422):
                    raise
                status = refusal.status
                refused = sheet.refused_entries(refusal.body, reading.entries)
                for key, found in refused.items():
                    for which, messages in found.items():
                        name = score_field(key) if which == sheet.SCORE else justification_field(key)
                        field = getattr(form, name)
                        field.errors = [*list(field.errors or []), *(person_message(m) for m in messages)]
                if not refused:
                    problems.append(_why_not_scored(refusal))
        if status == 200 and not reading.problems:
            if submitting:
                flash(gettext("Your scores are submitted."), "success")
                return redirect(url_for("evaluator.submitted", tender_id=tender_id))
            return _after_saving(tender_id, sent, reading, len(keys))
        if status == 200:
            status = 422
            if sent:
                problems.append(
                    ngettext(
                        "%(num)d score was saved. The ones marked below are not saved yet.",
                        "%(num)d scores were saved. The ones marked below are not saved yet.",
                        sent,
                    )
                )
            if submitting:
                problems.append(gettext("Your scores are not submitted yet: every bid needs every score."))
    scored, total = sheet.progress(cells)
    return render_template(
        "evaluator/score.html",
        tender=tender,
        committee=committee,
        bids=bids,
        criteria=criteria,
        cells=cells,
        form=form,
        bid_names=bid_names,
        lots={int(lot["id"]): lot for lot in tender.get("lots") or []},
        documents=_bid_documents(tender_id),
        problems=problems,
        summary=_summary_of(cells, form, bid_names),
        scored=scored,
        total=total,
        due_at=tasks_.due_at(tender, evaluation_period()),
    ), status


def _after_saving(tender_id: int, sent: int, reading: sheet.Reading, total: int):
    if not sent:
        flash(gettext("Nothing to save yet: give a score and its justification first."), "error")
    elif not reading.empty:
        # The API has no separate submission: a sheet saved whole counts for the committee as it is.
        flash(
            gettext(
                "Every score is given and saved: they count as submitted. "
                "You can change them until every member of the committee has scored."
            ),
            "success",
        )
    else:
        flash(
            gettext(
                "Your scores are saved. %(left)d of %(total)d still to give: come back any time to finish.",
                left=reading.empty,
                total=total,
            ),
            "success",
        )
    return redirect(url_for("evaluator.score", tender_id=tender_id))


def _bid_names(bids: list[dict], committee: dict) -> dict[int, str]:
    names = _bidders(committee)
    return {
        int(bid["id"]): gettext(
            "Bid %(number)d: %(name)s",
            number=index,
            name=names.get(int(bid.get("provider_id") or 0)) or bid.get("provider_id"),
        )
        for index, bid in enumerate(bids, start=1)
    }


# --- what was submitted ------------------------------------------------------------------------------------------


@blp.get("/calls/<int:tender_id>/submitted")
@signed_in_as("evaluator")
def submitted(tender_id: int):
    tender, committee, declaration = _membership(tender_id)
    if declaration == tasks_.UNDECLARED:
        return redirect(url_for("evaluator.declare", tender_id=tender_id))
    if declaration == tasks_.CONFLICT:
        return _conflict_page(tender, committee)
    scores = api().get("contracting", f"/tenders/{tender_id}/evaluation/scores")
    listed = _optional(f"/tenders/{tender_id}/bids") or {}
    bids = listed.get("bids") or []
    criteria = tasks_.quality_criteria(tender)
    cells = sheet.cells(bids, criteria, tasks_.own_scores(scores, person().user_id))
    scored, total = sheet.progress(cells)
    return render_template(
        "evaluator/submitted.html",
        tender=tender,
        scores=scores,
        bids=bids,
        criteria=criteria,
        cells=cells,
        bid_names=_bid_names(bids, committee),
        scored=scored,
        total=total,
        may_change=_in_evaluation(tender) and not scores.get("complete"),
    )
