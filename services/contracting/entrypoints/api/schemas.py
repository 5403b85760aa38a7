"""Request and response shapes of the contracting API: tenders, lots, criteria, amendments, clarifications."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.common.web import MAX_ID
from services.contracting.service_layer.base import utc
from services.contracting.service_layer.commands import AmendTender, CreateTender, LotChange, NewCriterion, NewLot

CENT = Decimal("0.01")
# Ids are 32-bit columns: a bigger number names nothing and would overflow the driver (a 500), so it is a 422.
AN_ID = validate.Range(min=1, max=MAX_ID)
AT_LEAST_ONE_LOT = "a call needs at least one lot, each with its title, places, budget and duration_months"


class UtcDateTime(fields.AwareDateTime):
    """Out in ISO-8601 UTC whatever the database handed back (SQLite forgets the zone)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(utc(value), attr, obj, **kwargs)


def two_places(value: Decimal) -> None:
    """At most two decimal places. marshmallow runs every validator even after the range refused the value,
    and quantizing a number too large for the decimal context (1e30 to the cent) raises InvalidOperation."""
    try:
        exact = value == value.quantize(CENT)
    except InvalidOperation:
        raise ValidationError("too large to be a number of hundredths") from None
    if not exact:
        raise ValidationError("at most two decimal places")


class Text(fields.String):
    """Text as people type it: trimmed at both ends and never blank (a title of five spaces names nothing).
    Length limits then apply to the trimmed text."""

    default_error_messages = {"blank": "must not be blank"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise self.make_error("blank")
        return text


def as_command(command_type: type):
    """A schema's ``post_load`` hook: the validated request as the use case's typed command, its lists as tuples
    (commands are frozen)."""

    def build(_schema, data: dict, **_kwargs):
        return command_type(**{name: tuple(v) if isinstance(v, list) else v for name, v in data.items()})

    return post_load(build)


def money_field(**kwargs) -> fields.Decimal:
    """MDL in a JSON string or number, exact to the ban; returned as a string so no float touches it."""
    within = validate.Range(min=Decimal("0.01"), max=Decimal("999999999999.99"))
    return fields.Decimal(as_string=True, validate=[within, two_places], **kwargs)


class LotCreateSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=2, max=300))
    places = fields.Integer(required=True, validate=validate.Range(min=1, max=100000))
    budget = money_field(required=True)
    duration_months = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    max_awards = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100))

    @validates_schema
    def awards_fit_places(self, data, **_kwargs):
        if data.get("max_awards", 1) > data.get("places", 1):
            raise ValidationError("max_awards cannot exceed places", "max_awards")

    to_command = as_command(NewLot)


class CriterionCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["price", "quality"]))
    name = Text(required=True, validate=validate.Length(min=2, max=200))
    weight = fields.Integer(required=True, validate=validate.Range(min=1, max=100))
    minimum = fields.Decimal(
        load_default=None, allow_none=True, as_string=True, validate=[validate.Range(min=0, max=100), two_places]
    )
    to_command = as_command(NewCriterion)


class TenderCreateSchema(Schema):
    district_code = fields.String(required=True, validate=validate.Regexp(r"^MD-[A-Z]{2}$"))
    service_type = fields.String(required=True, validate=validate.Length(min=2, max=60))
    title = Text(required=True, validate=validate.Length(min=5, max=300))
    title_ru = Text(validate=validate.Length(max=300))
    title_en = Text(validate=validate.Length(max=300))
    description = Text(load_default="", validate=validate.Length(max=20000))
    description_ru = Text(validate=validate.Length(max=20000))
    description_en = Text(validate=validate.Length(max=20000))
    enquiry_end = fields.AwareDateTime(required=True, default_timezone=None)
    submission_deadline = fields.AwareDateTime(required=True)
    # Required: a call is for places with a budget, so no lot is ever implied (one with no budget could be
    # published); a draft too names its lots, the authority edits the draft's terms by amending it later.
    lots = fields.List(
        fields.Nested(LotCreateSchema),
        required=True,
        validate=[validate.Length(min=1, error=AT_LEAST_ONE_LOT), validate.Length(max=50)],
        error_messages={"required": AT_LEAST_ONE_LOT},
    )
    criteria = fields.List(fields.Nested(CriterionCreateSchema), validate=validate.Length(min=1, max=20))
    committee_size = fields.Integer(load_default=3, validate=validate.Range(min=3, max=15))
    standstill_days = fields.Integer(validate=validate.Range(min=1, max=30))
    to_command = as_command(CreateTender)


