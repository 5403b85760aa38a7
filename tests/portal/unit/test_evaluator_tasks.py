"""What an evaluator's task list makes of the calls that name them: the state of each, the due date, the order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.portal.domain import evaluator_tasks as tasks

DEADLINE = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def tender(tender_id=5, deadline=DEADLINE, applied="active.evaluation", criteria=1) -> dict:
    quality = [
        {"id": 10 + n, "number": n + 2, "kind": "quality", "name": f"Q{n}", "weight": 30} for n in range(criteria)
    ]
    return {
        "id": tender_id,
        "status": "active.evaluation",
        "applied_status": applied,
        "submission_deadline": deadline.isoformat(),
        "criteria": [{"id": 1, "number": 1, "kind": "price", "name": "Preț", "weight": 40}, *quality],
    }


def committee(mine="undeclared", blocked=None) -> dict:
    return {
        "members": [{"evaluator": 31, "declaration": mine}, {"evaluator": 32, "declaration": "clear"}],
        "scoring_blocked": blocked,
    }


def scores(*pairs, complete=False) -> dict:
    return {
        "complete": complete,
        "scores": [{"evaluator": who, "bid_id": b, "criterion_id": c, "score": "50"} for who, b, c in pairs],
    }


def test_a_call_that_does_not_name_them_is_no_task():
    assert tasks.task_for(tender(), committee(), 99) is None
    assert tasks.declaration_of(committee("clear"), 31) == "clear"
    assert tasks.declaration_of({"members": [{"evaluator": "31", "declaration": None}]}, 31) == "undeclared"


def test_the_due_date_is_the_deadline_plus_the_evaluation_period():
    assert tasks.due_at(tender()) == DEADLINE + timedelta(days=15)
    assert tasks.due_at(tender(), timedelta(days=3)) == DEADLINE + timedelta(days=3)
    assert tasks.due_at({"submission_deadline": None}) is None


def test_what_each_call_waits_for():
    assert tasks.task_for(tender(applied="active.tendering"), committee(), 31).state == tasks.OPENING
    assert tasks.task_for(tender(), committee(), 31).state == tasks.DECLARE
    assert tasks.task_for(tender(), committee("conflict"), 31).state == tasks.OFF_COMMITTEE
    started = tasks.task_for(tender(criteria=2), committee("clear"), 31, scores((31, 1, 10), (32, 1, 11)), bid_count=2)
    assert (started.state, started.scored, started.needed) == (tasks.SCORE, 1, 4)
    blocked = tasks.task_for(tender(), committee("clear", blocked="short"), 31, scores(), bid_count=2)
    assert (blocked.state, blocked.scoring_blocked) == (tasks.BLOCKED, "short")
    done = tasks.task_for(tender(), committee("clear"), 31, scores((31, 1, 10), (31, 2, 10)), bid_count=2)
    assert done.state == tasks.SUBMITTED
    final = tasks.task_for(tender(), committee("clear"), 31, scores(complete=True), bid_count=2)
    assert final.state == tasks.FINAL


def test_after_the_award_decision_a_member_who_scored_sees_the_call_as_done():
    decided = {**tender(), "status": "active.standstill", "applied_status": "active.standstill"}
    assert tasks.task_for(decided, committee("clear"), 31).state == tasks.FINAL
    assert tasks.task_for(decided, committee("conflict"), 31).state == tasks.OFF_COMMITTEE
    assert tasks.task_for(decided, committee(), 31) is None


def test_a_sheet_with_nothing_to_score_is_not_submitted():
    assert tasks.task_for(tender(), committee("clear"), 31, scores(), bid_count=0).state == tasks.SCORE


def test_tasks_come_oldest_first_and_split_into_to_do_and_done():
    later = tasks.task_for(tender(1, DEADLINE + timedelta(days=2)), committee(), 31)
    sooner = tasks.task_for(tender(2, DEADLINE), committee(), 31)
    same_day = tasks.task_for(tender(3, DEADLINE), committee(), 31)
    off = tasks.task_for(tender(4), committee("conflict"), 31)
    undated = tasks.Task({"id": 9}, tasks.SCORE, None)
    to_do, done = tasks.ordered([later, undated, same_day, off, sooner])
    assert [t.tender_id for t in to_do] == [2, 3, 1, 9]
    assert [t.tender_id for t in done] == [4]


def test_overdue_only_while_there_is_something_to_do():
    task = tasks.task_for(tender(), committee(), 31)
    assert task.is_overdue(DEADLINE + timedelta(days=16))
    assert not task.is_overdue(DEADLINE + timedelta(days=14))
    assert not tasks.task_for(tender(), committee("conflict"), 31).is_overdue(DEADLINE + timedelta(days=30))


def test_only_quality_criteria_are_scored_in_their_order():
    record = tender(criteria=3)
    record["criteria"].reverse()
    assert [c["id"] for c in tasks.quality_criteria(record)] == [10, 11, 12]
