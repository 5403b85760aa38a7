"""Bid writes racing the deadline, on SQLite and PostgreSQL: the time that decides 'before the deadline' (and
that the receipt and the audit entry show) is read once the tender's lock is held, so a write that waited for the
lock past the deadline is refused, and no receipt claims a time earlier than writes committed before it."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_evaluation import Bid
from services.contracting.domain.canonical import sha256_of
from services.contracting.entrypoints.api import create_app
from services.contracting.service_layer.base import utc
from tests.clock import Clock
from tests.contracting.conftest import START, Driver, seed_market

BID_ACTIONS = ("submit_bid", "modify_bid", "withdraw_bid", "reconfirm_bid")


class RunningClock(Clock):
    """A movable clock that can also run in real time from a chosen moment (the race needs time to pass)."""

    def __init__(self) -> None:
        super().__init__(START)
        self.offset: timedelta | None = None

    def run_from(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now if self.offset is None else datetime.now(UTC) + self.offset


@pytest.fixture
def racing(any_database_url, brokerless_bus_url, token_mint, tokens) -> Driver:
    clock = RunningClock()
    config = {"DATABASE_URL": any_database_url, "BUS_URL": brokerless_bus_url}
    app = create_app(config, token_verifier=token_mint.verifier, clock=clock)
    seed_market(app)
    driver = Driver(app, clock, tokens)
    driver.publish()
    return driver


def deadline_of(driver: Driver) -> datetime:
    return datetime.fromisoformat(driver.tender["submission_deadline"])


def stored_bid_entries(driver: Driver) -> list[AuditLogEntry]:
    with driver.app.extensions["service_context"].session_factory() as session:
        return list(
            session.scalars(
                select(AuditLogEntry).where(AuditLogEntry.tender_id == driver.tender["id"]).order_by(AuditLogEntry.seq)
            )
        )


def test_a_bid_that_waited_for_the_tenders_lock_past_the_deadline_is_refused(racing):
    deadline = deadline_of(racing)
    racing.clock.now = deadline - timedelta(seconds=1)
    holder = racing.app.extensions["service_context"].session_factory()
    # Another write holds the tender (a row lock on PostgreSQL, the write lock on SQLite) across the deadline.
    holder.execute(text("UPDATE tenders SET title = title WHERE id = :id"), {"id": racing.tender["id"]})
    answers: list = []
    client = racing.app.test_client()
    bidder = threading.Thread(
        target=lambda: answers.append(
            client.post(f"{racing.url}/bids", json=racing.bid_body(), headers=racing.tokens.bidder)
        )
    )
    bidder.start()
    time.sleep(0.5)  # the bid request is in, waiting for the lock
    racing.clock.now = deadline + timedelta(seconds=1)
    holder.commit()
    holder.close()
    bidder.join(timeout=30)
    assert answers and answers[0].status_code == 409, answers and answers[0].get_data(as_text=True)
    assert answers[0].json["submission_deadline"] == racing.tender["submission_deadline"]
    assert racing.events("bid.submitted") == []


def test_the_audit_log_times_never_go_backwards_even_when_the_server_clock_does(racing):
    racing.clock.advance(seconds=-30)  # the clock steps back (NTP) after the publication's entry
    assert racing.bid(5).status_code == 201
    times = [utc(e.at) for e in stored_bid_entries(racing)]
    assert times == sorted(times)


class Bidder:
    """One thread of one CSO: submits, modifies or withdraws its bid at random until after the deadline."""

    def __init__(self, driver: Driver, provider_id: int, shared: dict, until: datetime, seed: int) -> None:
        self.driver, self.provider_id, self.shared, self.until = driver, provider_id, shared, until
        self.client = driver.app.test_client()
        self.random = random.Random(seed)
        self.answers: list[tuple[str, object]] = []

    def run(self) -> None:
        headers = self.driver.tokens.cso[self.provider_id]
        while self.driver.clock() < self.until:
            bid_id = self.shared.get(self.provider_id)
            action = "submit" if bid_id is None else self.random.choice(("submit", "modify", "withdraw"))
            if action == "submit":
                response = self.client.post(f"{self.driver.url}/bids", json=self.body(), headers=headers)
            elif action == "modify":
                url = f"{self.driver.url}/bids/{bid_id}"
                response = self.client.put(url, json=self.body(), headers=headers)
            else:
                response = self.client.post(f"{self.driver.url}/bids/{bid_id}/withdraw", headers=headers)
            if response.status_code in (200, 201):
                self.shared[self.provider_id] = response.json["bid"]["id"]
            elif response.status_code == 409 and "bid_id" in response.json:
                self.shared[self.provider_id] = response.json["bid_id"]
            self.answers.append((action, response))

    def body(self) -> dict:
        return self.driver.bid_body(unit_price=f"{self.random.randint(8000, 10000)}.00")


def test_two_csos_racing_the_deadline_commit_no_write_after_it_and_every_receipt_is_stored(racing):
    deadline = deadline_of(racing)
    racing.clock.run_from(deadline - timedelta(seconds=1.5))
    shared: dict = {}
    until = deadline + timedelta(seconds=0.3)
    bidders = [Bidder(racing, provider_id, shared, until, seed) for seed in range(10) for provider_id in (5, 6)]
    threads = [threading.Thread(target=b.run) for b in bidders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    answers = [response for b in bidders for _action, response in b.answers]
    assert {r.status_code for r in answers} <= {200, 201, 409}, {r.get_data(as_text=True)[:200] for r in answers}
    accepted = [r.json for r in answers if r.status_code in (200, 201)]
    late = [r for r in answers if r.status_code == 409 and "submission_deadline" in r.json]
    assert accepted and late, "the race must straddle the deadline"
    receipts = sorted((a["receipt"]["sha256"], datetime.fromisoformat(a["receipt"]["received_at"])) for a in accepted)
    assert all(received_at < deadline for _sha, received_at in receipts)

    # Every receipt is a stored write (its event and audit entry) and every stored write answered a receipt.
    events = [e for e in racing.events() if e.type.startswith("bid.")]
    stored = sorted((e.payload["receipt_sha256"], datetime.fromisoformat(e.payload["received_at"])) for e in events)
    assert stored == receipts
    entries = stored_bid_entries(racing)
    bid_entries = [e for e in entries if e.action in BID_ACTIONS]
    assert sorted(e.payload_hash for e in bid_entries) == sorted(sha256_of(e.payload) for e in events)

    # The log's order is the commit order (seq is taken under the lock): its times and the receipts' follow it.
    times = [utc(e.at) for e in entries]
    assert times == sorted(times), "audit times go backwards against the sequence"
    received = {sha256_of(e.payload): datetime.fromisoformat(e.payload["received_at"]) for e in events}
    assert [received[e.payload_hash] for e in bid_entries] == [utc(e.at) for e in bid_entries]
    assert all(utc(e.at) < deadline for e in bid_entries)

    # The bid rows hold the last receipt each CSO was given.
    with racing.app.extensions["service_context"].session_factory() as session:
        rows = session.scalars(select(Bid).where(Bid.tender_id == racing.tender["id"])).all()
    last = {}
    for event in events:
        last[event.payload["bid_id"]] = event.payload["receipt_sha256"]
    assert {row.id: row.receipt_sha256 for row in rows} == last
