"""/readyz says when something behind the API has stopped: a relay or worker that no longer goes round, events
waiting in the outbox. The API itself still serves, so the answer stays 200 and names what to look at."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from services.registry.adapters.orm import OutboxMessage


@pytest.fixture
def heartbeats(tmp_path, monkeypatch):
    directory = tmp_path / "heartbeat"
    directory.mkdir()
    monkeypatch.setenv("HEARTBEAT_DIR", str(directory))
    return directory


def _all_published(registry) -> None:
    with registry.context.session_factory() as session, session.begin():
        session.execute(update(OutboxMessage).values(published_at=datetime.now(UTC)))


def test_readyz_has_no_warnings_when_the_relay_beats_and_the_outbox_is_empty(registry, heartbeats):
    _all_published(registry)
    (heartbeats / "registry-relay").touch()
    answer = registry.client.get("/readyz")
    assert answer.status_code == 200
    assert "warnings" not in answer.get_json()


def test_readyz_names_a_relay_that_stopped_going_round_and_stays_200(registry, heartbeats):
    _all_published(registry)
    beat = heartbeats / "registry-relay"
    beat.touch()
    long_ago = time.time() - 300
    os.utime(beat, (long_ago, long_ago))
    answer = registry.client.get("/readyz")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "ready"
    assert "stopped or stuck" in body["warnings"]["registry-relay"]
    assert "300 s ago" in body["warnings"]["registry-relay"] or "301 s ago" in body["warnings"]["registry-relay"]


def test_readyz_says_when_committed_events_wait_for_the_relay(registry, heartbeats):
    _all_published(registry)
    with registry.context.session_factory() as session, session.begin():
        session.add(
            OutboxMessage(
                event_id="00000000-0000-4000-8000-000000000001",
                event_type="provider.registered",
                body="{}",
                created_at=datetime.now(UTC) - timedelta(minutes=5),
            )
        )
    answer = registry.client.get("/readyz")
    assert answer.status_code == 200
    warning = answer.get_json()["warnings"]["outbox"]
    assert "1 committed event(s) not yet on the bus" in warning
    assert "registry-relay" in warning
