"""A CSO's contract as its pages show it: each reporting period's state (upcoming, due, overdue, under review,
returned, accepted), which periods a report may be filed for now, and whether the CSO still has to sign.

Contracting's rules, read from its answers: a report is filed for a period once the period has begun; one report
stands per period (submitted or accepted); a returned report is answered by a new one; reports are taken while the
contract is active, and after it expired or was terminated (for the periods served).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.portal.domain.deadlines import parse_moment

UPCOMING = "upcoming"
DUE = "due"
OVERDUE = "overdue"
UNDER_REVIEW = "under_review"
RETURNED = "returned"
ACCEPTED = "accepted"

REPORTING_CONTRACT_STATUSES = ("active", "expired", "terminated")
PROVIDER_SIDE = "provider"


@dataclass(frozen=True)
class Period:
    """One milestone of the contract: a reporting period, its payment and its report's state."""

    number: int
    period_start: datetime
    period_end: datetime
    report_due_at: datetime
    amount: Decimal
    state: str
    late: bool

    @property
    def needs_report(self) -> bool:
        return self.state in (DUE, OVERDUE, RETURNED)


def period_state(milestone: dict, now: datetime) -> str:
    report_status = milestone.get("report_status")
    if milestone.get("status") == "payable" or report_status == "accepted":
        return ACCEPTED
    if report_status == "submitted":
        return UNDER_REVIEW
    if report_status == "returned":
        return RETURNED
    if now < parse_moment(milestone["period_start"]):
        return UPCOMING
    return OVERDUE if now > parse_moment(milestone["report_due_at"]) else DUE


def periods(contract: dict, now: datetime) -> list[Period]:
    # Before both sides sign, no report is owed yet: a period that has begun is still shown as upcoming.
    reporting = takes_reports(contract)
    return [
        Period(
            number=int(milestone["number"]),
            period_start=parse_moment(milestone["period_start"]),
            period_end=parse_moment(milestone["period_end"]),
            report_due_at=parse_moment(milestone["report_due_at"]),
            amount=Decimal(str(milestone.get("amount") or "0")),
            state=period_state(milestone, now) if reporting else UPCOMING,
            late=bool(milestone.get("late")),
        )
        for milestone in sorted(contract.get("milestones") or [], key=lambda m: m["number"])
    ]


def takes_reports(contract: dict) -> bool:
    return contract.get("status") in REPORTING_CONTRACT_STATUSES


def fileable_periods(contract: dict, now: datetime) -> list[Period]:
    """The periods a report may be filed for now (none while the contract does not take reports)."""
    if not takes_reports(contract):
        return []
    return [period for period in periods(contract, now) if period.needs_report]


def next_report_due(contract: dict, now: datetime) -> Period | None:
    """The earliest period still waiting for a report (overdue ones come first by their number)."""
    waiting = fileable_periods(contract, now)
    return waiting[0] if waiting else None


def overdue_count(contract: dict, now: datetime) -> int:
    if not takes_reports(contract):
        return 0
    return sum(1 for period in periods(contract, now) if period.state == OVERDUE)


def awaits_our_signature(contract: dict) -> bool:
    """The contract may still be signed and the CSO's side has not signed yet."""
    signed = ((contract.get("signatures") or {}).get(PROVIDER_SIDE) or {}).get("signed_at")
    return "sign" in (contract.get("allowed_actions") or []) and not signed


def newest_first(reports: list[dict]) -> list[dict]:
    return sorted(reports, key=lambda report: (report.get("submitted_at") or "", report.get("id") or 0), reverse=True)


def kpis_to_report(contract: dict) -> list[dict]:
    """The contract's KPIs the report form asks for: beneficiaries served has its own field (contracting fills the
    KPI of that name from it)."""
    return [kpi for kpi in contract.get("kpis") or [] if kpi.get("code") != "beneficiaries_served"]


@dataclass(frozen=True)
class ContractSummary:
    """What the list of a CSO's contracts says of each: what it must do next."""

    contract: dict
    next_report: Period | None
    overdue: int
    awaits_signature: bool


# Contracts needing the CSO first: to sign, then in force, then the ended ones.
LIST_ORDER = {"pending": 0, "active": 1}


def summaries(contracts: list[dict], now: datetime) -> list[ContractSummary]:
    listed = [
        ContractSummary(
            contract, next_report_due(contract, now), overdue_count(contract, now), awaits_our_signature(contract)
        )
        for contract in contracts
    ]
    return sorted(listed, key=lambda item: (LIST_ORDER.get(item.contract.get("status"), 2), -int(item.contract["id"])))
