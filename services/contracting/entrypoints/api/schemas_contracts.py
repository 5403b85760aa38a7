"""Request and response shapes of contracts, milestones, monitoring reports, amendments, renewals and coverage."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.quality_standards import STATUSES
from services.common.web import MAX_ID
from services.contracting.domain.report_standards import StandardAnswer
from services.contracting.entrypoints.api.schemas import AN_ID, TenderSchema, UtcDateTime, as_command, money_field
from services.contracting.entrypoints.api.schemas_competition import DocumentSchema
from services.contracting.service_layer.commands import (
    AmendContract,
    CreateContracts,
    EditContract,
    Kpi,
    ProposeRenewal,
    SubmitReport,
    WrittenMilestone,
)

FREQUENCY = fields.String(validate=validate.OneOf(["monthly", "quarterly"]))
MONEY_OUT = {"as_string": True, "allow_none": True}


def positive_number(**kwargs) -> fields.Decimal:
    return fields.Decimal(as_string=True, validate=validate.Range(min=0, max=10**9), **kwargs)


class KpiSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,59}$"))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    target = fields.Decimal(
        as_string=True, required=True, validate=validate.Range(min=0, max=10**9, min_inclusive=False)
    )
    unit = fields.String(load_default="", validate=validate.Length(max=40))
    to_command = as_command(Kpi)


def kpi_list(**kwargs) -> fields.List:
    return fields.List(fields.Nested(KpiSchema), validate=validate.Length(min=1, max=20), **kwargs)


class ContractsCreateSchema(Schema):
    start_at = fields.AwareDateTime(load_default=None)
    milestone_frequency = FREQUENCY
    kpis = kpi_list()
    to_command = as_command(CreateContracts)


class MilestoneWriteSchema(Schema):
    period_start = fields.AwareDateTime(required=True)
    period_end = fields.AwareDateTime(required=True)
    amount = money_field(required=True)
    to_command = as_command(WrittenMilestone)


class ContractEditSchema(Schema):
    reason = fields.String(validate=validate.Length(min=5, max=5000))
    start_at = fields.AwareDateTime()
    milestone_frequency = FREQUENCY
    kpis = kpi_list()
    milestones = fields.List(fields.Nested(MilestoneWriteSchema), validate=validate.Length(min=1, max=240))

    @validates_schema
    def not_empty(self, data, **_kwargs):
        if not {"start_at", "milestone_frequency", "kpis", "milestones"} & data.keys():
            raise ValidationError("change at least one of start_at, milestone_frequency, kpis, milestones", "start_at")

    to_command = as_command(EditContract)


class MilestoneSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    period_start = UtcDateTime()
    period_end = UtcDateTime()
    report_due_at = UtcDateTime()
    amount = fields.Decimal(**MONEY_OUT)
    status = fields.String()
    payable_at = UtcDateTime(allow_none=True)
    report_status = fields.String(allow_none=True)
    late = fields.Boolean()


class SignatureSchema(Schema):
    signed_by = fields.String(allow_none=True)
    signed_at = UtcDateTime(allow_none=True)


class ContractSchema(Schema):
    id = fields.Integer()
    ocid = fields.String()
    tender_id = fields.Integer()
    award_id = fields.Integer()
    lot_id = fields.Integer()
    provider_id = fields.Integer()
    district_code = fields.String()
    service_type = fields.String()
    title = fields.String()
    status = fields.String()
    places = fields.Integer()
    unit_price = fields.Decimal(**MONEY_OUT)
    value = fields.Decimal(**MONEY_OUT)
    currency = fields.String()
    start_at = UtcDateTime()
    end_at = UtcDateTime()
    total_months = fields.Integer()
    renewals = fields.Integer()
    milestone_frequency = fields.String()
    kpis = fields.List(fields.Dict())
    version = fields.Integer()
    signatures = fields.Dict(keys=fields.String(), values=fields.Nested(SignatureSchema))
    activated_at = UtcDateTime(allow_none=True)
    ended_at = UtcDateTime(allow_none=True)
    end_reason = fields.String(allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema))
    allowed_actions = fields.List(fields.String())


class ContractListQuerySchema(Schema):
    district_code = fields.String()
    service_type = fields.String()
    status = fields.String()
    provider_id = fields.Integer(validate=AN_ID)
    tender_id = fields.Integer(validate=AN_ID)


class ContractVersionSchema(Schema):
    version = fields.Integer()
    kind = fields.String()
    reason = fields.String()
    changes = fields.Dict()
    terms = fields.Dict()
    created_by = fields.String()
    created_at = UtcDateTime()


class ReasonTextSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=5, max=5000))


class DueContractsSchema(Schema):
    expired = fields.List(fields.Integer())
    expiring = fields.List(fields.Integer())


class StandardAnswerSchema(Schema):
    """One answer of the service type's minimum quality standards checklist (a note is required unless met)."""

    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2,4}-[0-9]{2}$"))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    to_command = as_command(StandardAnswer)


