"""The change feed on PostgreSQL under concurrent writers: positions are gap-free and commit in order, so a
reader following the cursor while they write misses nothing and sees nothing twice."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from services.common.migrations import upgrade
from services.contracting.adapters.orm_public import PublicChange
from services.contracting.entrypoints.api import create_app
from services.contracting.service_layer import publication
from tests.clock import Clock
from tests.contracting.conftest import START, Driver, seed_market

pytestmark = pytest.mark.postgres

WRITERS = 4
QUESTIONS_EACH = 8


@pytest.fixture
def pg_app(postgres_database, brokerless_bus_url, token_mint):
    upgrade("contracting", postgres_database)
    clock = Clock(START)
    app = create_app(
        {"DATABASE_URL": postgres_database, "BUS_URL": brokerless_bus_url},
        token_verifier=token_mint.verifier,
        clock=clock,
    )
    seed_market(app)
    yield app, clock
    app.extensions["service_context"].engine.dispose()


@pytest.fixture
def slow_commits(monkeypatch):
    """Hold each writer between taking its positions and committing, so an unordered feed would show."""
    take = publication._next_positions

    def slow(session, count):
        first = take(session, count)
        time.sleep(0.01)
        return first

    monkeypatch.setattr(publication, "_next_positions", slow)


def published_tenders(app, clock, tokens) -> list[Driver]:
    drivers = []
    for _ in range(WRITERS):
        driver = Driver(app, clock, tokens)
        driver.publish()
        drivers.append(driver)
    return drivers


def writer(driver: Driver, provider_id: int, errors: list):
    client = driver.app.test_client()

    def run():
        for number in range(QUESTIONS_EACH):
            body = {"question": f"Întrebarea {number} despre apelul {driver.tender['id']}"}
            response = client.post(f"{driver.url}/questions", json=body, headers=driver.tokens.cso[provider_id])
            if response.status_code != 201:
                errors.append(response.json)

    return run


def follow(app, stop: threading.Event, seen: list[dict]):
    client = app.test_client()

    def run():
        cursor = 0
        while True:
            # Only a read that began after the last writer finished may end the reading.
            writers_done = stop.is_set()
            page = client.get(f"/api/v1/feed?cursor={cursor}&limit=5").json
            seen.extend(page["changes"])
            cursor = page["next_cursor"]
            if writers_done and not page["has_more"] and not page["changes"]:
                return

    return run


def test_a_reader_racing_concurrent_writers_sees_every_change_once_in_commit_order(pg_app, tokens, slow_commits):
    app, clock = pg_app
    drivers = published_tenders(app, clock, tokens)
    errors: list = []
    seen: list[dict] = []
    stop = threading.Event()
    reader = threading.Thread(target=follow(app, stop, seen))
    writers = [threading.Thread(target=writer(d, p, errors)) for d, p in zip(drivers, (5, 6, 7, 8), strict=True)]
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=60)
    stop.set()
    reader.join(timeout=60)
    assert errors == []
    total = WRITERS + WRITERS * QUESTIONS_EACH
    assert [change["position"] for change in seen] == list(range(1, total + 1))
    with app.extensions["service_context"].session_factory() as session:
        stored = list(session.scalars(select(PublicChange.event_id).order_by(PublicChange.position)))
    assert [change["release"]["id"] for change in seen] == stored
    for driver in drivers:
        ours = [c["release"] for c in seen if c["tender_id"] == driver.tender["id"] and c["tags"] == ["tenderUpdate"]]
        asked = [int(r["tender"]["enquiries"][0]["id"]) for r in ours]
        assert asked == sorted(asked) and len(asked) == QUESTIONS_EACH
