"""Request and response shapes of the public side: OCDS packages, the change feed, public views, exports, and
audit verification."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.contracting.entrypoints.api.schemas import UtcDateTime, two_places
from services.contracting.service_layer.exports import CALL_SORTS

DISTRICT = validate.Regexp(r"^MD-[A-Z]{2}$", error="a district code such as MD-CU")
WHEN = "2026-12-10T15:00:00Z"
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


# The registry's shape of a service code (a NUL byte would reach PostgreSQL, which refuses it with a 500).
SERVICE_CODE = validate.Regexp(r"^[a-z][a-z0-9-]{1,59}$", error="a service code such as home-care")
PRINTABLE = validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="must not contain control characters")
# Instants far outside the platform's life overflow on their way to UTC (year 1 at +01:00): a 422, not a 500.
IN_SERVICE = validate.Range(
    min=datetime(2000, 1, 1, tzinfo=UTC), max=datetime(2100, 1, 1, tzinfo=UTC), error="must be between {min} and {max}"
)


def budget_bound(description: str, example: str) -> fields.Decimal:
    """A budget bound in MDL (a JSON-style string or number), exact to the ban like the lots' budgets."""
    within = validate.Range(min=Decimal("0"), max=Decimal("999999999999999.99"))
    return fields.Decimal(as_string=True, validate=[within, two_places], metadata=described(description, example))


def described(description: str, example: object = None) -> dict:
    return {"description": description} if example is None else {"description": description, "example": example}


class CallsQuerySchema(Schema):
    """The public search: every filter is optional and they combine (AND); bounds are inclusive."""

    district_code = fields.String(validate=DISTRICT)
    status = fields.String(validate=validate.OneOf(OCDS_TENDER_STATUSES))
    service_type = fields.String(validate=SERVICE_CODE)
    budget_min = budget_bound("Only calls whose total budget (MDL, sum of the lots) is at least this", "100000.00")
    budget_max = budget_bound("Only calls whose total budget (MDL, sum of the lots) is at most this", "500000.00")
    deadline_from = fields.AwareDateTime(
        validate=IN_SERVICE,
        metadata=described("Only calls whose submission deadline is at or after this (ISO 8601 with offset)", WHEN),
    )
    deadline_to = fields.AwareDateTime(
        validate=IN_SERVICE,
        metadata=described("Only calls whose submission deadline is at or before this (ISO 8601 with offset)", WHEN),
    )
    # Blank means no text filter (a search box left empty).
    q = fields.String(
        validate=[validate.Length(max=200), PRINTABLE],
        metadata=described("Only calls whose title contains this text, in any case", "îngrijire"),
    )
    sort = fields.String(
        load_default="newest",
        validate=validate.OneOf(list(CALL_SORTS)),
        metadata=described(
            "Order: newest (first published, default), deadline (soonest first, none last), budget_desc or "
            "budget_asc (calls without a budget last)"
        ),
    )

    @validates_schema
    def bounds_in_order(self, data, **_kwargs):
        for low, high, word in (("budget_min", "budget_max", "below"), ("deadline_from", "deadline_to", "before")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                raise ValidationError(f"{high} must not be {word} {low}", high)


class CallSummarySchema(Schema):
    ocid = fields.String()
    tender_id = fields.Integer(allow_none=True)
    district_code = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    first_published = UtcDateTime(attribute="first_date")
    releases = fields.Integer(attribute="release_count")
    service_type = fields.String(allow_none=True)
    budget_amount = fields.Decimal(
        as_string=True, allow_none=True, metadata=described("Total budget of the call's lots in MDL, 2 decimals")
    )
    currency = fields.String(allow_none=True)
    submission_deadline = UtcDateTime(allow_none=True, metadata=described("When bids close (UTC)"))
    lot_count = fields.Integer(metadata=described("How many lots the call has"))


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
