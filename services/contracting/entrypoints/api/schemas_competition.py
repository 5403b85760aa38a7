"""Request and response shapes of bids, the committee, scores, awards, ranking, complaints and the audit chain."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.contracting.entrypoints.api.schemas import AN_ID, CriterionSchema, UtcDateTime, money_field, two_places


class QualityAnswerSchema(Schema):
    criterion_id = fields.Integer(required=True, validate=AN_ID)
    answer = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class DocumentSchema(Schema):
    """Metadata of a document the bidder holds (the file itself is not uploaded here)."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    url = fields.Url(load_default=None, allow_none=True)
    sha256 = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    media_type = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    size_bytes = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))


class BidWriteSchema(Schema):
    lot_id = fields.Integer(required=True, validate=AN_ID)
    unit_price = money_field(required=True)
    places = fields.Integer(required=True, validate=validate.Range(min=1, max=100000))
    quality_text = fields.String(required=True, validate=validate.Length(min=1, max=50000))
    quality_answers = fields.List(fields.Nested(QualityAnswerSchema), load_default=list)
    documents = fields.List(fields.Nested(DocumentSchema), load_default=list, validate=validate.Length(max=50))


class BidSchema(Schema):
    id = fields.Integer()
    tender_id = fields.Integer()
    lot_id = fields.Integer()
    provider_id = fields.Integer()
    status = fields.String()
    unit_price = fields.Decimal(as_string=True)
    places = fields.Integer()
    price = fields.Decimal(as_string=True)
    quality_text = fields.String()
    quality_answers = fields.List(fields.Dict())
    documents = fields.List(fields.Dict())
    submitted_at = UtcDateTime()
    updated_at = UtcDateTime()
    receipt_sha256 = fields.String()
    needs_reconfirmation = fields.Boolean()
    eligible = fields.Boolean(allow_none=True)
    eligibility_reason = fields.String(allow_none=True)


class ReceiptSchema(Schema):
    sha256 = fields.String()
    received_at = UtcDateTime()


class BidReceiptSchema(Schema):
    bid = fields.Nested(BidSchema)
    receipt = fields.Nested(ReceiptSchema)


class BidListSchema(Schema):
    tender_id = fields.Integer()
    count = fields.Integer()
    bids = fields.List(fields.Nested(BidSchema))


class CommitteeAssignSchema(Schema):
    evaluators = fields.List(
        fields.String(validate=validate.Length(min=1, max=60)), required=True, validate=validate.Length(min=1, max=20)
    )


class MemberSchema(Schema):
    evaluator = fields.String()
    declaration = fields.String()
    declared_at = UtcDateTime(allow_none=True)


class BidderSchema(Schema):
    provider_id = fields.Integer()
    legal_name = fields.String(allow_none=True)


class CommitteeSchema(Schema):
    tender_id = fields.Integer()
    committee_size = fields.Integer()
    sitting = fields.Integer()
    scoring_blocked = fields.String(allow_none=True)
    members = fields.List(fields.Nested(MemberSchema))
    bidders = fields.List(fields.Nested(BidderSchema))


class DeclarationSchema(Schema):
    has_conflict = fields.Boolean(required=True)
    statement = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class ScoreWriteSchema(Schema):
    bid_id = fields.Integer(required=True, validate=AN_ID)
    criterion_id = fields.Integer(required=True, validate=AN_ID)
    score = fields.Decimal(required=True, as_string=True, validate=[validate.Range(min=0, max=100), two_places])
    justification = fields.String(required=True, validate=validate.Length(min=10, max=10000))


class ScoresWriteSchema(Schema):
    scores = fields.List(fields.Nested(ScoreWriteSchema), required=True, validate=validate.Length(min=1, max=1000))


class ScoreSchema(Schema):
    bid_id = fields.Integer()
    criterion_id = fields.Integer()
    evaluator = fields.String()
    score = fields.Decimal(as_string=True)
    justification = fields.String()
    scored_at = UtcDateTime()


class ScoresSchema(Schema):
    tender_id = fields.Integer()
    complete = fields.Boolean()
    scores_missing = fields.Integer()
    scores = fields.List(fields.Nested(ScoreSchema))


class AwardSchema(Schema):
    id = fields.Integer()
    lot_id = fields.Integer()
    bid_id = fields.Integer()
    provider_id = fields.Integer()
    rank = fields.Integer()
    places = fields.Integer()
    value = fields.Decimal(as_string=True)
    status = fields.String()
    created_at = UtcDateTime()
    cancelled_at = UtcDateTime(allow_none=True)
    cancellation_reason = fields.String(allow_none=True)


class EvaluatorScoreSchema(Schema):
    evaluator = fields.String()
    criterion_id = fields.Integer()
    score = fields.Decimal(as_string=True)
    justification = fields.String()


class RankedBidSchema(Schema):
    bid_id = fields.Integer()
    provider_id = fields.Integer()
    legal_name = fields.String(allow_none=True)
    rank = fields.Integer(allow_none=True)
    result = fields.String()
    reason = fields.String(allow_none=True)
    price = fields.Decimal(as_string=True)
    places = fields.Integer()
    total_score = fields.Decimal(as_string=True, allow_none=True)
    quality_total = fields.Decimal(as_string=True, allow_none=True)
    criterion_scores = fields.Dict(keys=fields.String(), values=fields.String())
    evaluator_scores = fields.List(fields.Nested(EvaluatorScoreSchema))


class LotRankingSchema(Schema):
    lot_id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    bids = fields.List(fields.Nested(RankedBidSchema))


class RankingSchema(Schema):
    tender_id = fields.Integer()
    decided_at = UtcDateTime()
    criteria = fields.List(fields.Nested(CriterionSchema))
    lots = fields.List(fields.Nested(LotRankingSchema))


class ComplaintCreateSchema(Schema):
    award_id = fields.Integer(load_default=None, allow_none=True, validate=AN_ID)
    title = fields.String(required=True, validate=validate.Length(min=5, max=300))
    description = fields.String(required=True, validate=validate.Length(min=10, max=20000))


class ResolutionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["upheld", "rejected"]))
    reasons = fields.String(required=True, validate=validate.Length(min=10, max=20000))


class ComplaintSchema(Schema):
    id = fields.Integer()
    award_id = fields.Integer(allow_none=True)
    provider_id = fields.Integer()
    title = fields.String()
    description = fields.String()
    status = fields.String()
    filed_at = UtcDateTime()
    resolution = fields.String(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)


class AuditEntrySchema(Schema):
    seq = fields.Integer()
    actor = fields.String()
    action = fields.String()
    at = UtcDateTime()
    payload_hash = fields.String()
    previous_hash = fields.String()
    entry_hash = fields.String()


class AuditSchema(Schema):
    tender_id = fields.Integer()
    intact = fields.Boolean()
    first_break = fields.Integer(allow_none=True)
    entries = fields.List(fields.Nested(AuditEntrySchema))
