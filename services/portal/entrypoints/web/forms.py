"""The portal's forms (Flask-WTF: CSRF on each) and how an API's refusal lands beside the field it concerns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length, Regexp

from services.portal.adapters.api_client import ApiRefusal
from services.portal.entrypoints.web.messages import person_message


class SignInForm(FlaskForm):
    # The registry checks the address for real; here only its shape, so a typo is caught before a round trip.
    email = EmailField(
        _("E-mail"),
        validators=[
            DataRequired(),
            Length(max=320),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_("Enter an e-mail address like name@example.md.")),
        ],
    )
    password = PasswordField(_("Password"), validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A button that changes something and carries nothing but its CSRF token (sign out, withdraw, mark read)."""


def place_refusal(form: FlaskForm, refusal: ApiRefusal, field_names: dict[str, str] | None = None) -> list[str]:
    """Put each of the API's field messages on the form's field (``field_names`` maps API names to form names);
    what belongs to no field is returned for the error summary."""
    field_names = field_names or {}
    general: list[str] = []
    for api_name, messages in refusal.field_errors.items():
        target = getattr(form, field_names.get(api_name, api_name), None)
        translated = [person_message(message) for message in messages]
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), *translated]
        else:
            general.extend(translated)
    if not refusal.field_errors:
        general.append(person_message(refusal.message, refusal.body))
    return general
