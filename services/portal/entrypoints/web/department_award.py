"""A district department's pages from the evaluation to the contract and its renewal, and each call's history:
the committee's progress and the scores, the ranking and the award decision, complaints during the standstill,
making and signing the contracts, reviewing monitoring reports, confirming or declining a renewal, the audit log
as a timeline with its chain verified.

Contracting decides every rule; a refused transition (409) is shown with the current state and what may be done
next. A call or contract of another district answers as a page that does not exist.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain import call_history, department_award, department_award_contracts
from services.portal.entrypoints.web.department_award_forms import (
    EXTRA_KPIS,
    ConfirmRenewalForm,
    ContractsTermsForm,
    DeclineRenewalForm,
    ReturnReportForm,
    RulingForm,
)
from services.portal.entrypoints.web.department_blueprint import blp
from services.portal.entrypoints.web.filters import moment
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.labels import status_label
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.public_labels import day, score
from services.portal.entrypoints.web.report_standards import answered as standard_answers
from services.portal.entrypoints.web.requests import api, person, signed_in_as

CONTRACT_STATUS = {
    "pending": _("Waiting for signatures"),
    "active": _("In force"),
    "cancelled": _("Cancelled"),
    "terminated": _("Terminated early"),
    "expired": _("Ended"),
}
REPORT_STATUS = {"submitted": _("Under review"), "accepted": _("Accepted"), "returned": _("Returned for correction")}
COMPLAINT_STATUS = {"pending": _("Under consideration"), "upheld": _("Upheld"), "rejected": _("Rejected")}
DECLARATION = {
    "undeclared": _("Not declared yet"),
    "clear": _("No conflict of interest"),
    "conflict": _("Conflict of interest: stands aside"),
}
RESULT = {
    "ranked": _("Ranked"),
    "disqualified": _("Below a minimum score"),
    "ineligible": _("Not eligible"),
    "awarded": _("Awarded"),
    "not_awarded": _("Ranked, not awarded"),
}
AWARD_STATUS = {"pending": _("Awarded, standstill running"), "active": _("Awarded"), "cancelled": _("Cancelled")}
# What may be asked of a call or a contract next (the state machines' action names)
NEXT_ACTION = {
    "publish": _("publish"),
    "end_enquiries": _("close the questions period"),
    "close_submissions": _("open the bids"),
    "rank": _("decide the award"),
    "declare_unsuccessful": _("declare the call unsuccessful"),
    "reopen_evaluation": _("reopen the evaluation"),
    "end_standstill": _("end the standstill"),
    "complete": _("complete the call"),
    "cancel": _("cancel"),
    "sign": _("sign"),
    "edit": _("change the terms before signature"),
    "terminate": _("terminate early"),
    "expire": _("end at its term"),
    "amend": _("amend or renew"),
    "report": _("take monitoring reports"),
    "retender": _("publish a successor call"),
}
ROLE = {
    "authority": _("Department"),
    "evaluator": _("Evaluator"),
    "cso": _("Provider"),
    "operator": _("Platform operator"),
    "service": _("The platform (scheduled step)"),
    "sealed": _("A bidder (sealed)"),
    "anonymous": _("A participant (anonymous)"),
    "unknown": _("Unknown"),
}
ACTION = {
    "create": _("Call drafted"),
    "amend": _("Call amended"),
    "publish": _("Call published"),
    "invite": _("Providers invited"),
    "move_deadline": _("Deadline moved"),
    "cancel": _("Call cancelled"),
    "end_enquiries": _("Questions period closed"),
    "close_submissions": _("Bids opened"),
    "end_standstill": _("Standstill ended"),
    "complete": _("Call completed"),
    "add_document": _("Document added"),
    "ask": _("Question asked"),
    "answer": _("Question answered"),
    "sealed_bid": _("Bid submitted, changed or withdrawn (sealed)"),
    "assign_evaluators": _("Committee named"),
    "declare": _("Conflict-of-interest declaration"),
    "score": _("Scores given"),
    "scores_complete": _("Every member has scored"),
    "complete_evaluation": _("Evaluation completed"),
    "decide_awards": _("Award decided"),
    "declare_unsuccessful": _("Call declared unsuccessful"),
    "reopen_evaluation": _("Evaluation reopened"),
    "cancel_award": _("Award cancelled"),
    "lodge_complaint": _("Complaint lodged"),
    "upheld_complaint": _("Complaint upheld"),
    "rejected_complaint": _("Complaint rejected"),
    "create_contract": _("Contract made"),
    "edit_contract": _("Contract terms changed before signature"),
    "sign_contract_authority": _("Contract signed by the department"),
    "sign_contract_provider": _("Contract signed by the provider"),
    "activate_contract": _("Contract in force"),
    "cancel_contract": _("Contract cancelled"),
    "terminate_contract": _("Contract terminated early"),
    "expire_contract": _("Contract ended at its term"),
    "contract_expiring": _("Contract entered its notice period"),
    "submit_report": _("Monitoring report filed"),
    "accept_report": _("Monitoring report accepted"),
    "return_report": _("Monitoring report returned"),
    "milestone_payable": _("Payment due"),
    "amend_contract": _("Contract amended"),
    "renew_contract": _("Contract renewed"),
    "propose_renewal": _("Renewal proposed"),
    "decline_renewal": _("Renewal declined"),
    "retender_contract": _("Successor call published"),
    "continuity_at_risk": _("Continuity at risk"),
    "continuity_restored": _("Continuity restored"),
}


def _word(table: dict, code: str | None) -> str:
    return str(table.get(code or "", code or "—"))


@blp.context_processor
def _award_words():
    return {
        "award_contract_status": lambda s: _word(CONTRACT_STATUS, s),
        "award_report_status": lambda s: _word(REPORT_STATUS, s),
        "award_complaint_status": lambda s: _word(COMPLAINT_STATUS, s),
        "award_declaration": lambda s: _word(DECLARATION, s),
        "award_result": lambda s: _word(RESULT, s),
        "award_status": lambda s: _word(AWARD_STATUS, s),
        "history_role": lambda s: _word(ROLE, s),
        "history_action": lambda s: _word(ACTION, s),
        "award_score": lambda value: score(department_award.decimal(value)),
        "standard_answers": standard_answers,
        "day": day,
    }


# --- What every page needs ---------------------------------------------------------------------------------------


def _own_tender(tender_id: int) -> dict:
    """The call, if it is this department's district (another district's answers as not found)."""
    tender = api().get("contracting", f"/tenders/{tender_id}")
    if tender.get("district_code") != person().district_code:
        abort(404)
    return tender


def _own_contract(contract_id: int) -> dict:
    contract = api().get("contracting", f"/contracts/{contract_id}")
    if contract.get("district_code") != person().district_code:
        abort(404)
    return contract


def _bidder_names(tender_id: int) -> dict[int, str]:
    committee = api().get("contracting", f"/tenders/{tender_id}/committee")
    return {int(b["provider_id"]): b.get("legal_name") or "" for b in committee.get("bidders") or []}


def _user_names(ids: set[int]) -> dict[int, str]:
    """Names of the district's people the registry lets the department read (evaluators); others stay numbers."""
    names = {}
    for user_id in sorted(ids):
        try:
            user = api().get("registry", f"/users/{user_id}")
        except ApiRefusal:
            continue
        names[user_id] = user.get("full_name") or user.get("email") or str(user_id)
    return names


