"""The CSO's forms: a question, a complaint, a monitoring report with its evidence, notification settings, a webhook.

Limits mirror the contracting and notifications schemas, so most mistakes are caught before the API is asked.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

# Choices as SelectChoice: wtforms 3.3 deprecates tuples (and the tests turn warnings into errors).
EVIDENCE_TYPES = [
    SelectChoice("physicalProgressReport", _("Progress report (services delivered)")),
    SelectChoice("financialProgressReport", _("Financial report")),
]


class QuestionForm(FlaskForm):
    question = TextAreaField(_("Your question"), validators=[DataRequired(), Length(min=5, max=5000)])


class ComplaintForm(FlaskForm):
    award_id = SelectField(_("What the complaint is about"), choices=[], validate_choice=False)
    title = StringField(_("Subject of the complaint"), validators=[DataRequired(), Length(min=5, max=300)])
    description = TextAreaField(
        _("Grounds: what was decided wrongly, and why"), validators=[DataRequired(), Length(min=10, max=20000)]
    )
    evidence = FileField(_("A supporting document (optional)"))


STANDARD_ANSWERS = [
    SelectChoice("met", _("Met")),
    SelectChoice("partly", _("Partly met")),
    SelectChoice("not_met", _("Not met")),
]


class ReportForm(FlaskForm):
    """The KPI fields (``kpi_<code>``) and the quality standards' answers (``std_<code>_status`` and
    ``std_<code>_note``) are added per contract by ``report_form_for``."""

    milestone_number = SelectField(_("Reporting period"), coerce=int, validate_choice=False)
    beneficiaries_served = IntegerField(
        _("Beneficiaries served in the period"), validators=[InputRequired(), NumberRange(min=0, max=10**6)]
    )
    narrative = TextAreaField(_("What was done in the period"), validators=[DataRequired(), Length(min=10, max=50000)])
    evidence_type = SelectField(_("What the files are"), choices=EVIDENCE_TYPES, default="physicalProgressReport")
    evidence = MultipleFileField(_("Evidence files (optional)"))


class EvidenceForm(FlaskForm):
    evidence_type = SelectField(_("What the files are"), choices=EVIDENCE_TYPES, default="physicalProgressReport")
    evidence = MultipleFileField(_("Evidence files"))


def kpi_field_name(code: str) -> str:
    return f"kpi_{code}"


def standard_field_names(code: str) -> tuple[str, str]:
    """The form fields of one standard (its answer, its note): ``HC-03`` -> ``std_hc_03_status``, ``_note``."""
    stem = "std_" + code.lower().replace("-", "_")
    return f"{stem}_status", f"{stem}_note"


def _note_unless_met(status_name: str):
    """A note is required when the standard is only partly met or not met (as the API requires)."""

    def check(form, field) -> None:
        if form[status_name].data in ("partly", "not_met") and not (field.data or "").strip():
            raise ValidationError(_("Say why this standard was not fully met."))

    return check


def _standard_fields(code: str, name: str, note_label: str) -> dict:
    status_name, note_name = standard_field_names(code)
    answer = RadioField(
        name, choices=STANDARD_ANSWERS, validators=[InputRequired(_("Choose met, partly met or not met."))]
    )
    note = TextAreaField(note_label, validators=[_note_unless_met(status_name), Length(max=2000)])
    return {status_name: answer, note_name: note}


def report_form_for(kpis: list[dict], standards: tuple[tuple[str, str, str], ...] = (), **kwargs) -> ReportForm:
    """The report form with one number field per KPI of the contract (each optional, as in the API) and, per
    standard of the service type's checklist ((code, name, note label) in the person's language), an answer
    and a note."""
    fields = {
        kpi_field_name(kpi["code"]): DecimalField(
            kpi.get("name") or kpi["code"], places=None, validators=[Optional(), NumberRange(min=0, max=10**9)]
        )
        for kpi in kpis
    }
    for code, name, note_label in standards:
        fields.update(_standard_fields(code, name, note_label))
    form_class = type("ContractReportForm", (ReportForm,), fields)
    return form_class(**kwargs)


class PreferencesForm(FlaskForm):
    channel_email = BooleanField(_("By e-mail"))
    channel_inbox = BooleanField(_("In the portal's notices"))
    channel_webhook = BooleanField(_("To our own systems (webhooks)"))
    digest = RadioField(
        _("How often e-mails come"),
        choices=[
            SelectChoice("no", _("One e-mail per notice, as it happens")),
            SelectChoice("yes", _("One e-mail a day with all notices")),
        ],
        default="no",
    )
    language = SelectField(
        _("Language of the notices"),
        choices=[
            SelectChoice("", _("The language of your account")),
            SelectChoice("ro", "Română"),
            SelectChoice("ru", "Русский"),
            SelectChoice("en", "English"),
        ],
    )


class WebhookForm(FlaskForm):
    webhook_url = StringField(
        _("Address (URL) of your system"),
        validators=[DataRequired(), Length(min=8, max=500), URL(require_tld=False, message=_("Enter a web address."))],
    )
    webhook_description = StringField(_("Description (optional)"), validators=[Optional(), Length(max=200)])
    webhook_event_types = StringField(_("Only these notices (optional)"), validators=[Optional(), Length(max=2000)])

    def event_types(self) -> list[str]:
        return [part.strip() for part in (self.webhook_event_types.data or "").replace(",", " ").split() if part]
