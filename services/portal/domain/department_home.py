"""A district department's home: its calls by stage, each with its next deadline and what waits on the department,
its contracts in force with what they wait for, and the services whose continuity is at risk.

Everything is read from contracting's answers (calls, questions, committee, complaints, contracts, renewals due,
coverage); nothing is remembered here. What waits is a code with a number or a moment: the page words it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.portal.domain import contracts_view
from services.portal.domain.deadlines import parse_moment

DRAFT = "draft"
ENQUIRIES = "active.enquiries"
TENDERING = "active.tendering"
EVALUATION = "active.evaluation"
STANDSTILL = "active.standstill"
CONTRACTING = "active.contract_pending"
STAGES = (DRAFT, ENQUIRIES, TENDERING, EVALUATION, STANDSTILL, CONTRACTING)
FINISHED = ("complete", "unsuccessful", "cancelled")
# A committee may be named until scoring is over (contracting's ASSIGNABLE)
COMMITTEE_STAGES = (DRAFT, ENQUIRIES, TENDERING, EVALUATION)

# What waits on the department (the page words each)
TO_PUBLISH = "to_publish"
QUESTIONS_UNANSWERED = "questions_unanswered"
COMMITTEE_NOT_NAMED = "committee_not_named"
COMMITTEE_SHORT = "committee_short"
EVALUATION_RUNNING = "evaluation_running"
STANDSTILL_ENDS = "standstill_ends"
COMPLAINTS_TO_RULE = "complaints_to_rule"
CONTRACTS_TO_MAKE = "contracts_to_make"
SIGNATURE_NEEDED = "signature_needed"
REPORT_OVERDUE = "report_overdue"
REPORT_TO_REVIEW = "report_to_review"
RENEWAL_PROPOSED = "renewal_proposed"
RENEWAL_DUE = "renewal_due"
# Which deadline comes next (the page words it)
QUESTIONS_UNTIL = "questions_until"
BIDS_UNTIL = "bids_until"
COMPLAINTS_UNTIL = "complaints_until"

NO_RISK = "none"
RISK_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
AUTHORITY_SIDE = "authority"


@dataclass(frozen=True)
class Waiting:
    what: str
    count: int = 0
    moment: str | None = None
    number: int | None = None  # a reporting period's number


@dataclass(frozen=True)
class CallFacts:
    """What the department's own reads say of one call beyond the call itself (None: not asked or refused)."""

    unanswered_questions: int = 0
    committee: dict | None = None
    bids_count: int | None = None
    pending_complaints: int = 0


@dataclass(frozen=True)
class CallRow:
    call: dict
    next_deadline: tuple[str, str] | None
    waiting: list[Waiting]
    bids_count: int | None = None

    @property
    def tender_id(self) -> int:
        return int(self.call["id"])


@dataclass(frozen=True)
class ContractRow:
    contract: dict
    waiting: list[Waiting]


@dataclass(frozen=True)
class Risk:
    entry: dict

    @property
    def level(self) -> str:
        return self.entry.get("risk") or NO_RISK

    @property
    def successor(self) -> dict | None:
        return self.entry.get("successor")


@dataclass
class Board:
    stages: list[tuple[str, list[CallRow]]]
    finished: list[CallRow]
    contracts: list[ContractRow]
    risks: list[Risk]
    waiting_total: int = field(default=0)


def next_deadline(call: dict) -> tuple[str, str] | None:
    status = call.get("status")
    if status in (DRAFT, ENQUIRIES) and call.get("enquiry_end"):
        return QUESTIONS_UNTIL, call["enquiry_end"]
    if status == TENDERING and call.get("submission_deadline"):
        return BIDS_UNTIL, call["submission_deadline"]
    if status == STANDSTILL and call.get("standstill_end"):
        return COMPLAINTS_UNTIL, call["standstill_end"]
    return None


def committee_waiting(committee: dict | None) -> Waiting | None:
    if committee is None:
        return None
    members = committee.get("members") or []
    size = int(committee.get("committee_size") or 0)
    sitting = committee.get("sitting")
    sitting = len(members) if sitting is None else int(sitting)
    if not members:
        return Waiting(COMMITTEE_NOT_NAMED, size)
    if sitting < size:
        return Waiting(COMMITTEE_SHORT, size - sitting)
    return None


