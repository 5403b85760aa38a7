"""The bid form: lot, places, unit price, the quality proposal and one answer per quality criterion of the call.

Each call has its own quality criteria, so the form class is built per call; the answer fields are named by the
criterion's place in the call (``quality_answer_1``, ``quality_answer_2`` …) so their ids are stable.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from services.portal.adapters.api_client import ApiRefusal
from services.portal.domain.bidding import Lot, Offer, QualityCriterion, parse_unit_price, price_check
from services.portal.entrypoints.web.filters import money

MAX_PLACES = 100000
# The API's names for the bid's fields -> the form's (quality answers are placed one by one: see refusal_for_form)
API_FIELDS = {"lot_id": "lot_id", "unit_price": "unit_price", "places": "places", "quality_text": "quality_text"}


def answer_field_name(position: int) -> str:
    return f"quality_answer_{position}"


class BidFormBase(FlaskForm):
    lot_id = RadioField(
        _("Lot"),
        coerce=int,
        invalid_value_message=_("Choose the lot you are bidding for."),
        invalid_choice_message=_("Choose the lot you are bidding for."),
    )
    places = StringField(
        _("Places you offer"), validators=[DataRequired(message=_("Enter the number of places you offer."))]
    )
    unit_price = StringField(
        _("Unit price per place, in lei"),
        validators=[DataRequired(message=_("Enter the unit price per place."))],
    )
    quality_text = TextAreaField(
        _("How you will provide the service"),
        validators=[
            DataRequired(message=_("Describe how you will provide the service.")),
            Length(max=50000, message=_("Use at most %(max)d characters.")),
        ],
    )

    lots: list[Lot] = []
    criteria: list[QualityCriterion] = []

    def chosen_lot(self) -> Lot | None:
        return next((lot for lot in self.lots if lot.id == self.lot_id.data), None)

    def answer_fields(self) -> list[tuple[QualityCriterion, object]]:
        return [(criterion, self[answer_field_name(n)]) for n, criterion in enumerate(self.criteria, start=1)]

    def validate_places(self, field) -> None:
        try:
            places = int((field.data or "").strip())
        except ValueError:
            raise ValidationError(_("Enter the places as a whole number, like 10.")) from None
        if not 1 <= places <= MAX_PLACES:
            raise ValidationError(_("Enter a number of places from 1 to %(max)d.", max=MAX_PLACES))
        lot = self.chosen_lot()
        if lot is not None and places > lot.places:
            raise ValidationError(_("The lot has %(places)d places: offer at most that many.", places=lot.places))

    def validate_unit_price(self, field) -> None:
        amount = parse_unit_price(field.data)
        if amount is None:
            raise ValidationError(_("Enter the unit price in lei, like 45000 or 45000,50 (at most two decimals)."))
        lot, places = self.chosen_lot(), _whole_number(self.places.data)
        if lot is None or places is None:
            return
        check = price_check(amount, places, lot)
        if not check.within_budget:
            raise ValidationError(
                _(
                    "The total, %(total)s, is above the lot's budget of %(budget)s: lower the unit price or the "
                    "places.",
                    total=money(check.total),
                    budget=money(check.budget),
                )
            )

    def offer(self) -> Offer:
        """What was typed, for the API (call only after validate())."""
        answers = {criterion.id: field.data.strip() for criterion, field in self.answer_fields()}
        return Offer(
            lot_id=self.lot_id.data,
            unit_price=parse_unit_price(self.unit_price.data),
            places=int(self.places.data.strip()),
            quality_text=self.quality_text.data.strip(),
            answers=answers,
        )


def _whole_number(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def bid_form(lots: list[Lot], criteria: list[QualityCriterion], **kwargs) -> BidFormBase:
    """The form for this call's lots (those the person may bid on) and quality criteria."""
    fields = {
        answer_field_name(n): TextAreaField(
            _("Your answer to “%(name)s”", name=criterion.name),
            validators=[
                DataRequired(message=_("Answer “%(name)s”.", name=criterion.name)),
                Length(max=20000, message=_("Use at most %(max)d characters.")),
            ],
        )
        for n, criterion in enumerate(criteria, start=1)
    }
    form_class = type("BidForm", (BidFormBase,), {**fields, "lots": lots, "criteria": criteria})
    form = form_class(**kwargs)
    form.lot_id.choices = [(lot.id, lot.title) for lot in lots]
    if len(lots) == 1 and form.lot_id.data is None:
        form.lot_id.data = lots[0].id
    return form


def prefilled(bid: dict, criteria: list[QualityCriterion]) -> dict:
    """The form's data from a bid as the API returns it (to change it)."""
    answers = {int(a["criterion_id"]): a.get("answer", "") for a in bid.get("quality_answers") or []}
    data = {
        "lot_id": int(bid["lot_id"]),
        "places": str(bid.get("places") or ""),
        "unit_price": str(bid.get("unit_price") or ""),
        "quality_text": bid.get("quality_text") or "",
    }
    for n, criterion in enumerate(criteria, start=1):
        data[answer_field_name(n)] = answers.get(criterion.id, "")
    return data


def refusal_for_form(refusal: ApiRefusal, offer: Offer, criteria: list[QualityCriterion]) -> ApiRefusal:
    """The API's 422 with each quality answer's messages moved to that answer's field: it lists the answers by
    their place in the request (sorted by criterion id, as ``Offer.api_payload`` sends them)."""
    errors = dict(refusal.body.get("errors") or {})
    nested = errors.get("quality_answers")
    if not isinstance(nested, dict):
        return refusal
    position_of = {criterion.id: n for n, criterion in enumerate(criteria, start=1)}
    sent = sorted(offer.answers)
    del errors["quality_answers"]
    for index, messages in nested.items():
        if str(index).isdigit() and int(index) < len(sent):
            errors[answer_field_name(position_of[sent[int(index)]])] = messages
        else:
            errors.setdefault("quality_answers", []).append(messages)
    return ApiRefusal(refusal.status, {**refusal.body, "errors": errors})
