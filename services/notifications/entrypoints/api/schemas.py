"""Request and response shapes of the notifications API."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.notifications.domain.delivery_status import STATUSES
from services.notifications.domain.preferences import LANGUAGES
from services.notifications.domain.routing import CHANNELS

LANGUAGE = validate.OneOf(LANGUAGES, error="unknown language {input!r}; choose one of: {choices}")
CHANNEL = validate.OneOf(CHANNELS, error="unknown channel {input!r}; channels are: {choices}")
DISTRICT_CODE = validate.Regexp(r"^MD-[A-Z]{2}$", error="a district code looks like MD-CU (ISO 3166-2:MD)")


class UtcDateTime(fields.AwareDateTime):
    """Times leave with their UTC offset even when SQLite handed them back naive (all stored times are UTC)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class DeliveryQuerySchema(Schema):
    event_type = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    correlation_id = fields.String()
    channel = fields.String(validate=CHANNEL)
    recipient = fields.String()


class DeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.String()
    event_type = fields.String()
    correlation_id = fields.String(allow_none=True)
    recipient = fields.String()
    channel = fields.String()
    address = fields.String(allow_none=True)
    language = fields.String()
    priority = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    body = fields.String(allow_none=True)
    created_at = UtcDateTime()
    sent_at = UtcDateTime(allow_none=True)
    next_attempt_at = UtcDateTime(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)
    digest_id = fields.Integer(allow_none=True)


class InboxQuerySchema(Schema):
    unread = fields.Boolean(load_default=False)


class InboxMessageSchema(Schema):
    id = fields.Integer()
    event_id = fields.String()
    event_type = fields.String()
    correlation_id = fields.String(allow_none=True)
    subject = fields.String()
    body = fields.String()
    created_at = UtcDateTime()
    read_at = UtcDateTime(allow_none=True)


class UnreadCountSchema(Schema):
    recipient = fields.String()
    unread = fields.Integer()


class MarkedSchema(Schema):
    marked = fields.Integer()


class PreferencesUpdateSchema(Schema):
    language = fields.String(allow_none=True, validate=LANGUAGE)
    digest = fields.Boolean()
    channels = fields.Dict(keys=fields.String(validate=CHANNEL), values=fields.Boolean())
    events = fields.Dict(
        keys=fields.String(validate=validate.Length(min=3, max=100)),
        values=fields.Dict(keys=fields.String(validate=CHANNEL), values=fields.Boolean()),
    )

    @validates_schema
    def something_to_change(self, data, **_kwargs):
        # A PUT with no body (or {}) once answered 200 and changed nothing: the caller's mistake went unseen.
        if not data:
            raise ValidationError(f"the body is required: give at least one of {', '.join(self.fields)}")


class PreferencesSchema(Schema):
    recipient = fields.String()
    language = fields.String(allow_none=True)
    digest = fields.Boolean()
    channels = fields.Dict(keys=fields.String(), values=fields.Boolean())
    events = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Boolean()))
    legal_notices = fields.List(fields.String(), metadata={"description": "always delivered, whatever is switched off"})


class WebhookCreateSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(min=8, max=500))
    event_types = fields.List(fields.String(validate=validate.Length(min=3, max=100)), load_default=list)
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    active = fields.Boolean(load_default=True)


class WebhookUpdateSchema(Schema):
    url = fields.String(validate=validate.Length(min=8, max=500))
    event_types = fields.List(fields.String(validate=validate.Length(min=3, max=100)))
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    active = fields.Boolean()


class WebhookSchema(Schema):
    id = fields.Integer()
    provider_id = fields.Integer()
    url = fields.String()
    event_types = fields.List(fields.String())
    description = fields.String(allow_none=True)
    active = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class WebhookWithSecretSchema(WebhookSchema):
    secret = fields.String(metadata={"description": "shown only now: sign-check X-SSCP-Signature with it"})


class PingResultSchema(Schema):
    ok = fields.Boolean()
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)


class ContactUpdateSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=200))
    language = fields.String(load_default=None, allow_none=True, validate=LANGUAGE)


class ContactSchema(Schema):
    district_code = fields.String()
    email = fields.String()
    language = fields.String()
    updated_at = UtcDateTime()
    updated_by = fields.String()
