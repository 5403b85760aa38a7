"""Request and response shapes of the registry API (marshmallow; the OpenAPI document comes from these)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

ROLES = ("operator", "authority", "evaluator", "cso", "service")
LANGUAGES = ("ro", "ru", "en")


class LabelSchema(Schema):
    code = fields.String(required=True)
    name_ro = fields.String(required=True)
    name_ru = fields.String(required=True)
    name_en = fields.String(required=True)


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
    districts_served = fields.List(fields.String(), load_default=list)
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), load_default=lambda: ["ro"])


class AccreditationSchema(Schema):
    id = fields.Integer(dump_only=True)
    provider_id = fields.Integer(dump_only=True)
    service_type = fields.String(required=True)
    accrediting_body = fields.String(required=True, validate=validate.Length(min=2, max=200))
    certificate_number = fields.String(required=True, validate=validate.Length(min=1, max=60))
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    status = fields.String(dump_only=True)


class ProviderSchema(ProviderCreateSchema):
    id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    accreditations = fields.List(fields.Nested(AccreditationSchema), dump_only=True)


class ProviderQuerySchema(Schema):
    idno = fields.String()


class UserCreateSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=10, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    district_code = fields.String(load_default=None)
    provider_id = fields.Integer(load_default=None)
    language = fields.String(load_default="ro", validate=validate.OneOf(LANGUAGES))


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    district_code = fields.String(allow_none=True)
    provider_id = fields.Integer(allow_none=True)
    language = fields.String()


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
