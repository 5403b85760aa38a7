"""A CSO's contracts: the list, one contract with its periods and reports, its signature, and monitoring reports
with their evidence files."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain import contracts_view
from services.portal.entrypoints.web.cso_blueprint import CONTRACT_STATUS_LABELS, blp, now
from services.portal.entrypoints.web.cso_forms import EvidenceForm, kpi_field_name, report_form_for
from services.portal.entrypoints.web.cso_uploads import attach_files, chosen_files, tell_uploads
from services.portal.entrypoints.web.filters import moment
from services.portal.entrypoints.web.forms import ConfirmForm, place_refusal
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.report_standards import (
    answered,
    answers_payload,
    checklist,
    fields_of,
    form_standards,
)
from services.portal.entrypoints.web.requests import api, person, signed_in_as

REPORT_FIELDS = {"milestone_number": "milestone_number", "beneficiaries_served": "beneficiaries_served"}


def _own_contract(contract_id: int) -> dict:
    """The contract, if it is this CSO's (contracts are public, but these pages are the provider's)."""
    record = api().get("contracting", f"/contracts/{contract_id}")
    if record.get("provider_id") != person().provider_id:
        abort(404)
    return record


def _evidence_by_report(tender_id: int) -> dict[int, list[dict]]:
    documents = api().get("contracting", f"/tenders/{tender_id}/documents")
    found: dict[int, list[dict]] = {}
    for document in documents:
        if document.get("kind") == "report" and document.get("status", "active") == "active":
            found.setdefault(int(document["owner_id"]), []).append(document)
    return found


def _evidence_form(report_id: int) -> EvidenceForm:
    return EvidenceForm(prefix=f"report-{report_id}", formdata=None)


@blp.get("/contracts")
@signed_in_as("cso")
def contracts():
    listed = api().get("contracting", "/contracts", provider_id=person().provider_id)
    return render_template("cso/contracts.html", summaries=contracts_view.summaries(listed, now()))


@blp.get("/contracts/<int:contract_id>")
@signed_in_as("cso")
def contract(contract_id: int):
    record = _own_contract(contract_id)
    moment_now = now()
    reports = api().get("contracting", f"/contracts/{contract_id}/reports")
    return render_template(
        "cso/contract.html",
        contract=record,
        periods=contracts_view.periods(record, moment_now),
        can_file=bool(contracts_view.fileable_periods(record, moment_now)),
        awaits_signature=contracts_view.awaits_our_signature(record),
        reports=contracts_view.newest_first(reports),
        evidence=_evidence_by_report(int(record["tender_id"])),
        evidence_form=_evidence_form,
        standard_answers=answered,
        confirm=ConfirmForm(),
    )


@blp.post("/contracts/<int:contract_id>/sign")
@signed_in_as("cso")
def sign_contract(contract_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _own_contract(contract_id)
    try:
        signed = api().post("contracting", f"/contracts/{contract_id}/sign", {})
    except ApiRefusal as refusal:
        if refusal.status != 409:
            raise
        flash(_why_not_signed(refusal), "error")
        return redirect(url_for("cso.contract", contract_id=contract_id))
    if signed.get("status") == "active":
        flash(gettext("You signed the contract. Both sides have signed: it is now in force."), "success")
    else:
        flash(gettext("You signed the contract. It comes into force when the department signs too."), "success")
    return redirect(url_for("cso.contract", contract_id=contract_id))


def _why_not_signed(refusal: ApiRefusal) -> str:
    if "signed_by" in refusal.body:
        return gettext("Your organisation has already signed this contract.")
    status = refusal.body.get("current_status")
    if status in CONTRACT_STATUS_LABELS:
        return gettext(
            "This contract can no longer be signed: it is “%(status)s”.", status=CONTRACT_STATUS_LABELS[status]
        )
    return person_message(refusal.message)


def _why_no_report(refusal: ApiRefusal) -> list[str]:
    """A 409: the period already has a standing report, or the contract takes no reports (cancelled, unsigned)."""
    status = refusal.body.get("current_status")
    if status in ("submitted", "accepted"):
        return [gettext("This period already has a report under review or accepted. Choose another period.")]
    if status in CONTRACT_STATUS_LABELS:
        words = CONTRACT_STATUS_LABELS[status]
        return [gettext("This contract takes no reports while it is “%(status)s”.", status=words)]
    return [person_message(refusal.message)]


def _period_words(period: contracts_view.Period) -> str:
    return gettext(
        "Period %(number)d, report due %(due)s", number=period.number, due=moment(period.report_due_at, "short")
    )


def _report_payload(form, kpis: list[dict], service_type: str | None) -> dict:
    values = {}
    for kpi in kpis:
        entered = getattr(form, kpi_field_name(kpi["code"])).data
        if entered is not None:
            values[kpi["code"]] = str(entered)
    return {
        "milestone_number": form.milestone_number.data,
        "beneficiaries_served": form.beneficiaries_served.data,
        "kpi_values": values,
        "narrative": form.narrative.data.strip(),
        "standards": answers_payload(form, service_type),
    }


def _back_to_report(contract_id: int, report_id: int, all_attached: bool):
    """To the report on the contract's page; to the top when a file was refused, so its message is seen first."""
    target = url_for("cso.contract", contract_id=contract_id)
    return redirect(target + (f"#report-{report_id}" if all_attached else ""))