def refused_words(refusal: ApiRefusal, statuses=None) -> str:
    """A refused transition: the current state and what may be done now; other refusals as the API words them."""
    body = refusal.body
    if "current_status" not in body:
        return person_message(refusal.message)
    current = body["current_status"]
    state = _word(statuses, current) if statuses and current in statuses else status_label(current)
    allowed = [str(NEXT_ACTION.get(a, a)) for a in body.get("allowed_transitions") or []]
    if allowed:
        return gettext(
            "This cannot be done now: it is “%(state)s”. What can be done now: %(allowed)s.",
            state=state,
            allowed=", ".join(allowed),
        )
    return gettext("This cannot be done now: it is “%(state)s”. Nothing more can be done at this stage.", state=state)


def _refused(refusal: ApiRefusal, statuses=None) -> None:
    if refusal.status in (401, 403, 404):
        raise refusal
    flash(refused_words(refusal, statuses), "error")


# --- Evaluation and award ------------------------------------------------------------------------------------------


@blp.get("/calls/<int:tender_id>/evaluation")
@signed_in_as("authority")
def evaluation(tender_id: int):
    tender = _own_tender(tender_id)
    path = f"/tenders/{tender_id}"
    committee = api().get("contracting", f"{path}/committee")
    names = {int(b["provider_id"]): b.get("legal_name") or "" for b in committee.get("bidders") or []}
    try:
        scores = api().get("contracting", f"{path}/evaluation/scores")
    except ApiRefusal as refusal:
        if refusal.status in (403, 404):
            raise
        scores = None
    members = {int(m["evaluator"]) for m in committee.get("members") or []}
    progress = department_award.committee_progress(committee, scores, _user_names(members))
    decided = tender.get("status") in department_award.DECIDED or bool(tender.get("decided_at"))
    bids: list[dict] = []
    if tender.get("status") not in ("draft", "active.enquiries", "active.tendering"):
        bids = api().get("contracting", f"{path}/bids").get("bids") or []
    all_scores = (scores or {}).get("scores") or []
    sheet = department_award.score_sheet(tender.get("criteria") or [], bids, all_scores, names)
    preview = []
    if progress.scores_complete and not decided:
        preview = department_award.rank_preview(
            tender.get("criteria") or [], tender.get("lots") or [], bids, all_scores, names
        )
    lots_decided = []
    if decided:
        ranking = api().get("contracting", f"{path}/ranking")
        awards = api().get("contracting", f"{path}/awards")
        lots_decided = department_award.decided_lots(tender.get("lots") or [], ranking, awards)
    return render_template(
        "department/evaluation.html",
        tender=tender,
        progress=progress,
        sheet=sheet,
        preview=preview,
        lots_decided=lots_decided,
        decided=decided,
        may_decide=department_award.may_decide(tender, progress),
        may_make_contracts=department_award.may_make_contracts(tender),
        quality_criteria=department_award.quality_criteria(tender.get("criteria") or []),
        confirm=ConfirmForm(),
    )