def call_waiting(call: dict, facts: CallFacts) -> list[Waiting]:
    status = call.get("status")
    waiting: list[Waiting] = []
    if status == DRAFT:
        waiting.append(Waiting(TO_PUBLISH))
    if status in (ENQUIRIES, TENDERING) and facts.unanswered_questions:
        waiting.append(Waiting(QUESTIONS_UNANSWERED, facts.unanswered_questions))
    if status in COMMITTEE_STAGES:
        committee = committee_waiting(facts.committee)
        if committee is not None:
            waiting.append(committee)
    if status == EVALUATION:
        waiting.append(Waiting(EVALUATION_RUNNING))
    if status == STANDSTILL:
        waiting.append(Waiting(STANDSTILL_ENDS, moment=call.get("standstill_end")))
    if status in (STANDSTILL, CONTRACTING) and facts.pending_complaints:
        waiting.append(Waiting(COMPLAINTS_TO_RULE, facts.pending_complaints))
    if status == CONTRACTING:
        waiting.append(Waiting(CONTRACTS_TO_MAKE))
    return waiting


def contract_waiting(contract: dict, renewal: dict | None, now: datetime) -> list[Waiting]:
    """``renewal``: the contract's entry in GET /renewals/due (None when it is not in the notice window)."""
    waiting: list[Waiting] = []
    signed = ((contract.get("signatures") or {}).get(AUTHORITY_SIDE) or {}).get("signed_at")
    if contract.get("status") == "pending" and not signed:
        waiting.append(Waiting(SIGNATURE_NEEDED))
    for milestone in sorted(contract.get("milestones") or [], key=lambda m: m.get("number") or 0):
        if not contracts_view.takes_reports(contract):
            break
        state = contracts_view.period_state(milestone, now)
        if state == contracts_view.OVERDUE:
            waiting.append(Waiting(REPORT_OVERDUE, number=milestone.get("number")))
        elif state == contracts_view.UNDER_REVIEW:
            waiting.append(Waiting(REPORT_TO_REVIEW, number=milestone.get("number")))
    if renewal is not None:
        proposal = renewal.get("proposal")
        if proposal and proposal.get("status") == "proposed":
            waiting.append(Waiting(RENEWAL_PROPOSED, count=int(proposal.get("months") or 0)))
        else:
            waiting.append(Waiting(RENEWAL_DUE, moment=contract.get("end_at")))
    return waiting


def _deadline_key(row: CallRow) -> tuple:
    moment = parse_moment(row.next_deadline[1]) if row.next_deadline else None
    return (moment is None, moment.timestamp() if moment else 0, -row.tender_id)


def build_board(
    calls: list[dict],
    facts: dict[int, CallFacts],
    contracts: list[dict],
    renewals_due: list[dict],
    coverage: list[dict],
    now: datetime,
) -> Board:
    rows = []
    for call in calls:
        found = facts.get(int(call["id"]), CallFacts())
        rows.append(CallRow(call, next_deadline(call), call_waiting(call, found), found.bids_count))
    stages = []
    for stage in STAGES:
        in_stage = sorted((row for row in rows if row.call.get("status") == stage), key=_deadline_key)
        if stage == DRAFT:
            in_stage.sort(key=lambda row: -row.tender_id)
        stages.append((stage, in_stage))
    finished = sorted((row for row in rows if row.call.get("status") in FINISHED), key=lambda row: -row.tender_id)
    renewal_by_contract = {int(entry["contract"]["id"]): entry for entry in renewals_due if entry.get("contract")}
    contract_rows = [
        ContractRow(contract, contract_waiting(contract, renewal_by_contract.get(int(contract["id"])), now))
        for contract in sorted(contracts, key=lambda c: (c.get("end_at") or "", c.get("id") or 0))
        if contract.get("status") in ("pending", "active")
    ]
    risks = sorted(
        (Risk(entry) for entry in coverage if (entry.get("risk") or NO_RISK) != NO_RISK),
        key=lambda risk: (RISK_ORDER.get(risk.level, 9), risk.entry.get("end_at") or ""),
    )
    total = sum(len(row.waiting) for row in rows) + sum(len(row.waiting) for row in contract_rows)
    return Board(stages, finished, contract_rows, risks, total)