@blp.route("/contracts/<int:contract_id>/reports/new", methods=["GET", "POST"])
@signed_in_as("cso")
def new_report(contract_id: int):
    record = _own_contract(contract_id)
    open_periods = contracts_view.fileable_periods(record, now())
    kpis = contracts_view.kpis_to_report(record)
    service_type = record.get("service_type")
    form = report_form_for(kpis, form_standards(service_type))
    form.milestone_number.choices = [SelectChoice(period.number, _period_words(period)) for period in open_periods]
    if request.method == "GET" and request.args.get("period", "").isdigit():
        form.milestone_number.data = int(request.args["period"])
    problems: list[str] = []
    status = 200
    if open_periods and form.validate_on_submit():
        try:
            payload = _report_payload(form, kpis, service_type)
            report = api().post("contracting", f"/contracts/{contract_id}/reports", payload)
        except ApiRefusal as refusal:
            if refusal.status not in (409, 422):
                raise
            status = refusal.status
            problems = _why_no_report(refusal) if status == 409 else place_refusal(form, refusal, REPORT_FIELDS)
        else:
            flash(gettext("Your report was sent to the department for review."), "success")
            files = chosen_files(form.evidence.data)
            attached = attach_files(record["tender_id"], "report", report["id"], files, form.evidence_type.data)
            return _back_to_report(contract_id, report["id"], tell_uploads(*attached))
    elif form.is_submitted():
        status = 422 if open_periods else 409
    return render_template(
        "cso/new_report.html",
        contract=record,
        form=form,
        kpis=kpis,
        standards=fields_of(form, service_type),
        checklist=checklist(service_type),
        open_periods=open_periods,
        problems=problems,
    ), status


@blp.post("/contracts/<int:contract_id>/reports/<int:report_id>/evidence")
@signed_in_as("cso")
def add_report_evidence(contract_id: int, report_id: int):
    record = _own_contract(contract_id)
    form = EvidenceForm(prefix=f"report-{report_id}")
    if not form.validate_on_submit():
        abort(400)
    files = chosen_files(form.evidence.data)
    if not files:
        flash(gettext("Choose at least one file to attach."), "error")
        return _back_to_report(contract_id, report_id, False)
    attached = attach_files(record["tender_id"], "report", report_id, files, form.evidence_type.data)
    return _back_to_report(contract_id, report_id, tell_uploads(*attached))
