"""The tender state machine and its computed next_check, in plain Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import InvalidTransition
from services.contracting.domain import tender_status as ts

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DEADLINES = {"enquiry_end": NOW + timedelta(days=5), "submission_deadline": NOW + timedelta(days=15)}


def test_a_draft_can_only_be_published_or_cancelled():
    assert ts.allowed_actions(ts.DRAFT) == ["cancel", "publish"]
    assert ts.transition(ts.DRAFT, "publish") == ts.ENQUIRIES


def test_an_illegal_transition_names_the_current_status_and_the_allowed_ones():
    with pytest.raises(InvalidTransition) as refused:
        ts.transition(ts.DRAFT, "close_submissions")
    assert refused.value.details == {"current_status": "draft", "allowed_transitions": ["cancel", "publish"]}


def test_cancelled_and_complete_tenders_allow_nothing_more():
    assert ts.allowed_actions(ts.CANCELLED) == []
    assert ts.allowed_actions(ts.COMPLETE) == []


def test_next_check_during_enquiries_is_the_enquiry_end():
    check = ts.next_check(ts.ENQUIRIES, DEADLINES)
    assert (check.action, check.due_at) == ("end_enquiries", DEADLINES["enquiry_end"])


def test_nothing_is_due_before_the_enquiry_end():
    assert ts.due_transitions(ts.ENQUIRIES, DEADLINES, NOW) == []


def test_a_late_check_applies_every_missed_transition_in_order():
    late = NOW + timedelta(days=20)
    assert ts.due_transitions(ts.ENQUIRIES, DEADLINES, late) == ["end_enquiries", "close_submissions"]


def test_human_decisions_have_no_next_check():
    assert ts.next_check(ts.EVALUATION, DEADLINES) is None
    assert ts.next_check(ts.DRAFT, DEADLINES) is None
