"""Request and response shapes of the registry API (marshmallow; the OpenAPI document comes from these).

A request schema used by one operation only loads its command (service_layer/commands.py) itself; the two that
also shape responses (ProviderCreateSchema, AccreditationSchema) load a dict, which the view turns into the command.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.common.reference_costs import FIRST_YEAR, LAST_YEAR
from services.common.web import MAX_ID
from services.registry.domain.rules import ACCREDITATION_STATUSES, PROVIDER_STATUSES
from services.registry.service_layer import commands

ROLES = ("operator", "authority", "evaluator", "cso", "service")
LANGUAGES = ("ro", "ru", "en")
# Ids are 32-bit columns: a bigger number names nothing and would overflow the driver (a 500), so it is a 422.
AN_ID = validate.Range(min=1, max=MAX_ID)


class LabelSchema(Schema):
    code = fields.String(required=True)
    name_ro = fields.String(required=True)
    name_ru = fields.String(required=True)
    name_en = fields.String(required=True)


class ServiceTypeCreateSchema(LabelSchema):
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z][a-z0-9-]{1,59}$", error="code: lower-case letters, digits and '-'"),
        metadata={"description": "Stable code, e.g. 'supported-employment'"},
    )
    name_ro = fields.String(required=True, validate=validate.Length(min=2, max=200))
    name_ru = fields.String(required=True, validate=validate.Length(min=2, max=200))
    name_en = fields.String(required=True, validate=validate.Length(min=2, max=200))

    @post_load
    def command(self, data, **_kwargs) -> commands.AddServiceType:
        return commands.AddServiceType(**data)


class AuthoritySchema(Schema):
    district_code = fields.String(dump_only=True)
    name = fields.String()
    address = fields.String(allow_none=True)
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True)


class AuthorityUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=2, max=300))
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True, validate=validate.Length(max=50))

    @validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ValidationError("send at least one of: name, address, email, phone")

    @post_load
    def command(self, data, **_kwargs) -> commands.UpdateAuthority:
        return commands.UpdateAuthority(data)


class AuthorityQuerySchema(Schema):
    district_code = fields.String()


class ProviderCreateSchema(Schema):
    idno = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{13}$", error="IDNO must be exactly 13 digits"),
        metadata={"description": "State identification number (IDNO), 13 digits"},
    )
    legal_name = fields.String(required=True, validate=validate.Length(min=2, max=300))
    legal_form = fields.String(load_default="asociație obștească", validate=validate.Length(max=100))
    email = fields.Email(load_default=None)
    phone = fields.String(load_default=None, validate=validate.Length(max=50))
    address = fields.String(load_default=None, validate=validate.Length(max=300))
    districts_served = fields.List(fields.String(), load_default=list)
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), load_default=lambda: ["ro"])


class ProviderUpdateSchema(Schema):
    """Only the fields sent change; ``status`` is for operators, IDNO never changes."""

    legal_name = fields.String(validate=validate.Length(min=2, max=300))
    legal_form = fields.String(validate=validate.Length(min=2, max=100))
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True, validate=validate.Length(max=50))
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    districts_served = fields.List(fields.String())
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), validate=validate.Length(min=1))
    status = fields.String(validate=validate.OneOf(PROVIDER_STATUSES))

    @validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ValidationError("send at least one field to change")

    @post_load
    def command(self, data, **_kwargs) -> commands.UpdateProvider:
        return commands.UpdateProvider(data)


class AccreditationSchema(Schema):
    id = fields.Integer(dump_only=True)
    provider_id = fields.Integer(dump_only=True)
    service_type = fields.String(required=True)
    accrediting_body = fields.String(required=True, validate=validate.Length(min=2, max=200))
    certificate_number = fields.String(required=True, validate=validate.Length(min=1, max=60))
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    status = fields.String(dump_only=True)
    status_reason = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class ProviderSchema(ProviderCreateSchema):
    id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    accreditations = fields.List(fields.Nested(AccreditationSchema), dump_only=True)


class ProviderQuerySchema(Schema):
    idno = fields.String()
    district_code = fields.String(metadata={"description": "Providers serving this district"})
    service_type = fields.String(metadata={"description": "Providers with an active accreditation for it"})
    status = fields.String(validate=validate.OneOf(PROVIDER_STATUSES))


class RenewalSchema(Schema):
    valid_to = fields.Date(required=True, metadata={"description": "The new last valid day"})
    certificate_number = fields.String(validate=validate.Length(min=1, max=60))

    @post_load
    def command(self, data, **_kwargs) -> commands.RenewAccreditation:
        return commands.RenewAccreditation(**data)


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class OptionalReasonSchema(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(min=3, max=500))


class AccreditationQuerySchema(Schema):
    provider_id = fields.Integer(validate=AN_ID)
    service_type = fields.String()
    status = fields.String(validate=validate.OneOf(ACCREDITATION_STATUSES))


class ValidityQuerySchema(Schema):
    provider_id = fields.Integer(required=True, validate=AN_ID)
    service_type = fields.String(required=True)
    district_code = fields.String(required=True)
    on = fields.Date(load_default=None, metadata={"description": "The day asked about; today in Chișinău if absent"})


class ValiditySchema(Schema):
    provider_id = fields.Integer()
    service_type = fields.String()
    district_code = fields.String()
    on = fields.Date()
    valid = fields.Boolean()
    accreditation = fields.Nested(
        AccreditationSchema,
        allow_none=True,
        metadata={"description": "The accreditation covering the service that day, if any (even when not valid)"},
    )
    reasons = fields.List(fields.String(), metadata={"description": "Why not, when not valid"})


class ExpiryCheckSchema(Schema):
    checked_on = fields.Date()
    expired = fields.List(fields.Integer(), metadata={"description": "Accreditations expired by this run"})


class UserCreateSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=10, max=200))
    full_name = fields.String(load_default=None, validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    district_code = fields.String(load_default=None)
    provider_id = fields.Integer(load_default=None, validate=AN_ID)
    language = fields.String(load_default="ro", validate=validate.OneOf(LANGUAGES))

    @post_load
    def command(self, data, **_kwargs) -> commands.CreateUser:
        return commands.CreateUser(**data)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String(allow_none=True)
    role = fields.String()
    district_code = fields.String(allow_none=True)
    provider_id = fields.Integer(allow_none=True)
    language = fields.String()
    active = fields.Boolean()


class UserQuerySchema(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    district_code = fields.String()
    provider_id = fields.Integer(validate=AN_ID)
    active = fields.Boolean()


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1000))


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


# --- reference costs per beneficiary ---------------------------------------------------------------------------

CENT = Decimal("0.01")


def _two_places(value: Decimal) -> None:
    """At most two decimal places (marshmallow runs it even after the range refused a huge number)."""
    try:
        exact = value == value.quantize(CENT)
    except InvalidOperation:
        raise ValidationError("too large to be an amount in MDL") from None
    if not exact:
        raise ValidationError("at most two decimal places")


class ReferenceCostSchema(Schema):
    """A reference cost as the API answers it and reference_cost.set announces it."""

    service_type = fields.String()
    district_code = fields.String(metadata={"description": "District code, or '*' for the national value"})
    year = fields.Integer()
    amount = fields.String(metadata={"description": "Annual cost of one place in MDL, two decimals"})
    currency = fields.String()
    source = fields.String(metadata={"description": "The decision that set it"})
    version = fields.Integer()
    updated_at = fields.String(allow_none=True)


class ReferenceCostSetSchema(Schema):
    amount = fields.Decimal(
        required=True,
        as_string=True,
        validate=[validate.Range(min=CENT, max=Decimal("9999999999.99"), error="must be more than 0"), _two_places],
        metadata={"description": "Annual cost of one place in MDL (more than 0, two decimals)", "example": "9500.00"},
    )
    source = fields.String(
        required=True,
        validate=validate.Length(min=3, max=1000),
        metadata={
            "description": "The decision that set it (council decision, its number and date)",
            "example": "Decizia Consiliului raional Cahul nr. 5/12 din 14.11.2026",
        },
    )


class ReferenceCostQuerySchema(Schema):
    service_type = fields.String(metadata={"description": "Only this service type"})
    district_code = fields.String(metadata={"description": "Only this district ('*': the national values)"})
    year = fields.Integer(
        validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR), metadata={"description": "Only this year"}
    )
