"""An evaluator's forms: the conflict-of-interest declaration and the score sheet (one pair of fields per bid and
quality criterion, added per call). Limits mirror contracting's DeclarationSchema and ScoreWriteSchema; the pairs
are checked together in domain/evaluator_sheet.py, since whether a field is needed depends on the other one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

NO_CONFLICT, CONFLICT = "no", "yes"


class DeclarationForm(FlaskForm):
    has_conflict = RadioField(
        _("Do you have a conflict of interest with any of these bidders?"),
        choices=[
            SelectChoice(NO_CONFLICT, _("No: I have no conflict of interest with any of them")),
            SelectChoice(CONFLICT, _("Yes: I have a conflict of interest")),
        ],
        validators=[InputRequired(message=_("Choose one answer."))],
    )
    statement = TextAreaField(_("Statement"), validators=[Length(max=5000)])

    def validate_statement(self, field) -> None:
        if self.has_conflict.data == CONFLICT and not (field.data or "").strip():
            raise ValidationError(_("Describe the conflict of interest: with whom, and why."))

    def payload(self) -> dict:
        statement = (self.statement.data or "").strip() or None
        return {"has_conflict": self.has_conflict.data == CONFLICT, "statement": statement}


class SheetForm(FlaskForm):
    """The fields ``score_<key>`` and ``justification_<key>`` are added per call by ``sheet_form_for``."""


def score_field(key: str) -> str:
    return f"score_{key}"


def justification_field(key: str) -> str:
    return f"justification_{key}"


def sheet_form_for(keys: list[str], **kwargs) -> SheetForm:
    fields = {}
    # No validators: the pair is checked together (evaluator_sheet.read_sheet), each problem beside its field.
    for key in keys:
        fields[score_field(key)] = StringField(_("Score (0 to 100)"))
        fields[justification_field(key)] = TextAreaField(_("Justification"))
    form_class = type("CallSheetForm", (SheetForm,), fields)
    return form_class(**kwargs)


def posted_pairs(form: SheetForm, keys: list[str]) -> dict[str, tuple[str | None, str | None]]:
    return {key: (getattr(form, score_field(key)).data, getattr(form, justification_field(key)).data) for key in keys}
