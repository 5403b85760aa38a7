"""The department's forms from the award to the renewal: a complaint's ruling, the contracts' terms (report
frequency and indicators), a report's return, a renewal's confirmation or refusal.

Limits mirror contracting's schemas (ResolutionSchema, ContractsCreateSchema/KpiSchema, CommentsSchema,
DecisionSchema, ReasonTextSchema), so most mistakes are caught before the API is asked.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import DecimalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

EXTRA_KPIS = 3  # indicators the department may add beside the beneficiaries served

RULINGS = [
    SelectChoice("rejected", _("Reject the complaint: the award stands")),
    SelectChoice("upheld", _("Uphold the complaint: the award falls and the evaluation reopens")),
]
FREQUENCIES = [SelectChoice("monthly", _("Every month")), SelectChoice("quarterly", _("Every three months"))]


class RulingForm(FlaskForm):
    decision = RadioField(_("Your ruling"), choices=RULINGS, validators=[InputRequired()])
    reasons = TextAreaField(
        _("The reasons, as the complainant will read them"), validators=[DataRequired(), Length(min=10, max=20000)]
    )


class ContractsForm(FlaskForm):
    """The terms every contract of the call gets; the indicator fields ``kpi_<n>_*`` are added by the class below."""

    milestone_frequency = SelectField(_("Monitoring reports and payments"), choices=FREQUENCIES, default="monthly")
    beneficiaries_target = DecimalField(
        _("Target: beneficiaries served in each period"),
        places=None,
        validators=[InputRequired(), NumberRange(min=1, max=10**9)],
    )


def _kpi_fields(number: int) -> dict:
    return {
        f"kpi_{number}_name": StringField(
            _("Indicator %(number)d: name", number=number), validators=[Optional(), Length(min=2, max=200)]
        ),
        f"kpi_{number}_target": DecimalField(
            _("Indicator %(number)d: target in each period", number=number),
            places=None,
            validators=[Optional(), NumberRange(min=0.01, max=10**9)],
        ),
        f"kpi_{number}_unit": StringField(
            _("Indicator %(number)d: unit", number=number), validators=[Optional(), Length(max=40)]
        ),
    }


ContractsTermsForm = type(
    "ContractsTermsForm",
    (ContractsForm,),
    {name: f for number in range(1, EXTRA_KPIS + 1) for name, f in _kpi_fields(number).items()},
)


class ReturnReportForm(FlaskForm):
    comments = TextAreaField(
        _("What the organisation must change"), validators=[DataRequired(), Length(min=5, max=10000)]
    )


class ConfirmRenewalForm(FlaskForm):
    reason = TextAreaField(_("A note for the record (optional)"), validators=[Optional(), Length(min=5, max=5000)])


class DeclineRenewalForm(FlaskForm):
    reason = TextAreaField(
        _("Why the contract is not renewed (a successor call is published at once)"),
        validators=[DataRequired(), Length(min=5, max=5000)],
    )
