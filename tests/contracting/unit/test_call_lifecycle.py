"""The call's lifecycle as one object: the standstill, its complaints, the making of contracts and completion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Conflict, InvalidTransition
from services.contracting.domain import tender_status as ts
from services.contracting.domain.call_lifecycle import CallLifecycle, may_be_held

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ENDED = {"enquiry_end": NOW - timedelta(days=20), "submission_deadline": NOW - timedelta(days=10)}


def in_standstill(ends_in: timedelta, complaints: tuple[int, ...] = ()) -> CallLifecycle:
    return CallLifecycle(ts.STANDSTILL, {**ENDED, "standstill_end": NOW + ends_in}, complaints)


def test_the_standstill_ends_by_the_clock_when_no_complaint_is_open():
    lifecycle = in_standstill(-timedelta(minutes=1))
    assert lifecycle.due_transitions(NOW) == ["end_standstill"]
    assert lifecycle.status_at(NOW) == ts.CONTRACT_PENDING


def test_an_open_complaint_holds_the_standstill_end_although_it_is_due():
    lifecycle = in_standstill(-timedelta(minutes=1), complaints=(7,))
    assert lifecycle.due_transitions(NOW) == []
    assert lifecycle.status_at(NOW) == ts.STANDSTILL
    assert lifecycle.next_transition(NOW) is None


def test_contracts_wait_for_the_standstill_to_end_and_say_when_it_does():
    lifecycle = in_standstill(timedelta(days=2))
    with pytest.raises(InvalidTransition) as refused:
        lifecycle.check_contracts_may_be_made()
    assert "the standstill ends" in str(refused.value)
    assert refused.value.details["current_status"] == ts.STANDSTILL


def test_an_open_complaint_blocks_contracts_even_after_the_standstill():
    lifecycle = CallLifecycle(ts.CONTRACT_PENDING, ENDED, open_complaint_ids=(3, 5))
    with pytest.raises(Conflict) as refused:
        lifecycle.check_contracts_may_be_made()
    assert refused.value.details == {"complaint_ids": [3, 5]}


def test_contracts_may_be_made_once_the_call_awaits_them():
    CallLifecycle(ts.CONTRACT_PENDING, ENDED).check_contracts_may_be_made()
    CallLifecycle(ts.COMPLETE, ENDED).check_contracts_may_be_made()


def test_complaints_are_taken_only_while_the_standstill_runs():
    in_standstill(timedelta(hours=1)).check_complaint_window(NOW)
    with pytest.raises(Conflict, match=r"only during the standstill$"):
        in_standstill(-timedelta(seconds=1)).check_complaint_window(NOW)
    with pytest.raises(Conflict) as refused:
        CallLifecycle(ts.EVALUATION, ENDED).check_complaint_window(NOW)
    assert refused.value.details == {"current_status": ts.EVALUATION}


def test_the_call_completes_when_every_active_award_has_a_contract_in_force():
    awaiting = CallLifecycle(ts.CONTRACT_PENDING, ENDED)
    assert awaiting.completed_by([1, 2], [(1, "active"), (2, "active")])
    assert awaiting.completed_by([1], [(1, "active"), (9, "cancelled")])
    assert not awaiting.completed_by([1, 2], [(1, "active")]), "an award still without a contract"
    assert not awaiting.completed_by([1], [(1, "pending")]), "a contract not yet signed by both sides"
    assert not awaiting.completed_by([], [(9, "cancelled")]), "nothing in force"
    assert not in_standstill(timedelta(days=1)).completed_by([1], [(1, "active")])


def test_only_the_standstill_can_be_held_by_a_complaint():
    assert may_be_held(ts.STANDSTILL)
    assert not any(may_be_held(status) for status in ts.STATUSES if status != ts.STANDSTILL)
