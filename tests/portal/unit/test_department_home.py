"""A department's home board: calls by stage with their next deadline and what waits on the department, contracts
with what they wait for, and the continuity risks, worst first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.portal.domain import department_home as home
from services.portal.domain.department_home import CallFacts, Waiting

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def at(days: float) -> str:
    return (NOW + timedelta(days=days)).isoformat()


def call(tender_id: int, status: str, **changes) -> dict:
    return {"id": tender_id, "status": status, "enquiry_end": at(3), "submission_deadline": at(10), **changes}


def committee(members: int, size: int = 3, conflicts: int = 0) -> dict:
    rows = [{"evaluator": n, "declaration": "clear"} for n in range(members)]
    return {"committee_size": size, "sitting": members - conflicts, "members": rows}


def test_each_stage_says_what_waits_on_the_department():
    assert home.call_waiting(call(1, "draft"), CallFacts(committee=committee(0))) == [
        Waiting(home.TO_PUBLISH),
        Waiting(home.COMMITTEE_NOT_NAMED, 3),
    ]
    facts = CallFacts(unanswered_questions=3, committee=committee(3))
    assert home.call_waiting(call(2, "active.enquiries"), facts) == [Waiting(home.QUESTIONS_UNANSWERED, 3)]
    short = CallFacts(committee=committee(3, conflicts=1))
    assert home.call_waiting(call(3, "active.tendering"), short) == [Waiting(home.COMMITTEE_SHORT, 1)]
    standstill = call(4, "active.standstill", standstill_end=at(2))
    assert home.call_waiting(standstill, CallFacts(pending_complaints=2)) == [
        Waiting(home.STANDSTILL_ENDS, moment=at(2)),
        Waiting(home.COMPLAINTS_TO_RULE, 2),
    ]
    assert home.call_waiting(call(5, "active.contract_pending"), CallFacts()) == [Waiting(home.CONTRACTS_TO_MAKE)]
    assert home.call_waiting(call(6, "complete"), CallFacts()) == []


def test_an_unknown_committee_is_not_reported_as_missing():
    assert home.committee_waiting(None) is None
    assert home.call_waiting(call(1, "active.tendering"), CallFacts(committee=None)) == []


def test_the_next_deadline_follows_the_stage():
    assert home.next_deadline(call(1, "active.enquiries")) == (home.QUESTIONS_UNTIL, at(3))
    assert home.next_deadline(call(1, "active.tendering")) == (home.BIDS_UNTIL, at(10))
    assert home.next_deadline(call(1, "active.standstill", standstill_end=at(1))) == (home.COMPLAINTS_UNTIL, at(1))
    assert home.next_deadline(call(1, "active.evaluation")) is None


def milestone(number: int, due_days: float, report_status=None, start_days: float = -40) -> dict:
    return {
        "number": number,
        "period_start": at(start_days),
        "period_end": at(due_days - 5),
        "report_due_at": at(due_days),
        "status": "pending",
        "report_status": report_status,
    }


def test_a_contract_waits_for_signature_reports_and_renewal_decisions():
    unsigned = {"id": 1, "status": "pending", "signatures": {"provider": {"signed_at": at(-1)}}}
    assert home.contract_waiting(unsigned, None, NOW) == [Waiting(home.SIGNATURE_NEEDED)]
    active = {
        "id": 2,
        "status": "active",
        "end_at": at(60),
        "milestones": [milestone(1, -2), milestone(2, 5, "submitted"), milestone(3, 30, start_days=10)],
    }
    proposal = {"contract": active, "proposal": {"status": "proposed", "months": 12}}
    assert home.contract_waiting(active, proposal, NOW) == [
        Waiting(home.REPORT_OVERDUE, number=1),
        Waiting(home.REPORT_TO_REVIEW, number=2),
        Waiting(home.RENEWAL_PROPOSED, count=12),
    ]
    due = {"contract": active, "proposal": None}
    assert home.contract_waiting(active, due, NOW)[-1] == Waiting(home.RENEWAL_DUE, moment=at(60))


def test_the_board_orders_stages_by_deadline_and_risks_worst_first():
    calls = [
        call(1, "active.tendering", submission_deadline=at(9)),
        call(2, "active.tendering", submission_deadline=at(2)),
        call(3, "draft"),
        call(4, "draft"),
        call(5, "cancelled"),
    ]
    coverage = [
        {"contract_id": 1, "risk": "low", "end_at": at(100)},
        {"contract_id": 2, "risk": "none", "end_at": at(10)},
        {"contract_id": 3, "risk": "critical", "end_at": at(20)},
        {"contract_id": 4, "risk": "critical", "end_at": at(5)},
    ]
    contracts = [
        {"id": 9, "status": "active", "end_at": at(300), "milestones": []},
        {"id": 8, "status": "expired", "end_at": at(-3)},
    ]
    board = home.build_board(calls, {}, contracts, [], coverage, NOW)
    stages = dict(board.stages)
    assert [row.tender_id for row in stages["active.tendering"]] == [2, 1]
    assert [row.tender_id for row in stages["draft"]] == [4, 3]
    assert [row.tender_id for row in board.finished] == [5]
    assert [risk.entry["contract_id"] for risk in board.risks] == [4, 3, 1]
    assert [row.contract["id"] for row in board.contracts] == [9]
    assert board.waiting_total == 2  # both drafts wait to be published