@blp.post("/calls/<int:tender_id>/evaluation/complete")
@signed_in_as("authority")
def decide_award(tender_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _own_tender(tender_id)
    try:
        decided = api().post("contracting", f"/tenders/{tender_id}/evaluation/complete", {})
    except ApiRefusal as refusal:
        _refused(refusal)
    else:
        if decided.get("status") == "unsuccessful":
            flash(gettext("The call ended without a winner: no bid could be awarded."), "success")
        else:
            flash(
                gettext(
                    "The award is decided and published. The standstill runs until %(end)s.",
                    end=moment(decided.get("standstill_end")),
                ),
                "success",
            )
    return redirect(url_for("department.evaluation", tender_id=tender_id))


# --- Complaints ----------------------------------------------------------------------------------------------------


def _ruling_form(complaint_id: int, formdata=None) -> RulingForm:
    return RulingForm(prefix=f"complaint-{complaint_id}", formdata=formdata)


def _complaints_page(tender: dict, failed: dict[int, RulingForm] | None = None, status: int = 200):
    tender_id = tender["id"]
    complaints = department_award_contracts.pending_complaints_first(
        api().get("contracting", f"/tenders/{tender_id}/complaints")
    )
    names = _bidder_names(tender_id)
    awards = {a["id"]: a for a in api().get("contracting", f"/tenders/{tender_id}/awards")}
    forms = {c["id"]: (failed or {}).get(c["id"]) or _ruling_form(c["id"]) for c in complaints}
    return render_template(
        "department/complaints.html",
        tender=tender,
        complaints=complaints,
        names=names,
        awards=awards,
        forms=forms,
    ), status


@blp.get("/calls/<int:tender_id>/complaints")
@signed_in_as("authority")
def complaints(tender_id: int):
    return _complaints_page(_own_tender(tender_id))


@blp.post("/calls/<int:tender_id>/complaints/<int:complaint_id>/resolution")
@signed_in_as("authority")
def rule_on_complaint(tender_id: int, complaint_id: int):
    tender = _own_tender(tender_id)
    form = _ruling_form(complaint_id, request.form)
    if not form.validate_on_submit():
        return _complaints_page(tender, {complaint_id: form}, 422)
    body = {"decision": form.decision.data, "reasons": form.reasons.data.strip()}
    try:
        api().post("contracting", f"/tenders/{tender_id}/complaints/{complaint_id}/resolution", body)
    except ApiRefusal as refusal:
        if refusal.status == 422:
            for problem in place_refusal(form, refusal):
                form.reasons.errors = [*list(form.reasons.errors or []), problem]
            return _complaints_page(tender, {complaint_id: form}, 422)
        _refused(refusal)
        return redirect(url_for("department.complaints", tender_id=tender_id))
    if body["decision"] == "upheld":
        flash(gettext("The complaint is upheld: the award fell and the evaluation is open again."), "success")
    else:
        flash(gettext("The complaint is rejected: the award stands. The complainant is told your reasons."), "success")
    return redirect(url_for("department.complaints", tender_id=tender_id) + f"#complaint-{complaint_id}")


# --- Making the contracts ------------------------------------------------------------------------------------------


def _terms_payload(form) -> dict:
    kpis = [
        {
            "code": "beneficiaries_served",
            "name": gettext("Beneficiaries served"),
            "target": str(form.beneficiaries_target.data),
            "unit": gettext("people"),
        }
    ]
    taken = {"beneficiaries_served"}
    for number in range(1, EXTRA_KPIS + 1):
        name = (getattr(form, f"kpi_{number}_name").data or "").strip()
        target = getattr(form, f"kpi_{number}_target").data
        if not name or target is None:
            continue
        code = department_award_contracts.kpi_code(name, taken)
        taken.add(code)
        unit = (getattr(form, f"kpi_{number}_unit").data or "").strip()
        kpis.append({"code": code, "name": name, "target": str(target), "unit": unit})
    return {"milestone_frequency": form.milestone_frequency.data, "kpis": kpis}


def _half_filled(form) -> bool:
    """An extra indicator with a name and no target (or the reverse) is a mistake shown beside the field."""
    wrong = False
    for number in range(1, EXTRA_KPIS + 1):
        name, target = getattr(form, f"kpi_{number}_name"), getattr(form, f"kpi_{number}_target")
        if (name.data or "").strip() and target.data is None:
            target.errors = [*list(target.errors or []), gettext("Give the indicator's target.")]
            wrong = True
        if target.data is not None and not (name.data or "").strip():
            name.errors = [*list(name.errors or []), gettext("Give the indicator's name.")]
            wrong = True
    return wrong


@blp.route("/calls/<int:tender_id>/contracts/new", methods=["GET", "POST"])
@signed_in_as("authority")
def new_contracts(tender_id: int):
    tender = _own_tender(tender_id)
    form = ContractsTermsForm()
    if request.method == "GET" and form.beneficiaries_target.data is None:
        form.beneficiaries_target.data = sum(int(lot.get("places") or 0) for lot in tender.get("lots") or []) or None
    problems: list[str] = []
    status = 200
    if form.validate_on_submit() and not _half_filled(form):
        try:
            made = api().post("contracting", f"/tenders/{tender_id}/contracts", _terms_payload(form))
        except ApiRefusal as refusal:
            if refusal.status == 422:
                problems, status = place_refusal(form, refusal, {"milestone_frequency": "milestone_frequency"}), 422
            elif refusal.status == 409:
                problems, status = [refused_words(refusal)], 409
            else:
                raise
        else:
            flash(
                gettext("The contracts are made. Sign each one; it comes into force when the provider signs too."),
                "success",
            )
            if len(made) == 1:
                return redirect(url_for("department.contract", contract_id=made[0]["id"]))
            return redirect(url_for("department.contracts"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "department/contracts.html",
        making=True,
        tender=tender,
        form=form,
        problems=problems,
        extra=range(1, EXTRA_KPIS + 1),
        summaries=[],
    ), status


# --- Contracts, reports, renewals ---------------------------------------------------------------------------------


def _renewals_due() -> list[dict]:
    try:
        return api().get("contracting", "/renewals/due")
    except ApiRefusal:
        return []


@blp.get("/contracts")
@signed_in_as("authority")
def contracts():
    listed = api().get("contracting", "/contracts", district_code=person().district_code)
    return render_template(
        "department/contracts.html",
        making=False,
        summaries=department_award_contracts.summaries(listed, _renewals_due()),
    )


def _contract_page(contract: dict, forms: dict | None = None, status: int = 200):
    contract_id = contract["id"]
    reports = api().get("contracting", f"/contracts/{contract_id}/reports")
    entry = department_award_contracts.renewal_entry(_renewals_due(), contract_id)
    coverage = api().get(
        "contracting", "/coverage", district_code=contract["district_code"], service_type=contract["service_type"]
    )
    forms = forms or {}
    to_review = department_award_contracts.reports_to_review(reports)
    names = _bidder_names(int(contract["tender_id"]))
    return render_template(
        "department/contract.html",
        contract=contract,
        provider_name=names.get(int(contract["provider_id"])) or str(contract["provider_id"]),
        awaits_signature=department_award_contracts.awaits_our_signature(contract),
        provider_signed=department_award_contracts.signed_at(contract, "provider"),
        to_review=to_review,
        reviewed=department_award_contracts.reviewed_reports(reports),
        return_forms={r["id"]: forms.get(r["id"]) or ReturnReportForm(prefix=f"report-{r['id']}") for r in to_review},
        renewal=entry,
        proposal=department_award_contracts.open_proposal(entry),
        confirm_form=forms.get("confirm") or ConfirmRenewalForm(prefix="confirm"),
        decline_form=forms.get("decline") or DeclineRenewalForm(prefix="decline"),
        successor=department_award_contracts.successor(coverage, contract_id),
        confirm=ConfirmForm(),
    ), status


@blp.get("/contracts/<int:contract_id>")
@signed_in_as("authority")
def contract(contract_id: int):
    return _contract_page(_own_contract(contract_id))


@blp.post("/contracts/<int:contract_id>/sign")
@signed_in_as("authority")
def sign_contract(contract_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _own_contract(contract_id)
    try:
        signed = api().post("contracting", f"/contracts/{contract_id}/sign", {})
    except ApiRefusal as refusal:
        if "signed_by" in refusal.body:
            flash(gettext("The department has already signed this contract."), "error")
        else:
            _refused(refusal, CONTRACT_STATUS)
    else:
        if signed.get("status") == "active":
            flash(gettext("You signed the contract. Both sides have signed: it is now in force."), "success")
        else:
            flash(gettext("You signed the contract. It comes into force when the provider signs too."), "success")
    return redirect(url_for("department.contract", contract_id=contract_id))


@blp.post("/contracts/<int:contract_id>/reports/<int:report_id>/accept")
@signed_in_as("authority")
def accept_report(contract_id: int, report_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _own_contract(contract_id)
    try:
        api().post("contracting", f"/contracts/{contract_id}/reports/{report_id}/accept", {})
    except ApiRefusal as refusal:
        _refused(refusal, REPORT_STATUS)
    else:
        flash(gettext("You accepted the report: its period's payment is now due."), "success")
    return redirect(url_for("department.contract", contract_id=contract_id) + "#reports")


@blp.post("/contracts/<int:contract_id>/reports/<int:report_id>/return")
@signed_in_as("authority")
def return_report(contract_id: int, report_id: int):
    record = _own_contract(contract_id)
    form = ReturnReportForm(prefix=f"report-{report_id}")
    if not form.validate_on_submit():
        return _contract_page(record, {report_id: form}, 422)
    try:
        api().post(
            "contracting",
            f"/contracts/{contract_id}/reports/{report_id}/return",
            {"comments": form.comments.data.strip()},
        )
    except ApiRefusal as refusal:
        if refusal.status == 422:
            form.comments.errors = place_refusal(form, refusal, {"comments": "comments"}) or list(form.comments.errors)
            return _contract_page(record, {report_id: form}, 422)
        _refused(refusal, REPORT_STATUS)
    else:
        flash(gettext("You returned the report. The organisation files a corrected one."), "success")
    return redirect(url_for("department.contract", contract_id=contract_id) + "#reports")


@blp.post("/contracts/<int:contract_id>/renewal/confirm")
@signed_in_as("authority")
def confirm_renewal(contract_id: int):
    record = _own_contract(contract_id)
    form = ConfirmRenewalForm(prefix="confirm")
    if not form.validate_on_submit():
        return _contract_page(record, {"confirm": form}, 422)
    reason = (form.reason.data or "").strip()
    try:
        api().post("contracting", f"/contracts/{contract_id}/renewal/confirm", {"reason": reason} if reason else {})
    except ApiRefusal as refusal:
        if refusal.status == 422:
            place_refusal(form, refusal)
            return _contract_page(record, {"confirm": form}, 422)
        _refused(refusal, CONTRACT_STATUS)
    else:
        flash(gettext("You confirmed the renewal: the contract runs longer on the same terms."), "success")
    return redirect(url_for("department.contract", contract_id=contract_id) + "#renewal")


@blp.post("/contracts/<int:contract_id>/renewal/decline")
@signed_in_as("authority")
def decline_renewal(contract_id: int):
    record = _own_contract(contract_id)
    form = DeclineRenewalForm(prefix="decline")
    if not form.validate_on_submit():
        return _contract_page(record, {"decline": form}, 422)
    try:
        plan = api().post(
            "contracting", f"/contracts/{contract_id}/renewal/decline", {"reason": form.reason.data.strip()}
        )
    except ApiRefusal as refusal:
        if refusal.status == 422:
            place_refusal(form, refusal)
            return _contract_page(record, {"decline": form}, 422)
        _refused(refusal, CONTRACT_STATUS)
    else:
        successor = (plan or {}).get("tender") or {}
        if successor.get("id"):
            flash(gettext("You declined the renewal. This is the successor call, published now."), "success")
            return redirect(url_for("department.call", tender_id=successor["id"]))
        flash(gettext("You declined the renewal."), "success")
    return redirect(url_for("department.contract", contract_id=contract_id) + "#renewal")


# --- History -------------------------------------------------------------------------------------------------------


@blp.get("/calls/<int:tender_id>/history")
@signed_in_as("authority")
def history(tender_id: int):
    tender = _own_tender(tender_id)
    audit = api().get("contracting", f"/tenders/{tender_id}/audit")
    moments = call_history.timeline(audit)
    checked = None
    if request.args.get("verify"):
        checked = call_history.verification(api().get("contracting", f"/tenders/{tender_id}/audit/verify"))
    return render_template(
        "department/history.html",
        tender=tender,
        moments=moments,
        intact=bool(audit.get("intact")),
        sealed=call_history.sealed_count(moments),
        names=_user_names(call_history.user_ids(moments)),
        checked=checked,
    )
