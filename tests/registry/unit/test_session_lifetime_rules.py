"""A session's longest life: a refreshed token lives the usual TTL, but never past the session's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.registry.domain.sessions import SessionTooOld, refreshed_token_ttl

SIGNED_IN = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
TTL, LONGEST = 900, 12 * 3600


def test_early_in_the_session_a_refreshed_token_gets_the_full_ttl():
    assert refreshed_token_ttl(SIGNED_IN, SIGNED_IN + timedelta(hours=1), TTL, LONGEST) == TTL


def test_in_the_sessions_last_minutes_the_refreshed_token_ends_with_the_session():
    now = SIGNED_IN + timedelta(hours=12) - timedelta(minutes=5)
    assert refreshed_token_ttl(SIGNED_IN, now, TTL, LONGEST) == 300


@pytest.mark.parametrize("after", [timedelta(hours=12), timedelta(hours=12) - timedelta(milliseconds=500)])
def test_at_the_sessions_end_nothing_is_renewed_and_the_refusal_says_to_sign_in_again(after):
    with pytest.raises(SessionTooOld, match="more than 12 hours ago: sign in again"):
        refreshed_token_ttl(SIGNED_IN, SIGNED_IN + after, TTL, LONGEST)
