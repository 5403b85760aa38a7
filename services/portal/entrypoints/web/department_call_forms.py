"""A department's forms for its calls: the new call (lots and criteria as repeated rows), documents, an answer, an
amendment, the committee and a cancellation. Limits mirror contracting's schemas (entrypoints/api/schemas.py).

Rows are added without JavaScript: "Add a lot" and "Add a criterion" submit the form, which comes back with one
more empty row (nothing is sent to the platform until "Save as draft").
"""

from __future__ import annotations

import os

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateTimeLocalField,
    DecimalField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.form import FormField
from wtforms.fields.list import FieldList
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from services.portal.domain.call_draft import PeriodRules

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
MAX_LOTS = 50
MAX_CRITERIA = 20

CRITERION_KINDS = [SelectChoice("price", _("Price")), SelectChoice("quality", _("Quality"))]
CALL_DOCUMENT_TYPES = [
    SelectChoice("tenderNotice", _("Terms of reference")),
    SelectChoice("technicalSpecifications", _("Technical specifications")),
    SelectChoice("contractDraft", _("Draft contract")),
    SelectChoice("billOfQuantity", _("Cost calculation")),
    SelectChoice("eligibilityCriteria", _("Eligibility criteria")),
]


def procedure_rules() -> PeriodRules:
    """The periods contracting applies, from the same environment (the portal runs beside it)."""
    return PeriodRules.from_environment(os.environ)


class LotForm(Form):
    title = StringField(_("Name of the lot"), validators=[DataRequired(), Length(min=2, max=300)])
    places = IntegerField(_("Places"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    budget = DecimalField(
        _("Budget (MDL)"), places=2, validators=[InputRequired(), NumberRange(min=0.01, max=999999999999.99)]
    )
    duration_months = IntegerField(_("Duration (months)"), validators=[InputRequired(), NumberRange(min=1, max=120)])
    max_awards = IntegerField(
        _("Winners at most"), default=1, validators=[InputRequired(), NumberRange(min=1, max=100)]
    )


class CriterionForm(Form):
    kind = SelectField(_("Kind"), choices=CRITERION_KINDS, default="quality")
    name = StringField(_("Criterion"), validators=[DataRequired(), Length(min=2, max=200)])
    weight = IntegerField(_("Weight (%)"), validators=[InputRequired(), NumberRange(min=1, max=100)])
    minimum = DecimalField(
        _("Minimum score (optional)"), places=2, validators=[Optional(), NumberRange(min=0, max=100)]
    )


class CallForm(FlaskForm):
    service_type = SelectField(_("Service"), choices=[], validators=[DataRequired()])
    title = StringField(_("Title of the call (Romanian)"), validators=[DataRequired(), Length(min=5, max=300)])
    title_ru = StringField(_("Title in Russian (optional)"), validators=[Optional(), Length(max=300)])
    title_en = StringField(_("Title in English (optional)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_("Description"), validators=[Optional(), Length(max=20000)])
    enquiry_end = DateTimeLocalField(_("Questions until"), format=MOMENT_FORMATS, validators=[InputRequired()])
    submission_deadline = DateTimeLocalField(_("Bids until"), format=MOMENT_FORMATS, validators=[InputRequired()])
    lots = FieldList(FormField(LotForm), min_entries=1, max_entries=MAX_LOTS)
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=MAX_CRITERIA)
    committee_size = IntegerField(
        _("Members of the evaluation committee"), default=3, validators=[InputRequired(), NumberRange(min=3, max=15)]
    )
    document_type = SelectField(_("What the files are"), choices=CALL_DOCUMENT_TYPES, default="tenderNotice")
    documents = MultipleFileField(_("Documents of the call (optional)"))
    # A draft this one replaces (contracting does not edit drafts: the old one is cancelled once this is saved)
    replaces = HiddenField()


class DocumentsForm(FlaskForm):
    document_type = SelectField(_("What the files are"), choices=CALL_DOCUMENT_TYPES, default="tenderNotice")
    documents = MultipleFileField(_("Files"))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_("Your answer"), validators=[DataRequired(), Length(min=2, max=10000)])


class AmendForm(FlaskForm):
    rationale = TextAreaField(_("What changes, and why"), validators=[DataRequired(), Length(min=5, max=5000)])
    submission_deadline = DateTimeLocalField(_("New deadline for bids"), format=MOMENT_FORMATS, validators=[Optional()])
    title = StringField(_("New title (optional)"), validators=[Optional(), Length(min=5, max=300)])
    description = TextAreaField(_("New description (optional)"), validators=[Optional(), Length(max=20000)])
    document_type = SelectField(_("What the files are"), choices=CALL_DOCUMENT_TYPES[:4], default="tenderNotice")
    documents = MultipleFileField(_("Changed documents (optional)"))


def _at_least_one(field) -> None:
    """A plain function, not DataRequired: that would mark every checkbox ``required`` (all of them, to a browser)."""
    if not field.data:
        raise StopValidation(str(_("Choose at least one evaluator.")))


class CommitteeForm(FlaskForm):
    evaluators = SelectMultipleField(
        _("Evaluators"),
        choices=[],
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[lambda form, field: _at_least_one(field)],
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(_("Why the call is cancelled"), validators=[DataRequired(), Length(min=5, max=5000)])
