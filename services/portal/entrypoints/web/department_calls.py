"""A district department's own calls: its home (calls by stage, what waits on it, continuity risks), creating a call
as a guided form (saved as a draft, previewed as the public will see it, published), and running it until the bids
open: documents, answers to questions, amendments, the evaluation committee, cancellation.

Contracting decides every rule; the forms check the same rules first (domain/call_draft.py) so a person sees a
mistake beside the field before anything is sent, and the API's refusal lands in the same place when it differs.
A call of another district answers as a page that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext, ngettext
from werkzeug.routing import BuildError

from services.portal.adapters.api_client import ApiRefusal
from services.portal.adapters.reference_cache import label
from services.portal.config import TIMEZONE
from services.portal.domain import call_draft, department_home
from services.portal.domain.call_view import call_view
from services.portal.domain.department_home import CallFacts
from services.portal.entrypoints.web.cso_uploads import attach_files, chosen_files, tell_uploads
from services.portal.entrypoints.web.department_blueprint import blp
from services.portal.entrypoints.web.department_call_forms import (
    AmendForm,
    AnswerForm,
    CallForm,
    CancelForm,
    CommitteeForm,
    DocumentsForm,
    procedure_rules,
)
from services.portal.entrypoints.web.filters import moment, service_types
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.public_labels import file_size, label_for, score, template_helpers
from services.portal.entrypoints.web.reference_cost_views import current_reference, reference_context
from services.portal.entrypoints.web.requests import api, choose_language, person, signed_in_as

_ = lazy_gettext

MOST_CALLS = 100
MOST_EVALUATORS = 100
# Stages in which the department still runs the call itself (these pages); later ones are the award pages'
BIDDING = ("active.enquiries", "active.tendering")
COMMITTEE_STAGES = department_home.COMMITTEE_STAGES
CANCELLABLE = (
    "draft",
    "active.enquiries",
    "active.tendering",
    "active.evaluation",
    "active.standstill",
    "active.contract_pending",
)

STAGE_HEADINGS = {
    "draft": _("Drafts"),
    "active.enquiries": _("Questions period"),
    "active.tendering": _("Open for bids"),
    "active.evaluation": _("Evaluation"),
    "active.standstill": _("Standstill"),
    "active.contract_pending": _("Contracting"),
}
ACTION_LABELS = {
    "publish": _("publish"),
    "cancel": _("cancel"),
    "end_enquiries": _("end the questions period"),
    "close_submissions": _("open the bids"),
    "rank": _("decide the award"),
    "declare_unsuccessful": _("declare the call unsuccessful"),
    "reopen_evaluation": _("reopen the evaluation"),
    "end_standstill": _("end the standstill"),
    "complete": _("complete the call"),
}
RISK_LABELS = {
    "critical": _("Critical"),
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
}
DECLARATION_LABELS = {
    "undeclared": _("Has not declared yet"),
    "clear": _("Declared no conflict of interest"),
    "conflict": _("Declared a conflict of interest: off this call"),
}
PERIOD_PROBLEMS = {
    call_draft.IN_THE_PAST: _("This moment has already passed."),
    call_draft.NOT_AFTER_ENQUIRY: _("The deadline for bids must come after the end of the questions period."),
    call_draft.WEEKEND_DEADLINE: _("The deadline for bids may not fall on a Saturday or a Sunday."),
    call_draft.MORE_WINNERS_THAN_PLACES: _("A lot cannot have more winners than places."),
}
CRITERIA_PROBLEMS = {
    call_draft.WEIGHTS_NOT_100: _("The weights must add up to 100 (now they add up to %(total)d)."),
    call_draft.TWO_PRICES: _("Only one criterion may be the price."),
    call_draft.NO_CRITERION: _("Add at least one criterion."),
}
ROW_NAMES = {"lots": _("Lot %(number)d"), "criteria": _("Criterion %(number)d")}
# The API's form fields -> this form's (nested lots and criteria carry their own messages)
CALL_FIELDS = {"lots": "lots", "criteria": "criteria"}


def now() -> datetime:
    return datetime.now(UTC)


def optional_url(endpoint: str, **values) -> str | None:
    """A link to another helper's page, or None while that page does not exist (the link is then left out)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def period_words(seconds: float) -> str:
    """A minimum period in the person's words: days when whole, else hours, minutes or seconds."""
    whole = int(seconds)
    if whole % 86400 == 0:
        return ngettext("%(num)d day", "%(num)d days", whole // 86400)
    if whole % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", whole // 3600)
    if whole % 60 == 0:
        return ngettext("%(num)d minute", "%(num)d minutes", whole // 60)
    return ngettext("%(num)d second", "%(num)d seconds", whole)


def rule_messages(rules: call_draft.PeriodRules) -> dict[str, str]:
    """Every period rule's message, worded once for the server's check and the page's script alike."""
    return {
        call_draft.IN_THE_PAST: str(PERIOD_PROBLEMS[call_draft.IN_THE_PAST]),
        call_draft.ENQUIRY_TOO_SHORT: gettext(
            "The questions period must last at least %(period)s from now.",
            period=period_words(rules.min_enquiry.total_seconds()),
        ),
        call_draft.NOT_AFTER_ENQUIRY: str(PERIOD_PROBLEMS[call_draft.NOT_AFTER_ENQUIRY]),
        call_draft.TENDERING_TOO_SHORT: gettext(
            "Bids must be taken for at least %(period)s after the questions period ends.",
            period=period_words(rules.min_tendering.total_seconds()),
        ),
        call_draft.WEEKEND_DEADLINE: str(PERIOD_PROBLEMS[call_draft.WEEKEND_DEADLINE]),
        call_draft.EXTENSION_TOO_SHORT: gettext(
            "An amendment moves the deadline out by at least %(period)s.",
            period=period_words(rules.min_amendment_extension.total_seconds()),
        ),
    }


def own_call(tender_id: int) -> dict:
    """The call, if it is this department's district's (another district's call is a page that does not exist)."""
    record = api().get("contracting", f"/tenders/{tender_id}")
    if record.get("district_code") != person().district_code:
        abort(404)
    return record


def _optional(path: str, **query):
    try:
        return api().get("contracting", path, **query)
    except ApiRefusal:
        return None


def _refused_step(refusal: ApiRefusal) -> str:
    """A refused step in the person's words, with what may be done now when the API says."""
    words = person_message(refusal.message, refusal.body)
    allowed = refusal.body.get("allowed_transitions")
    if isinstance(allowed, list) and allowed:
        named = ", ".join(str(ACTION_LABELS.get(action, action)) for action in allowed)
        words += " " + gettext("What can be done now: %(actions)s.", actions=named)
    return words


# ---- home ----------------------------------------------------------------------------------------------------


def _facts(call: dict) -> CallFacts:
    tender_id, status = int(call["id"]), call.get("status")
    unanswered = 0
    if status in BIDDING:
        questions = _optional(f"/tenders/{tender_id}/questions") or []
        unanswered = sum(1 for question in questions if not question.get("answer"))
    committee = _optional(f"/tenders/{tender_id}/committee") if status in COMMITTEE_STAGES else None
    bids = _optional(f"/tenders/{tender_id}/bids") if status in (*BIDDING, "active.evaluation") else None
    complaints = 0
    if status in ("active.standstill", "active.contract_pending"):
        listed = _optional(f"/tenders/{tender_id}/complaints") or []
        complaints = sum(1 for complaint in listed if complaint.get("status") == "pending")
    return CallFacts(unanswered, committee, (bids or {}).get("count") if bids else None, complaints)


@blp.get("/")
@signed_in_as("authority")
def home():
    district = person().district_code
    calls, _total = api().get_page("contracting", "/tenders", district_code=district, page_size=MOST_CALLS)
    calls = [call for call in calls if call.get("district_code") == district]
    facts = {int(call["id"]): _facts(call) for call in calls}
    contracts = _optional("/contracts", district_code=district) or []
    renewals = _optional("/renewals/due") or []
    coverage = _optional("/coverage", district_code=district) or []
    board = department_home.build_board(calls, facts, contracts, renewals, coverage, now())
    return render_template("department/home.html", board=board, stage_headings=STAGE_HEADINGS, risk_labels=RISK_LABELS)


# ---- a new call ------------------------------------------------------------------------------------------------


def _service_choices() -> list:
    from wtforms.fields.choices import SelectChoice

    language = choose_language()
    rows = sorted(service_types(), key=lambda row: label(row, language).casefold())
    return [
        SelectChoice("", gettext("Choose the service")),
        *(SelectChoice(row["code"], label(row, language)) for row in rows),
    ]


def _prefill(form: CallForm, values: dict) -> None:
    for name in ("service_type", "title", "title_ru", "title_en", "description", "committee_size"):
        getattr(form, name).data = values.get(name)
    form.enquiry_end.data = values.get("enquiry_end")
    form.submission_deadline.data = values.get("submission_deadline")
    _fill_rows(form.lots, values.get("lots") or [])
    _fill_rows(form.criteria, values.get("criteria") or [])


def _fill_rows(rows, values: list[dict]) -> None:
    while len(rows.entries):
        rows.pop_entry()
    for value in values or [{}]:
        rows.append_entry(value)


def _local(moment_value) -> datetime | None:
    return None if moment_value is None else call_draft.to_utc(moment_value, TIMEZONE)


def _check_form(form: CallForm, rules: call_draft.PeriodRules) -> list[str]:
    """The rules the API will apply, checked here first: messages land on their fields; the rest is returned."""
    messages = rule_messages(rules)
    periods = call_draft.period_problems(
        rules, now(), _local(form.enquiry_end.data), _local(form.submission_deadline.data), TIMEZONE
    )
    for name, code in periods.items():
        getattr(form, name).errors = [*getattr(form, name).errors, messages[code]]
    for entry in form.lots:
        if call_draft.lot_problem(entry.data) is not None:
            entry.form.max_awards.errors = [
                *entry.form.max_awards.errors,
                str(PERIOD_PROBLEMS[call_draft.MORE_WINNERS_THAN_PLACES]),
            ]
    general = []
    criteria = [entry.data for entry in form.criteria]
    total = call_draft.weight_total([criterion.get("weight") for criterion in criteria])
    for code in call_draft.criteria_problems(criteria):
        general.append(
            gettext(str(CRITERIA_PROBLEMS[code]), total=total)
            if code == call_draft.WEIGHTS_NOT_100
            else str(CRITERIA_PROBLEMS[code])
        )
    return general


def has_errors(form) -> bool:
    return any(_field_errors(field) for field in form)


def _field_errors(field) -> list:
    if hasattr(field, "entries"):
        return [error for entry in field.entries for error in _field_errors(entry)]
    if hasattr(field, "form") and hasattr(field.form, "_fields"):
        return [error for sub in field.form for error in _field_errors(sub)]
    return [message for message in field.errors if isinstance(message, str)]


def summary_of(form, problems: list[str]) -> list[tuple[str | None, str]]:
    """(field id or None, message) for the error summary, nested rows included, in the form's order."""
    found: list[tuple[str | None, str]] = [(None, problem) for problem in problems]

    def walk(field, prefix: str = "") -> None:
        if hasattr(field, "entries"):
            for number, entry in enumerate(field.entries, 1):
                row = ROW_NAMES.get(field.name)
                walk(entry, (gettext(str(row), number=number) if row else f"{field.label.text} {number}") + " — ")
            return
        if hasattr(field, "form") and hasattr(field.form, "_fields"):
            for sub in field.form:
                walk(sub, prefix)
            return
        for message in field.errors:
            if isinstance(message, str):
                found.append((field.id, f"{prefix}{field.label.text}: {message}"))

    for field in form:
        if field.type not in ("CSRFTokenField", "HiddenField"):
            walk(field)
    return found


def _draft_from(form: CallForm) -> call_draft.Draft:
    return call_draft.Draft(
        district_code=person().district_code,
        service_type=form.service_type.data,
        title=form.title.data,
        title_ru=form.title_ru.data,
        title_en=form.title_en.data,
        description=form.description.data or "",
        enquiry_end=_local(form.enquiry_end.data),
        submission_deadline=_local(form.submission_deadline.data),
        committee_size=form.committee_size.data,
        lots=[entry.data for entry in form.lots],
        criteria=[entry.data for entry in form.criteria],
    )


def _place_call_refusal(form: CallForm, refusal: ApiRefusal) -> list[str]:
    """Nested lot and criterion messages on their rows (the API names them lots.0.budget …), the rest as usual."""
    general = []
    errors = refusal.body.get("errors") or {}
    for group in ("lots", "criteria"):
        nested = errors.get(group)
        if isinstance(nested, dict):
            rows = getattr(form, group).entries
            for index, fields in nested.items():
                if not (str(index).isdigit() and int(index) < len(rows) and isinstance(fields, dict)):
                    continue
                for name, messages in fields.items():
                    target = getattr(rows[int(index)].form, name, None)
                    texts = [
                        person_message(text)
                        for text in (messages if isinstance(messages, list) else [messages])
                        if isinstance(text, str)
                    ]
                    if target is not None:
                        target.errors = [*target.errors, *texts]
                    else:
                        general.extend(texts)
            errors = {name: value for name, value in errors.items() if name != group}
    rest = ApiRefusal(refusal.status, {**refusal.body, "errors": errors}) if errors else None
    if rest is not None:
        general.extend(place_refusal(form, rest, CALL_FIELDS))
    elif not general:
        general.append(person_message(refusal.message, refusal.body))
    # A list-level message (a whole group refused) is kept on no field: show it above the form
    for name in ("lots", "criteria"):
        listed = getattr(form, name).errors
        if isinstance(listed, list) and listed and all(isinstance(text, str) for text in listed):
            general.extend(listed)
            getattr(form, name).errors = []
    return general


def _replace_draft(old_id: str, new_id: int) -> None:
    """Cancel the draft this one replaces (its own department's, still a draft)."""
    if not old_id.isdigit():
        return
    try:
        old = own_call(int(old_id))
        if old.get("status") == "draft":
            reason = gettext("Replaced by draft %(number)d.", number=new_id)
            api().post("contracting", f"/tenders/{old_id}/cancel", {"reason": reason})
    except ApiRefusal:
        flash(gettext("The earlier draft could not be withdrawn; cancel it from its page."), "error")


@blp.route("/calls/new", methods=["GET", "POST"])
@signed_in_as("authority")
def new_call():
    rules = procedure_rules()
    form = CallForm()
    form.service_type.choices = _service_choices()
    problems: list[str] = []
    status = 200
    if request.method == "GET":
        source = request.args.get("from", "")
        if source.isdigit():
            _prefill(form, call_draft.copied_from(own_call(int(source)), TIMEZONE))
            form.replaces.data = source
        else:
            enquiry_end, deadline = call_draft.suggested_periods(rules, now(), TIMEZONE)
            form.enquiry_end.data, form.submission_deadline.data = enquiry_end, deadline
            _fill_rows(form.criteria, [dict(c) for c in call_draft.DEFAULT_CRITERIA])
    elif "add_lot" in request.form or "add_criterion" in request.form:
        # Another row, nothing sent: the form comes back as it was typed
        rows = form.lots if "add_lot" in request.form else form.criteria
        if len(rows.entries) < rows.max_entries:
            rows.append_entry()
    elif "remove_lot" in request.form or "remove_criterion" in request.form:
        rows = form.lots if "remove_lot" in request.form else form.criteria
        if len(rows.entries) > 1:
            rows.pop_entry()
    else:
        valid = form.validate_on_submit()
        problems = _check_form(form, rules)
        if valid and not problems and not has_errors(form):
            try:
                draft = api().post("contracting", "/tenders", _draft_from(form).payload())
            except ApiRefusal as refusal:
                if refusal.status not in (403, 409, 422):
                    raise
                status = refusal.status
                problems = _place_call_refusal(form, refusal)
            else:
                tender_id = int(draft["id"])
                flash(gettext("The draft was saved. Nothing is public until you publish it."), "success")
                files = chosen_files(form.documents.data)
                if files:
                    tell_uploads(*attach_files(tender_id, "tender", tender_id, files, form.document_type.data))
                if form.replaces.data:
                    _replace_draft(form.replaces.data, tender_id)
                return redirect(url_for("department.call", tender_id=tender_id))
        else:
            status = 422
    total = call_draft.weight_total([entry.form.weight.data for entry in form.criteria])
    return render_template(
        "department/new_call.html",
        form=form,
        summary=summary_of(form, problems) if status != 200 else [],
        weight_total=total,
        rules=rules,
        messages=rule_messages(rules),
        utc_offset_minutes=_utc_offset_minutes(),
    ), status


def _utc_offset_minutes() -> int:
    from zoneinfo import ZoneInfo

    offset = datetime.now(ZoneInfo(TIMEZONE)).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


# ---- one call --------------------------------------------------------------------------------------------------


def _evaluators(district: str) -> list[dict]:
    try:
        users, _total = api().get_page(
            "registry", "/users", role="evaluator", district_code=district, page_size=MOST_EVALUATORS
        )
    except ApiRefusal:
        return []
    return [user for user in users if user.get("active", True) and user.get("district_code") in (None, district)]


def _committee_form(evaluators: list[dict], committee: dict | None, formdata=None) -> CommitteeForm:
    from wtforms.fields.choices import SelectChoice

    seated = {str(member.get("evaluator")) for member in (committee or {}).get("members") or []}
    form = CommitteeForm(formdata=formdata) if formdata is not None else CommitteeForm(formdata=None)
    form.evaluators.choices = [
        SelectChoice(int(user["id"]), user.get("full_name") or user["email"])
        for user in evaluators
        if str(user["id"]) not in seated
    ]
    return form


def _names_of(evaluators: list[dict]) -> dict[str, str]:
    return {str(user["id"]): user.get("full_name") or user["email"] for user in evaluators}


def _page(call: dict, **extra):
    """The call's page, with what it needs at its stage."""
    tender_id, status = int(call["id"]), call.get("status")
    evaluators = _evaluators(call["district_code"]) if status in COMMITTEE_STAGES else []
    committee = _optional(f"/tenders/{tender_id}/committee")
    questions = _optional(f"/tenders/{tender_id}/questions") or []
    documents = _optional(f"/tenders/{tender_id}/documents") or []
    bids = _optional(f"/tenders/{tender_id}/bids") if status != "draft" else None
    context = {
        "call": call,
        "documents": [d for d in documents if d.get("kind") in ("tender", "amendment", "clarification")],
        "questions": questions,
        "unanswered": [q for q in questions if not q.get("answer")],
        "answer_forms": {q["id"]: AnswerForm(prefix=f"q{q['id']}", formdata=None) for q in questions},
        "committee": committee,
        "committee_waiting": department_home.committee_waiting(committee),
        "committee_form": _committee_form(evaluators, committee),
        "evaluator_names": _names_of(evaluators),
        "bids_count": (bids or {}).get("count") if bids else None,
        "amendments": _optional(f"/tenders/{tender_id}/amendments") or [] if status != "draft" else [],
        "documents_form": DocumentsForm(formdata=None),
        "confirm": ConfirmForm(),
        "may_amend": status in BIDDING,
        "may_cancel": status in CANCELLABLE,
        "may_name_committee": status in COMMITTEE_STAGES,
        "may_attach": status in ("draft", *BIDDING),
        "waiting": department_home.call_waiting(
            call,
            CallFacts(
                unanswered_questions=sum(1 for q in questions if not q.get("answer")) if status in BIDDING else 0,
                committee=committee,
            ),
        ),
        "next_deadline": department_home.next_deadline(call),
        "declaration_labels": DECLARATION_LABELS,
        "later": {
            "evaluation": optional_url("department.evaluation", tender_id=tender_id),
            "complaints": optional_url("department.complaints", tender_id=tender_id),
            "history": optional_url("department.history", tender_id=tender_id),
        },
    }
    context.update(extra)
    return render_template("department/call.html", **context)


@blp.get("/calls/<int:tender_id>")
@signed_in_as("authority")
def call(tender_id: int):
    return _page(own_call(tender_id))


@blp.get("/calls/<int:tender_id>/preview")
@signed_in_as("authority")
def preview(tender_id: int):
    record = own_call(tender_id)
    documents = _optional(f"/tenders/{tender_id}/documents") or []
    own_documents = [d for d in documents if d.get("kind") in ("tender", "amendment", "clarification")]
    compiled = {
        "buyer": {"name": _buyer(record["district_code"])},
        "tender": {
            "documents": [
                {
                    "id": f"doc-{d['id']}",
                    "title": d.get("title"),
                    "documentType": d.get("document_type"),
                    "format": d.get("format"),
                }
                for d in own_documents
            ],
            "enquiries": [
                {
                    "description": q.get("question"),
                    "date": q.get("asked_at"),
                    "answer": q.get("answer"),
                    "dateAnswered": q.get("answered_at"),
                }
                for q in (_optional(f"/tenders/{tender_id}/questions") or [])
            ],
        },
    }
    view = call_view(
        {"tender_id": tender_id, "compiled_release": compiled},
        choose_language(),
        tender=record,
        documents=own_documents,
    )
    # The reference cost as the registry holds it now for this service, district and year: the department checks
    # each lot's budget against places x that cost before it publishes (a check, never a refusal).
    reference = current_reference(record.get("service_type"), record.get("district_code"),
                                  record.get("submission_deadline"))  # fmt: skip
    return render_template(
        "department/preview.html",
        call=view,
        tender=record,
        actions=[],
        confirm=ConfirmForm(),
        **reference_context(reference, view.lots),
        **template_helpers(),
    )


def _buyer(district: str) -> str | None:
    try:
        authority = api().get("registry", f"/authorities/{district}")
    except ApiRefusal:
        return None
    return authority.get("name") or authority.get("name_ro") or authority.get("legal_name")


@blp.post("/calls/<int:tender_id>/publish")
@signed_in_as("authority")
def publish(tender_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    own_call(tender_id)
    try:
        api().post("contracting", f"/tenders/{tender_id}/publish", {})
    except ApiRefusal as refusal:
        if refusal.status not in (409, 422):
            raise
        fields = refusal.field_errors
        if any(name in fields for name in ("enquiry_end", "submission_deadline")):
            flash(
                gettext(
                    "The dates of this draft no longer meet the rules: %(reason)s Start a new draft from it with "
                    "new dates.",
                    reason=" ".join(
                        person_message(t) for t in fields.get("enquiry_end", []) + fields.get("submission_deadline", [])
                    ),
                ),
                "error",
            )
        else:
            flash(_refused_step(refusal), "error")
        return redirect(url_for("department.call", tender_id=tender_id))
    flash(gettext("The call is published: providers can read it, ask questions and bid."), "success")
    return redirect(url_for("department.call", tender_id=tender_id))


@blp.post("/calls/<int:tender_id>/documents")
@signed_in_as("authority")
def add_documents(tender_id: int):
    own_call(tender_id)
    form = DocumentsForm()
    if not form.validate_on_submit():
        abort(400)
    files = chosen_files(form.documents.data)
    if not files:
        flash(gettext("Choose at least one file to attach."), "error")
    else:
        tell_uploads(*attach_files(tender_id, "tender", tender_id, files, form.document_type.data))
    return redirect(url_for("department.call", tender_id=tender_id) + "#call-documents")


@blp.post("/calls/<int:tender_id>/questions/<int:question_id>/answer")
@signed_in_as("authority")
def answer(tender_id: int, question_id: int):
    record = own_call(tender_id)
    form = AnswerForm(prefix=f"q{question_id}")
    if form.validate_on_submit():
        try:
            api().post(
                "contracting",
                f"/tenders/{tender_id}/questions/{question_id}/answer",
                {"answer": form.answer.data.strip()},
            )
        except ApiRefusal as refusal:
            if refusal.status not in (409, 422):
                raise
            if refusal.status == 422:
                place_refusal(form, refusal)
            else:
                flash(_refused_step(refusal), "error")
                return redirect(url_for("department.call", tender_id=tender_id) + "#questions")
        else:
            flash(gettext("Your answer is published on the call's page."), "success")
            return redirect(url_for("department.call", tender_id=tender_id) + "#questions")
    # The page again with this answer's problems beside it (other questions' forms stay empty)
    questions = _optional(f"/tenders/{tender_id}/questions") or []
    answer_forms = {q["id"]: AnswerForm(prefix=f"q{q['id']}", formdata=None) for q in questions}
    answer_forms[question_id] = form
    return _page(record, answer_forms=answer_forms), 422


@blp.post("/calls/<int:tender_id>/committee")
@signed_in_as("authority")
def name_committee(tender_id: int):
    record = own_call(tender_id)
    evaluators = _evaluators(record["district_code"])
    committee = _optional(f"/tenders/{tender_id}/committee")
    form = _committee_form(evaluators, committee, formdata=request.form)
    if form.validate_on_submit():
        try:
            api().post("contracting", f"/tenders/{tender_id}/committee", {"evaluators": form.evaluators.data})
        except ApiRefusal as refusal:
            if refusal.status not in (409, 422):
                raise
            flash(_refused_step(refusal), "error")
        else:
            flash(
                ngettext(
                    "%(num)d evaluator was named to the committee.",
                    "%(num)d evaluators were named to the committee.",
                    len(form.evaluators.data),
                ),
                "success",
            )
        return redirect(url_for("department.call", tender_id=tender_id) + "#committee")
    return _page(record, committee_form=form), 422


@blp.route("/calls/<int:tender_id>/amend", methods=["GET", "POST"])
@signed_in_as("authority")
def amend(tender_id: int):
    record = own_call(tender_id)
    rules = procedure_rules()
    current = call_draft.parse_moment(record.get("submission_deadline"))
    earliest = call_draft.earliest_amended_deadline(rules, current) if current else None
    form = AmendForm()
    problems: list[str] = []
    status = 200
    may = record.get("status") in BIDDING
    if may and form.validate_on_submit():
        requested = _local(form.submission_deadline.data)
        problem = call_draft.amendment_problem(rules, current, requested, TIMEZONE) if current else None
        if problem:
            form.submission_deadline.errors = [*form.submission_deadline.errors, rule_messages(rules)[problem]]
            status = 422
        else:
            body = {"rationale": form.rationale.data.strip()}
            if requested is not None:
                body["submission_deadline"] = requested.isoformat()
            for name in ("title", "description"):
                if (getattr(form, name).data or "").strip():
                    body[name] = getattr(form, name).data.strip()
            try:
                amendment = api().post("contracting", f"/tenders/{tender_id}/amendments", body)
            except ApiRefusal as refusal:
                if refusal.status == 409:
                    may, status = False, 409
                    problems = [_refused_step(refusal)]
                elif refusal.status == 422:
                    status = 422
                    problems = place_refusal(form, refusal)
                else:
                    raise
            else:
                flash(
                    gettext(
                        "The call was amended. Bids now close on %(moment)s; every organisation that already "
                        "bid must confirm its bid again.",
                        moment=moment(amendment.get("submission_deadline")),
                    ),
                    "success",
                )
                files = chosen_files(form.documents.data)
                if files:
                    attached = attach_files(
                        tender_id, "amendment", int(amendment["id"]), files, form.document_type.data
                    )
                    tell_uploads(*attached)
                return redirect(url_for("department.call", tender_id=tender_id))
    elif form.is_submitted():
        status = 422 if may else 409
    return render_template(
        "department/amend.html",
        call=record,
        form=form,
        summary=summary_of(form, problems) if status != 200 else [],
        may_amend=may,
        earliest=earliest.isoformat() if earliest else None,
        rules=rules,
        messages=rule_messages(rules),
        utc_offset_minutes=_utc_offset_minutes(),
    ), status


@blp.route("/calls/<int:tender_id>/cancel", methods=["GET", "POST"])
@signed_in_as("authority")
def cancel(tender_id: int):
    record = own_call(tender_id)
    form = CancelForm()
    problems: list[str] = []
    status = 200
    may = record.get("status") in CANCELLABLE
    if may and form.validate_on_submit():
        try:
            api().post("contracting", f"/tenders/{tender_id}/cancel", {"reason": form.reason.data.strip()})
        except ApiRefusal as refusal:
            if refusal.status == 409:
                may, status = False, 409
                problems = [_refused_step(refusal)]
                record = own_call(tender_id)
            elif refusal.status == 422:
                status, problems = 422, place_refusal(form, refusal)
            else:
                raise
        else:
            flash(gettext("The call was cancelled. The reason is public on its page."), "success")
            return redirect(url_for("department.call", tender_id=tender_id))
    elif form.is_submitted():
        status = 422 if may else 409
    return render_template(
        "department/cancel.html",
        call=record,
        form=form,
        summary=summary_of(form, problems) if status != 200 else [],
        may_cancel=may,
    ), status


@blp.context_processor
def _words():
    return {
        "optional_url": optional_url,
        "risk_label": lambda level: str(RISK_LABELS.get(level, level)),
        "label_for_document": lambda code: label_for("document", code),
        "file_size": file_size,
        "score": score,
    }
