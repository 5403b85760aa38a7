"""Renewal policy: when a contract is due for a decision, whether to renew or re-tender and why, and the
re-tender's timetable (lead time = enquiry + tendering + evaluation + standstill + signature margin).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

RENEW = "renew"
RETENDER = "re-tender"

PROPOSED = "proposed"
CONFIRMED = "confirmed"
DECLINED = "declined"


@dataclass(frozen=True)
class RenewalPolicy:
    notice_window: timedelta = timedelta(days=90)
    max_renewals: int = 2
    max_total_months: int = 60
    kpi_threshold_percent: Decimal = Decimal(90)
    evaluation_period: timedelta = timedelta(days=15)
    signature_margin: timedelta = timedelta(days=10)
    report_grace: timedelta = timedelta(days=15)


@dataclass(frozen=True)
class Kpi:
    code: str
    target: Decimal


@dataclass(frozen=True)
class Performance:
    """What the decision looks at: reports due and accepted, KPI values of accepted reports, renewals so far."""

    reports_due: int
    reports_due_accepted: int
    kpis: list[Kpi]
    accepted_values: list[dict[str, Decimal]]
    renewals_done: int
    total_months: int
    extension_months: int


@dataclass(frozen=True)
class Recommendation:
    action: str
    reasons: list[str]
    kpi_attainment_percent: Decimal | None
    renewals_left: int
    months_left: int
    checks: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class AccreditationCover:
    """How far the provider's accreditation for the contract's service reaches, against the renewed end."""

    service_type: str
    valid_until: date | None  # the last day of unbroken accreditation from today; None: not accredited today
    renewed_end: datetime  # when the contract would end if renewed now

    @property
    def covers(self) -> bool:
        # The contract serves up to, not including, its end: the day before a midnight end is the last one.
        last_day = (self.renewed_end - timedelta(microseconds=1)).date()
        return self.valid_until is not None and self.valid_until >= last_day


def accreditation_refusal(cover: AccreditationCover) -> str | None:
    """Why a renewal may not be made for want of accreditation (a new one must come first), or None."""
    if cover.covers:
        return None
    renewed = cover.renewed_end.isoformat()
    if cover.valid_until is None:
        return (
            f"the provider is not accredited for {cover.service_type} today: the contract, renewed to {renewed}, "
            "needs a new accreditation first"
        )
    return (
        f"the provider's accreditation for {cover.service_type} ends {cover.valid_until.isoformat()}, before the "
        f"renewed contract would end ({renewed}): a renewal needs a new accreditation covering the whole term"
    )


def in_notice_window(policy: RenewalPolicy, end_at: datetime, now: datetime) -> bool:
    return now < end_at <= now + policy.notice_window


def kpi_attainment(kpis: list[Kpi], accepted_values: list[dict[str, Decimal]]) -> Decimal | None:
    """The weakest KPI's mean value over accepted reports as a share of its target (each capped at 100%)."""
    shares = []
    for kpi in kpis:
        values = [v[kpi.code] for v in accepted_values if kpi.code in v]
        if not values:
            return None
        if kpi.target <= 0:
            shares.append(Decimal(100))
            continue
        mean = sum(values, Decimal(0)) / len(values)
        shares.append(min(Decimal(100), mean * 100 / kpi.target))
    return min(shares).quantize(Decimal("0.01")) if shares else None


def recommend(
    policy: RenewalPolicy, facts: Performance, accreditation: AccreditationCover | None = None
) -> Recommendation:
    """Renew only when every due report is accepted, KPIs meet the threshold, the limits leave room and (when
    known) the provider's accreditation covers the renewed term."""
    attainment = kpi_attainment(facts.kpis, facts.accepted_values)
    renewals_left = max(0, policy.max_renewals - facts.renewals_done)
    months_left = max(0, policy.max_total_months - facts.total_months)
    checks = {
        "reports_accepted": facts.reports_due_accepted == facts.reports_due,
        "kpi_threshold_met": attainment is not None and attainment >= policy.kpi_threshold_percent,
        "renewals_left": renewals_left > 0,
        "duration_left": months_left > 0,
    }
    reasons = _reasons(policy, facts, attainment, renewals_left, months_left, checks)
    if accreditation is not None:
        checks["accreditation_covers_renewal"] = accreditation.covers
        reasons.append(accreditation_refusal(accreditation) or _covered(accreditation))
    action = RENEW if all(checks.values()) else RETENDER
    return Recommendation(action, reasons, attainment, renewals_left, months_left, checks)


def _reasons(policy, facts, attainment, renewals_left, months_left, checks) -> list[str]:
    accepted = f"{facts.reports_due_accepted} of {facts.reports_due} due report(s) accepted"
    kpi = (
        "no accepted report with KPI values yet"
        if attainment is None
        else f"KPI attainment {attainment}% (threshold {policy.kpi_threshold_percent}%)"
    )
    return [
        ("" if checks["reports_accepted"] else "not ") + "all due reports accepted: " + accepted,
        ("" if checks["kpi_threshold_met"] else "below threshold: ") + kpi,
        f"{renewals_left} of {policy.max_renewals} renewal(s) left",
        f"{months_left} of {policy.max_total_months} month(s) of total duration left",
    ]


def _covered(cover: AccreditationCover) -> str:
    return (
        f"accreditation for {cover.service_type} valid until {cover.valid_until.isoformat()} covers the renewed "
        f"term (to {cover.renewed_end.isoformat()})"
    )


def extension_months(policy: RenewalPolicy, requested: int | None, original_months: int, total_months: int) -> int:
    """The renewal's length: as asked (or the original term), never past the maximum total duration."""
    return min(requested or original_months, policy.max_total_months - total_months)


def hard_limits(policy: RenewalPolicy, renewals_done: int, total_months: int, months: int) -> str | None:
    """Why no renewal of ``months`` is possible at all, or None."""
    if renewals_done >= policy.max_renewals:
        return f"the contract has been renewed {renewals_done} time(s); the policy allows {policy.max_renewals}"
    if months <= 0 or total_months + months > policy.max_total_months:
        return f"the total duration would pass the maximum of {policy.max_total_months} month(s)"
    return None


@dataclass(frozen=True)
class RetenderPlan:
    enquiry_end: datetime
    submission_deadline: datetime
    contract_ready_at: datetime
    planned_contract_start: datetime
    lead_time: timedelta
    on_time: bool


def retender_plan(
    policy: RenewalPolicy, min_enquiry: timedelta, min_tendering: timedelta, standstill: timedelta, now, old_end
) -> RetenderPlan:
    """The quickest lawful timetable from now; on time when the new contract can be signed by the old one's end."""
    enquiry_end = now + min_enquiry
    submission_deadline = enquiry_end + min_tendering
    ready_at = submission_deadline + policy.evaluation_period + standstill + policy.signature_margin
    lead_time = ready_at - now
    return RetenderPlan(enquiry_end, submission_deadline, ready_at, old_end, lead_time, ready_at <= old_end)


def expected_ready_at(policy: RenewalPolicy, standstill: timedelta, status_facts: dict[str, datetime | None]):
    """When a tender in progress can have its contract signed at the earliest, from where it stands now."""
    if status_facts.get("standstill_end"):
        return status_facts["standstill_end"] + policy.signature_margin
    return status_facts["submission_deadline"] + policy.evaluation_period + standstill + policy.signature_margin
