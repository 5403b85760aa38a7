"""The delivery state machine: exponential backoff, dead after N failures, operator retry, no illegal moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import InvalidTransition
from services.notifications.domain import delivery_status as status

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_retries_wait_twice_as_long_after_each_failure_up_to_the_cap():
    waits = [status.next_attempt_at(NOW, attempts, 30, 3600) - NOW for attempts in range(1, 10)]
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert waits[-1] == timedelta(hours=1)


def test_a_delivery_is_given_up_once_its_attempts_are_spent():
    assert status.after_failure(4, max_attempts=5) == "fail"
    assert status.after_failure(5, max_attempts=5) == "give_up"
    assert status.transition(status.SENDING, "give_up") == status.DEAD


def test_dead_and_failed_deliveries_may_be_retried_but_sent_ones_may_not():
    assert status.transition(status.DEAD, "retry") == status.QUEUED
    assert status.transition(status.FAILED, "retry") == status.QUEUED
    with pytest.raises(InvalidTransition) as refused:
        status.transition(status.SENT, "retry")
    assert refused.value.allowed == []


def test_held_email_is_either_bundled_into_a_digest_or_released():
    assert status.transition(status.HELD, "digest") == status.DIGESTED
    assert status.transition(status.HELD, "release") == status.QUEUED
    with pytest.raises(InvalidTransition):
        status.transition(status.HELD, "claim")
