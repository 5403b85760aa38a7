"""An operator's forms: a provider, an accreditation's grant, renewal and status changes, an account, a service type.

Limits mirror the registry's schemas (services/registry/entrypoints/api/schemas.py), so most mistakes are caught
before the API is asked; the API's refusals land on the same fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

ACCREDITING_BODY = "Agenția Națională pentru Asistență Socială"
# The registry checks addresses for real; here only their shape (as the sign-in form does).
EMAIL_SHAPE = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_("Enter an e-mail address like name@example.md."))
LANGUAGE_CHOICES = [SelectChoice("ro", "Română"), SelectChoice("ru", "Русский"), SelectChoice("en", "English")]
ROLE_CHOICES = [
    SelectChoice("cso", _("CSO (provider)")),
    SelectChoice("authority", _("District department")),
    SelectChoice("evaluator", _("Evaluator")),
    SelectChoice("operator", _("Operator")),
]
PROVIDER_STATUS_CHOICES = [SelectChoice("active", _("Active")), SelectChoice("suspended", _("Suspended"))]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a multiple <select> is hard to use by keyboard and on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def at_least_one(form, field) -> None:
    """A check on the group, not a ``required`` on each checkbox (which would ask for every one to be ticked)."""
    if not field.data:
        raise StopValidation(_("Choose at least one."))


class ProviderForm(FlaskForm):
    idno = StringField(
        _("IDNO (13 digits)"),
        validators=[DataRequired(), Regexp(r"^\d{13}$", message=_("The IDNO has exactly 13 digits."))],
    )
    legal_name = StringField(_("Name"), validators=[DataRequired(), Length(min=2, max=300)])
    legal_form = StringField(_("Legal form"), default="asociație obștească", validators=[Length(min=2, max=100)])
    email = EmailField(_("E-mail (optional)"), validators=[Optional(), EMAIL_SHAPE, Length(max=320)])
    phone = StringField(_("Phone (optional)"), validators=[Optional(), Length(max=50)])
    address = StringField(_("Address (optional)"), validators=[Optional(), Length(max=300)])
    districts_served = CheckboxesField(_("Districts served"), choices=[], validate_choice=False)
    languages = CheckboxesField(
        _("Languages it works in"), choices=LANGUAGE_CHOICES, default=["ro"], validators=[at_least_one]
    )
    status = SelectField(_("Standing in the register"), choices=PROVIDER_STATUS_CHOICES, default="active")


class GrantForm(FlaskForm):
    service_type = SelectField(_("Service"), choices=[], validators=[DataRequired()])
    accrediting_body = StringField(
        _("Accrediting body"), default=ACCREDITING_BODY, validators=[DataRequired(), Length(min=2, max=200)]
    )
    certificate_number = StringField(_("Certificate number"), validators=[DataRequired(), Length(min=1, max=60)])
    valid_from = DateField(_("Valid from"), validators=[DataRequired(message=_("Enter a date."))])
    valid_to = DateField(_("Last valid day"), validators=[DataRequired(message=_("Enter a date."))])
    districts_served = CheckboxesField(_("Districts the provider serves"), choices=[], validate_choice=False)


class RenewForm(FlaskForm):
    valid_to = DateField(_("New last valid day"), validators=[DataRequired(message=_("Enter a date."))])
    certificate_number = StringField(
        _("New certificate number (optional)"), validators=[Optional(), Length(min=1, max=60)]
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(_("Reason"), validators=[DataRequired(), Length(min=3, max=500)])


class ReinstateForm(FlaskForm):
    reason = TextAreaField(_("Note (optional)"), validators=[Optional(), Length(min=3, max=500)])


class UserForm(FlaskForm):
    email = EmailField(_("E-mail"), validators=[DataRequired(), EMAIL_SHAPE, Length(max=320)])
    full_name = StringField(_("Full name (optional)"), validators=[Optional(), Length(max=200)])
    role = SelectField(_("Role"), choices=ROLE_CHOICES, default="cso")
    district_code = SelectField(_("District (department and evaluators)"), choices=[], validate_choice=False)
    provider_id = SelectField(_("Provider (CSO accounts)"), choices=[], validate_choice=False)
    language = SelectField(_("Language"), choices=LANGUAGE_CHOICES, default="ro")
    password = PasswordField(
        _("First password (at least 10 characters)"), validators=[DataRequired(), Length(min=10, max=200)]
    )


class ServiceTypeForm(FlaskForm):
    code = StringField(
        _("Code"),
        validators=[
            DataRequired(),
            Regexp(r"^[a-z][a-z0-9-]{1,59}$", message=_("Lower-case letters, digits and hyphens, e.g. day-centre.")),
        ],
    )
    name_ro = StringField(_("Name in Romanian"), validators=[DataRequired(), Length(min=2, max=200)])
    name_ru = StringField(_("Name in Russian"), validators=[DataRequired(), Length(min=2, max=200)])
    name_en = StringField(_("Name in English"), validators=[DataRequired(), Length(min=2, max=200)])
