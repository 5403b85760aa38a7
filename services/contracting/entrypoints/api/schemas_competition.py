"""Request and response shapes of bids, the committee, scores, awards, ranking, complaints and the audit chain."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.contracting.entrypoints.api.schemas import (
    AN_ID,
    CriterionSchema,
    UtcDateTime,
    as_command,
    money_field,
    two_places,
)
from services.contracting.service_layer.commands import LodgeComplaint, QualityAnswer, WriteBid


class QualityAnswerSchema(Schema):
    """The bid's answer to one quality criterion of the tender."""

    criterion_id = fields.Integer(
        required=True, validate=AN_ID, metadata={"description": "The id of a quality criterion of this tender"}
    )
    answer = fields.String(
        required=True,
        validate=validate.Length(min=1, max=20000),
        metadata={"description": "What the bid offers against that criterion (the evaluators score it 0-100)"},
    )
    to_command = as_command(QualityAnswer)


class DocumentSchema(Schema):
    """Metadata of a document the bidder holds (the file itself is not uploaded here)."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    url = fields.Url(load_default=None, allow_none=True)
    sha256 = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    media_type = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    size_bytes = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))


class BidWriteSchema(Schema):
    lot_id = fields.Integer(required=True, validate=AN_ID, metadata={"description": "A lot of this tender"})
    unit_price = money_field(
        required=True,
        metadata={
            "description": "MDL per place, for the lot's whole duration (not per month). The bid's price is "
            "unit_price x places, and may not exceed the lot's budget (the ceiling)"
        },
    )
    places = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=100000),
        metadata={"description": "Places offered, at most the lot's places"},
    )
    quality_text = fields.String(required=True, validate=validate.Length(min=1, max=50000))
    # Required, as the rule is: one answer per quality criterion of the tender (an empty list when it has none).
    quality_answers = fields.List(
        fields.Nested(QualityAnswerSchema),
        required=True,
        metadata={"description": "One answer for each quality criterion of the tender ([] when it has none)"},
    )
    documents = fields.List(fields.Nested(DocumentSchema), load_default=list, validate=validate.Length(max=50))
    to_command = as_command(WriteBid)


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
    """Proof of what was submitted and when (recompute it from the bid as read back and ``received_at``)."""

    sha256 = fields.String(
        metadata={
            "description": "SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the bid's tender_id, "
            "lot_id, provider_id, status, unit_price, places, price, quality_text, quality_answers and documents "
            "(each with its sha256), together with received_at as stated here"
        }
    )
    received_at = UtcDateTime(
        metadata={"description": "The server time of the write, read once the tender was locked (UTC)"}
    )


class BidReceiptSchema(Schema):
    bid = fields.Nested(BidSchema)
    receipt = fields.Nested(ReceiptSchema)


class BidListSchema(Schema):
    tender_id = fields.Integer()
    count = fields.Integer()
    bids = fields.List(fields.Nested(BidSchema))


class UserId(fields.Integer):
    """A registry user id, an integer as the registry serves it; a digit string is still taken (the API once asked
    for strings). Stored as the token's subject (a string): served back as the integer."""

    def __init__(self, **kwargs) -> None:
        super().__init__(validate=AN_ID, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        # Integer would also take 1.5 (as 1) and True (as 1): neither names a user.
        digits = isinstance(value, str) and value.isascii() and value.isdigit()
        if not digits and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str) and not value.isdigit():
            return value  # a member seated before ids were checked: shown as stored rather than failing the read
        return super()._serialize(value, attr, obj, **kwargs)


class CommitteeAssignSchema(Schema):
    evaluators = fields.List(UserId(required=True), required=True, validate=validate.Length(min=1, max=20))


class MemberSchema(Schema):
    evaluator = UserId()
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
    evaluator = UserId()
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
    accreditation_ends_before_contract = fields.Nested(
        "TermWarningSchema",
        allow_none=True,
        metadata={"description": "set when the winner's accreditation ends before the contract would (as decided)"},
    )


class TermWarningSchema(Schema):
    """Stored as decided (ISO-8601 strings): served as stored."""

    valid_until = fields.String(allow_none=True, metadata={"description": "last day of unbroken accreditation (date)"})
    contract_end = fields.String(metadata={"description": "when the contract this award makes would end (UTC)"})


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
    to_command = as_command(LodgeComplaint)


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
    actor = fields.String(metadata={"description": "the author, or 'bidder (sealed)' / 'asker (anonymous)'"})
    action = fields.String(metadata={"description": "'sealed_bid' for any bid's submit/modify/withdraw/re-confirm"})
    at = UtcDateTime(allow_none=True, metadata={"description": "null for a sealed bid entry"})
    payload_hash = fields.String()
    previous_hash = fields.String()
    entry_hash = fields.String()
    sealed = fields.Boolean(metadata={"description": "a bid's entry: author, time and kind withheld from every reader"})


class AuditSchema(Schema):
    tender_id = fields.Integer()
    intact = fields.Boolean()
    first_break = fields.Integer(allow_none=True)
    entries = fields.List(fields.Nested(AuditEntrySchema))
