"""Monitoring reports: the CSO files one per period; the authority accepts it (its milestone becomes payable)
or returns it with comments (the CSO files a new one; the returned report stays in the history).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.errors import Conflict, Forbidden, Invalid, NotFound
from services.contracting.adapters.orm_contracts import Contract, Milestone, MonitoringReport
from services.contracting.domain import contracts as contract_rules
from services.contracting.domain import milestones as schedule
from services.contracting.domain.report_standards import check_answers
from services.contracting.service_layer.base import Call, money, record, utc
from services.contracting.service_layer.commands import SubmitReport
from services.contracting.service_layer.contracts import get_contract, is_party, load_contract, payload

BENEFICIARIES = "beneficiaries_served"


def submit(call: Call, contract_id: int, filed: SubmitReport) -> MonitoringReport:
    """The provider's report for one period, once the period has begun; one standing report per period."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        if call.principal.provider_id != contract.provider_id:
            raise Forbidden("only the provider named in the contract files its reports")
        contract_rules.transition(contract.status, "report")
        milestone = _milestone(call, contract, filed.milestone_number)
        if call.now < utc(milestone.period_start):
            raise Invalid("milestone_number", f"period {milestone.number} has not begun yet")
        values = dict(filed.kpi_values)
        schedule.check_kpi_values(values, {k["code"] for k in contract.kpis})
        standards = [answer.as_dict() for answer in check_answers(contract.service_type, filed.standards)]
        if BENEFICIARIES in {k["code"] for k in contract.kpis}:
            values.setdefault(BENEFICIARIES, Decimal(filed.beneficiaries_served))
        report = MonitoringReport(
            contract_id=contract.id,
            milestone_id=milestone.id,
            provider_id=contract.provider_id,
            status=schedule.SUBMITTED,
            beneficiaries_served=filed.beneficiaries_served,
            kpi_values={code: str(value) for code, value in values.items()},
            narrative=filed.narrative,
            documents=list(filed.documents),
            standards=standards,
            submitted_by=call.actor,
            submitted_at=call.now,
        )
        _add(call, report, milestone)
        late = schedule.is_late(utc(milestone.report_due_at), call.now, call.now)
        fields = _report_fields(report, milestone, late=late)
        record(call, tender, "submit_report", payload(call, contract, **fields), "report.submitted")
        call.uow.commit()
        return report


def _milestone(call: Call, contract: Contract, number: int) -> Milestone:
    query = select(Milestone).where(Milestone.contract_id == contract.id, Milestone.number == number)
    milestone = call.uow.session.scalars(query).first()
    if milestone is None:
        raise Invalid("milestone_number", f"the contract has no period {number}")
    return milestone


def _add(call: Call, report: MonitoringReport, milestone: Milestone) -> None:
    standing = select(MonitoringReport.status).where(
        MonitoringReport.milestone_id == milestone.id,
        MonitoringReport.status.in_((schedule.SUBMITTED, schedule.ACCEPTED)),
    )
    status = call.uow.session.scalars(standing).first()
    refusal = Conflict(f"period {milestone.number} already has a report {status or 'standing'}", current_status=status)
    if status:
        raise refusal
    call.uow.session.add(report)
    try:
        call.uow.session.flush()
    except IntegrityError as exc:
        # The database's own guard (a partial unique index) should the tender lock ever be bypassed.
        raise refusal from exc


def _report_fields(report: MonitoringReport, milestone: Milestone, **extra) -> dict:
    """What every report.* event carries, with the standards' answers: notes included, for the parties' notices
    (the OCDS mapper publishes codes and statuses only)."""
    return {
        "report_id": report.id,
        "milestone_id": milestone.id,
        "milestone_number": milestone.number,
        "period_start": utc(milestone.period_start).isoformat(),
        "period_end": utc(milestone.period_end).isoformat(),
        "standards": list(report.standards or []),
        **extra,
    }


def decide(call: Call, contract_id: int, report_id: int, action: str, comments: str | None = None):
    """Accept (the period's milestone becomes payable) or return with comments."""
    with call.uow:
        tender, contract = load_contract(call, contract_id)
        report = call.uow.session.get(MonitoringReport, report_id)
        if report is None or report.contract_id != contract.id:
            raise NotFound(f"report {report_id} does not exist")
        report.status = schedule.report_transition(report.status, action)
        report.decided_by, report.decided_at, report.comments = call.actor, call.now, comments
        milestone = call.uow.session.get(Milestone, report.milestone_id)
        fields = _report_fields(report, milestone, comments=comments)
        kind = "accepted" if action == "accept" else "returned"
        record(call, tender, f"{action}_report", payload(call, contract, **fields), f"report.{kind}")
        if action == "accept":
            milestone.status, milestone.payable_at = schedule.PAYABLE, call.now
            due = _report_fields(report, milestone, amount=money(milestone.amount), currency="MDL")
            record(call, tender, "milestone_payable", payload(call, contract, **due), "milestone.payable")
        call.uow.commit()
        return report


def reports(call: Call, contract_id: int) -> list[MonitoringReport]:
    """Accepted reports are public; the parties, operators and flows also see those under review or returned."""
    contract = get_contract(call, contract_id)
    with call.uow:
        query = select(MonitoringReport).where(MonitoringReport.contract_id == contract.id)
        if not is_party(contract, call.principal):
            query = query.where(MonitoringReport.status == schedule.ACCEPTED)
        return list(call.uow.session.scalars(query.order_by(MonitoringReport.id)))


def report_views(call: Call, shown: list[MonitoringReport]) -> list[dict]:
    """The reports as the API shows them, each with its milestone's period."""
    with call.uow:
        return [report_view(report, call.uow.session.get(Milestone, report.milestone_id)) for report in shown]


def report_view(report: MonitoringReport, milestone: Milestone) -> dict:
    """A report with its period and the computed late flag."""
    due_at = utc(milestone.report_due_at)
    return {
        **{c.key: getattr(report, c.key) for c in MonitoringReport.__table__.columns},
        "milestone_number": milestone.number,
        "period_start": milestone.period_start,
        "period_end": milestone.period_end,
        "due_at": due_at,
        "late": schedule.is_late(due_at, utc(report.submitted_at), utc(report.submitted_at)),
        "standards": report.standards or [],
    }
