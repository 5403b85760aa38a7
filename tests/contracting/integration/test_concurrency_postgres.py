"""Concurrency invariants on PostgreSQL: racing scorers, a bid racing the deadline, a double award decision."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.common.migrations import upgrade
from services.contracting.adapters.orm_evaluation import Award, Bid
from services.contracting.entrypoints.api import create_app
from tests.clock import Clock
from tests.contracting.conftest import BIDDERS, START, Driver, seed_market

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(postgres_database):
    upgrade("contracting", postgres_database)
    return postgres_database


def pg_app(url, bus_url, token_mint, clock):
    return create_app({"DATABASE_URL": url, "BUS_URL": bus_url}, token_verifier=token_mint.verifier, clock=clock)


@pytest.fixture
def pg_driver(pg_url, brokerless_bus_url, token_mint, tokens):
    clock = Clock(START)
    app = pg_app(pg_url, brokerless_bus_url, token_mint, clock)
    seed_market(app)
    return Driver(app, clock, tokens)


def at_once(*calls):
    """Run the calls in threads released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def opened_with_committee(driver: Driver) -> list[int]:
    driver.publish()
    for provider_id, price in zip(BIDDERS, ("9000.00", "10000.00", "8000.00"), strict=True):
        assert driver.bid(provider_id, unit_price=price).status_code == 201
    driver.seat_committee()
    driver.close()
    for evaluator in ("21", "22", "23"):
        assert driver.declare(evaluator).status_code == 200
    return driver.eligible_bid_ids()


def test_two_evaluators_scoring_at_once_complete_the_scores_exactly_once(pg_driver):
    ids = opened_with_committee(pg_driver)
    marks = dict(zip(ids, ("90", "80", "60"), strict=True))
    assert pg_driver.score("21", marks).status_code == 200
    clients = [pg_driver.app.test_client() for _ in range(2)]

    def scorer(client, evaluator):
        scores = [
            {"bid_id": b, "criterion_id": c, "score": v, "justification": "Conform grilei de evaluare"}
            for b, v in marks.items()
            for c in pg_driver.quality_ids()
        ]
        url = f"{pg_driver.url}/evaluation/scores"
        return lambda: client.post(url, json={"scores": scores}, headers=pg_driver.tokens.evaluators[evaluator])

    results = at_once(scorer(clients[0], "22"), scorer(clients[1], "23"))
    assert [r.status_code for r in results] == [200, 200]
    assert len(pg_driver.events("evaluation.scores_complete")) == 1
    audit = pg_driver.client.get(f"{pg_driver.url}/audit", headers=pg_driver.tokens.operator).json
    assert audit["intact"]


def test_a_bid_racing_the_deadline_is_either_opened_or_refused_never_left_unopened(
    pg_driver, pg_url, brokerless_bus_url, token_mint
):
    pg_driver.publish()
    deadline = datetime.fromisoformat(pg_driver.tender["submission_deadline"])
    # The bidders' clock reads just before the deadline; the closing flow's just after (two processes).
    bidders = pg_app(pg_url, brokerless_bus_url, token_mint, lambda: deadline - timedelta(microseconds=1))
    closer = pg_app(pg_url, brokerless_bus_url, token_mint, lambda: deadline + timedelta(microseconds=1))
    body = pg_driver.bid_body()

    def bid(provider_id):
        client = bidders.test_client()
        return lambda: client.post(f"{pg_driver.url}/bids", json=body, headers=pg_driver.tokens.cso[provider_id])

    closing = closer.test_client()
    close = lambda: closing.post(f"{pg_driver.url}/transitions/due", headers=pg_driver.tokens.service)  # noqa: E731
    results = at_once(bid(5), bid(6), close, bid(7), bid(8))
    closed = results[2]
    assert closed.json["tender"]["status"] == "active.evaluation"
    accepted = [r for r in results if r.status_code == 201]
    assert {r.status_code for r in results if r is not closed} <= {201, 409}
    received = pg_driver.events("tender.close_submissions")[0].payload["bids_received"]
    assert received == len(accepted)
    with pg_driver.app.extensions["service_context"].session_factory() as session:
        unopened = session.scalar(select(func.count()).select_from(Bid).where(Bid.eligible.is_(None)))
    assert unopened == 0


def test_two_award_decisions_at_once_make_exactly_one_set_of_awards(pg_driver):
    ids = opened_with_committee(pg_driver)
    for evaluator in ("21", "22", "23"):
        assert pg_driver.score(evaluator, dict(zip(ids, ("90", "80", "60"), strict=True))).status_code == 200
    clients = [pg_driver.app.test_client() for _ in range(2)]
    url = f"{pg_driver.url}/evaluation/complete"
    results = at_once(
        lambda: clients[0].post(url, headers=pg_driver.tokens.authority),
        lambda: clients[1].post(url, headers=pg_driver.tokens.service),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    assert len(pg_driver.events("award.decided")) == 1
    with pg_driver.app.extensions["service_context"].session_factory() as session:
        live = session.scalars(select(Award).where(Award.status.in_(("pending", "active")))).all()
        assert [a.provider_id for a in live] == [5]
        duplicate = {c: getattr(live[0], c) for c in ("tender_id", "lot_id", "slot", "rank", "places", "value")}
        session.add(Award(**duplicate, bid_id=ids[1], provider_id=6, status="pending", created_at=live[0].created_at))
        with pytest.raises(IntegrityError):
            session.commit()
