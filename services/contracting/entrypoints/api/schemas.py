"""Request and response shapes of the contracting API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class TenderCreateSchema(Schema):
    district_code = fields.String(required=True, validate=validate.Regexp(r"^MD-[A-Z]{2}$"))
    service_type = fields.String(required=True, validate=validate.Length(min=2, max=60))
    title = fields.String(required=True, validate=validate.Length(min=5, max=300))
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    enquiry_end = fields.AwareDateTime(required=True, default_timezone=None)
    submission_deadline = fields.AwareDateTime(required=True)


class NextCheckSchema(Schema):
    action = fields.String()
    due_at = fields.AwareDateTime()


class TenderSchema(Schema):
    id = fields.Integer()
    ocid = fields.String()
    district_code = fields.String()
    service_type = fields.String()
    title = fields.String()
    description = fields.String()
    status = fields.String()
    enquiry_end = fields.AwareDateTime()
    submission_deadline = fields.AwareDateTime()
    published_at = fields.AwareDateTime(allow_none=True)
    next_check = fields.Nested(NextCheckSchema, allow_none=True)
    allowed_actions = fields.List(fields.String())


class TenderListQuerySchema(Schema):
    district_code = fields.String()
    service_type = fields.String()
    status = fields.String()


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