class NextCheckSchema(Schema):
    action = fields.String()
    due_at = UtcDateTime()


class NextTransitionSchema(Schema):
    status = fields.String()
    at = UtcDateTime()


class LotSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    places = fields.Integer()
    budget = fields.Decimal(as_string=True, allow_none=True)
    duration_months = fields.Integer()
    max_awards = fields.Integer()


class CriterionSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    kind = fields.String()
    name = fields.String()
    weight = fields.Integer()
    minimum = fields.Decimal(as_string=True, allow_none=True)


class TenderSchema(Schema):
    id = fields.Integer()
    ocid = fields.String()
    district_code = fields.String()
    service_type = fields.String()
    title = fields.String()
    title_ru = fields.String(allow_none=True)
    title_en = fields.String(allow_none=True)
    description = fields.String()
    description_ru = fields.String(allow_none=True)
    description_en = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "the status that applies now, by the server clock"})
    applied_status = fields.String(
        metadata={"description": "the status recorded so far; behind status while a due transition awaits its run"}
    )
    enquiry_end = UtcDateTime()
    submission_deadline = UtcDateTime()
    standstill_end = UtcDateTime(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    committee_size = fields.Integer()
    standstill_days = fields.Integer()
    cancellation_reason = fields.String(allow_none=True)
    lots = fields.List(fields.Nested(LotSchema))
    criteria = fields.List(fields.Nested(CriterionSchema))
    next_check = fields.Nested(NextCheckSchema, allow_none=True)
    next_transition = fields.Nested(NextTransitionSchema, allow_none=True)
    allowed_actions = fields.List(fields.String())


class TenderListQuerySchema(Schema):
    district_code = fields.String()
    service_type = fields.String()
    status = fields.String(metadata={"description": "the status that applies now, by the server clock"})
    applied_status = fields.String(
        metadata={"description": "the status recorded so far (finds calls whose due transition awaits its run)"}
    )


class DueTransitionsSchema(Schema):
    tender = fields.Nested(TenderSchema)
    applied = fields.List(fields.String())


class InvitationsSchema(Schema):
    tender_id = fields.Integer()
    newly_invited = fields.List(fields.Integer())
    invited = fields.List(fields.Integer())


class EligibleProvidersSchema(Schema):
    tender_id = fields.Integer()
    provider_ids = fields.List(fields.Integer())


class ReasonSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=5, max=5000))


class LotChangeSchema(Schema):
    id = fields.Integer(required=True, validate=AN_ID)
    places = fields.Integer(validate=validate.Range(min=1, max=100000))
    budget = money_field()
    duration_months = fields.Integer(validate=validate.Range(min=1, max=120))
    max_awards = fields.Integer(validate=validate.Range(min=1, max=100))
    to_command = as_command(LotChange)


class AmendmentCreateSchema(Schema):
    rationale = Text(required=True, validate=validate.Length(min=5, max=5000))
    submission_deadline = fields.AwareDateTime(load_default=None)
    title = Text(validate=validate.Length(min=5, max=300))
    description = Text(validate=validate.Length(max=20000))
    title_ru = Text(validate=validate.Length(max=300))
    title_en = Text(validate=validate.Length(max=300))
    description_ru = Text(validate=validate.Length(max=20000))
    description_en = Text(validate=validate.Length(max=20000))
    lots = fields.List(fields.Nested(LotChangeSchema))
    to_command = as_command(AmendTender)


class AmendmentSchema(Schema):
    id = fields.Integer()
    rationale = fields.String()
    changes = fields.Dict()
    previous_submission_deadline = UtcDateTime()
    submission_deadline = UtcDateTime()
    created_at = UtcDateTime()


class QuestionCreateSchema(Schema):
    question = Text(required=True, validate=validate.Length(min=5, max=5000))


class AnswerCreateSchema(Schema):
    answer = Text(required=True, validate=validate.Length(min=2, max=10000))


class QuestionSchema(Schema):
    """A clarification as the public sees it: never who asked."""

    id = fields.Integer()
    question = fields.String()
    asked_at = UtcDateTime()
    answer = fields.String(allow_none=True)
    answered_at = UtcDateTime(allow_none=True)