class ReportCreateSchema(Schema):
    # Matched against a 32-bit column: a bigger number names no period and would overflow the driver.
    milestone_number = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    beneficiaries_served = fields.Integer(required=True, validate=validate.Range(min=0, max=10**6))
    kpi_values = fields.Dict(keys=fields.String(), values=positive_number(), load_default=dict)
    narrative = fields.String(required=True, validate=validate.Length(min=10, max=50000))
    documents = fields.List(fields.Nested(DocumentSchema), load_default=list, validate=validate.Length(max=50))
    # Every standard of the contract's service type, once each: the use case checks it against the checklist.
    standards = fields.List(fields.Nested(StandardAnswerSchema), required=True, validate=validate.Length(min=1, max=50))
    to_command = as_command(SubmitReport)


class ReportSchema(Schema):
    id = fields.Integer()
    contract_id = fields.Integer()
    milestone_id = fields.Integer()
    milestone_number = fields.Integer()
    period_start = UtcDateTime()
    period_end = UtcDateTime()
    due_at = UtcDateTime()
    late = fields.Boolean()
    provider_id = fields.Integer()
    status = fields.String()
    beneficiaries_served = fields.Integer()
    kpi_values = fields.Dict()
    narrative = fields.String()
    documents = fields.List(fields.Dict())
    standards = fields.List(fields.Nested(StandardAnswerSchema), dump_default=list)
    submitted_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)
    comments = fields.String(allow_none=True)


class CommentsSchema(Schema):
    comments = fields.String(required=True, validate=validate.Length(min=5, max=10000))


class ContractAmendmentSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=5, max=5000))
    places = fields.Integer(validate=validate.Range(min=1, max=100000))
    value = money_field()
    extend_months = fields.Integer(validate=validate.Range(min=1, max=120))
    to_command = as_command(AmendContract)


class ProposalCreateSchema(Schema):
    months = fields.Integer(load_default=None, validate=validate.Range(min=1, max=120))
    reason = fields.String(load_default=None, validate=validate.Length(max=5000))
    to_command = as_command(ProposeRenewal)


class DecisionSchema(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(min=5, max=5000))


class RecommendationSchema(Schema):
    action = fields.String()
    reasons = fields.List(fields.String())
    kpi_attainment_percent = fields.String(allow_none=True)
    renewals_left = fields.Integer()
    months_left = fields.Integer()
    checks = fields.Dict(keys=fields.String(), values=fields.Boolean())


class ProposalSchema(Schema):
    id = fields.Integer()
    contract_id = fields.Integer()
    status = fields.String()
    months = fields.Integer()
    recommendation = fields.Nested(RecommendationSchema)
    proposed_by = fields.String()
    proposed_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)
    reason = fields.String(allow_none=True)


class RenewalDueSchema(Schema):
    contract = fields.Nested(ContractSchema)
    recommendation = fields.Nested(RecommendationSchema)
    proposal = fields.Nested(ProposalSchema, allow_none=True)


class RetenderSchema(Schema):
    tender = fields.Nested(TenderSchema)
    created = fields.Boolean()
    predecessor_contract_id = fields.Integer()
    predecessor_ocid = fields.String()
    planned_contract_start = UtcDateTime()
    contract_ready_at = UtcDateTime(allow_none=True)
    on_time = fields.Boolean(allow_none=True)


class SuccessorSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    ready_at = UtcDateTime()


class CoverageEntrySchema(Schema):
    district_code = fields.String()
    service_type = fields.String()
    contract_id = fields.Integer()
    tender_id = fields.Integer()
    provider_id = fields.Integer()
    provider_name = fields.String(allow_none=True)
    status = fields.String()
    places = fields.Integer()
    start_at = UtcDateTime()
    end_at = UtcDateTime()
    days_left = fields.Integer()
    covered = fields.Boolean()
    successor = fields.Nested(SuccessorSchema, allow_none=True)
    risk = fields.String()


class CoverageQuerySchema(Schema):
    district_code = fields.String(validate=validate.Regexp(r"^MD-[A-Z]{2}$"))
    service_type = fields.String(validate=validate.Length(min=2, max=60))


class AlertRaisedSchema(Schema):
    contract_id = fields.Integer()
    threshold_days = fields.Integer()


class ContinuityCheckSchema(Schema):
    checked = fields.Integer()
    entries = fields.List(fields.Nested(CoverageEntrySchema))
    raised = fields.List(fields.Nested(AlertRaisedSchema))
    restored = fields.List(fields.Integer())
