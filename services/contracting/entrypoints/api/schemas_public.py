"""Request and response shapes of the public side: OCDS packages, the change feed, public views, exports, and
audit verification."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.contracting.entrypoints.api.schemas import UtcDateTime, two_places
from services.contracting.service_layer.exports import CALL_SORTS

DISTRICT = validate.Regexp(r"^MD-[A-Z]{2}$", error="a district code such as MD-CU")
OCDS_TENDER_STATUSES = ["planned", "active", "cancelled", "unsuccessful", "complete", "withdrawn"]
# Feed positions are 64-bit columns: a cursor beyond names no position and would overflow the driver (a 500).
MAX_POSITION = 2**63 - 1


class CursorQuerySchema(Schema):
    cursor = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_POSITION))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class ReleasesQuerySchema(CursorQuerySchema):
    ocid = fields.String(validate=validate.Length(min=3, max=120))
    date_from = fields.AwareDateTime()
    date_to = fields.AwareDateTime()

    @validates_schema
    def period_in_order(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] >= data["date_to"]:
            raise ValidationError("date_to must be after date_from", "date_to")


class RecordQuerySchema(Schema):
    ocid = fields.String(required=True, validate=validate.Length(min=3, max=120))


class FeedChangeSchema(Schema):
    position = fields.Integer()
    event_type = fields.String()
    ocid = fields.String()
    tender_id = fields.Integer(allow_none=True)
    district_code = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    release_id = fields.String()
    date = UtcDateTime()
    release = fields.Dict()


class FeedSchema(Schema):
    changes = fields.List(fields.Nested(FeedChangeSchema))
    cursor = fields.Integer()
    next_cursor = fields.Integer()
    has_more = fields.Boolean()
    next = fields.String(allow_none=True)


def budget_bound() -> fields.Decimal:
    """A budget bound in MDL (a JSON-style string or number), exact to the ban like the lots' budgets."""
    within = validate.Range(min=Decimal("0"), max=Decimal("999999999999999.99"))
    return fields.Decimal(validate=[within, two_places])


class CallsQuerySchema(Schema):
    """The public search: every filter is optional and they combine (AND); bounds are inclusive."""

    district_code = fields.String(validate=DISTRICT)
    status = fields.String(validate=validate.OneOf(OCDS_TENDER_STATUSES))
    service_type = fields.String(validate=validate.Length(min=2, max=60))
    budget_min = budget_bound()
    budget_max = budget_bound()
    deadline_from = fields.AwareDateTime()
    deadline_to = fields.AwareDateTime()
    # Case-insensitive text in the title; blank means no text filter (a search box left empty).
    q = fields.String(validate=validate.Length(max=200))
    sort = fields.String(load_default="newest", validate=validate.OneOf(list(CALL_SORTS)))

    @validates_schema
    def bounds_in_order(self, data, **_kwargs):
        for low, high in (("budget_min", "budget_max"), ("deadline_from", "deadline_to")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                raise ValidationError(f"{high} must not be before {low}", high)


class CallSummarySchema(Schema):
    ocid = fields.String()
    tender_id = fields.Integer(allow_none=True)
    district_code = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    first_published = UtcDateTime(attribute="first_date")
    releases = fields.Integer(attribute="release_count")
    service_type = fields.String(allow_none=True)
    budget_amount = fields.Decimal(as_string=True, allow_none=True, metadata={"description": "MDL, two decimals"})
    currency = fields.String(allow_none=True)
    submission_deadline = UtcDateTime(allow_none=True)
    lot_count = fields.Integer()


class CallSchema(CallSummarySchema):
    compiled_release = fields.Dict(attribute="compiled")


class ClarificationSchema(Schema):
    id = fields.String()
    question = fields.String(allow_none=True)
    asked_at = fields.String(allow_none=True)
    answer = fields.String(allow_none=True)
    answered_at = fields.String(allow_none=True)


class ExportQuerySchema(Schema):
    district_code = fields.String(validate=DISTRICT)
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class AwardRowSchema(Schema):
    """One award in the export (money as a string of MDL with two decimals)."""

    ocid = fields.String()
    tender_id = fields.Integer(allow_none=True)
    district_code = fields.String(allow_none=True)
    buyer = fields.String(allow_none=True)
    tender_title = fields.String(allow_none=True)
    award_id = fields.String()
    status = fields.String(allow_none=True)
    date = fields.String(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    supplier_idno = fields.String(allow_none=True)
    places = fields.Integer(allow_none=True)
    amount = fields.String(allow_none=True)
    currency = fields.String(allow_none=True)


class ContractRowSchema(Schema):
    ocid = fields.String()
    tender_id = fields.Integer(allow_none=True)
    district_code = fields.String(allow_none=True)
    buyer = fields.String(allow_none=True)
    contract_id = fields.String()
    award_id = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    date_signed = fields.String(allow_none=True)
    start_date = fields.String(allow_none=True)
    end_date = fields.String(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    supplier_idno = fields.String(allow_none=True)
    amount = fields.String(allow_none=True)
    currency = fields.String(allow_none=True)
    reports_accepted = fields.Integer()


def export_doc(rows: Schema) -> dict:
    """An export answers its rows as JSON, or (format=csv) the same rows as text/csv."""
    content = {"application/json": {"schema": rows}, "text/csv": {"schema": {"type": "string"}}}
    return {"responses": {"200": {"description": "The rows, as JSON or CSV", "content": content}}}


class PublicContractsQuerySchema(Schema):
    district_code = fields.String(validate=DISTRICT)
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class PublicContractSchema(Schema):
    ocid = fields.String()
    tender_id = fields.Integer(allow_none=True)
    district_code = fields.String(allow_none=True)
    supplier = fields.Dict(allow_none=True)
    contract = fields.Dict()
    accepted_reports = fields.List(fields.Dict())


class BrokenLinkSchema(Schema):
    seq = fields.Integer()
    action = fields.String()
    at = UtcDateTime(allow_none=True)
    problem = fields.String()


class UnanchoredSchema(Schema):
    position = fields.Integer()
    event_type = fields.String()
    payload_hash = fields.String()


class VerificationSchema(Schema):
    tender_id = fields.Integer()
    intact = fields.Boolean()
    entries = fields.Integer()
    head_hash = fields.String(allow_none=True)
    first_broken = fields.Nested(BrokenLinkSchema, allow_none=True)
    unanchored = fields.List(fields.Nested(UnanchoredSchema))
    summary = fields.Method("_summary")

    def _summary(self, verification) -> str:
        return verification.summary()
