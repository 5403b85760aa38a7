"""The public listing and a call's page come from the read cache, and never show what has changed since
(issue 21): a publication, an amendment, a complaint or the clock passing a deadline show at once. On SQLite and on
PostgreSQL, where the version is known from LISTEN/NOTIFY (services/common/version_watch.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
import pytest

from services.common import version_watch
from services.contracting.adapters import read_versions
from services.contracting.adapters.orm_tendering import Tender
from tests.contracting.conftest import Driver, app_on
from tests.waiting import eventually


@pytest.fixture
def driver(any_database_url, brokerless_bus_url, token_mint, clock, tokens):
    app = app_on(any_database_url, brokerless_bus_url, token_mint, clock)
    yield Driver(app, clock, tokens)
    app.extensions["service_context"].engine.dispose()


def listing(driver, **params):
    return driver.client.get("/api/v1/tenders", query_string=params, headers=driver.tokens.anonymous)


def test_a_second_read_of_an_unchanged_listing_is_the_same_answer_and_a_304_for_its_etag(driver):
    driver.publish()
    first, second = listing(driver), listing(driver)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["X-Pagination"] == second.headers["X-Pagination"]
    conditional = driver.client.get("/api/v1/tenders", headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304 and conditional.data == b""
    assert driver.app.extensions["contracting.read_cache"].hits >= 2


def test_a_call_published_after_a_read_is_listed_by_the_next_read(driver):
    driver.publish()
    before = listing(driver)
    driver.publish()
    after = listing(driver)
    assert len(after.json) == len(before.json) + 1
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_change_made_outside_any_use_case_still_shows_at_once(driver):
    driver.publish()
    assert listing(driver).json[0]["title"] != "Retitled"
    with driver.app.extensions["service_context"].session_factory.begin() as session:
        session.get(Tender, driver.tender["id"]).title = "Retitled"
    assert listing(driver).json[0]["title"] == "Retitled"
    assert driver.client.get(driver.url).json["title"] == "Retitled"


def test_the_status_shown_moves_with_the_clock_though_nothing_was_written(driver):
    tender = driver.publish()
    assert driver.client.get(driver.url).json["status"] == "active.enquiries"
    assert [t["id"] for t in listing(driver, status="active.tendering").json] == []
    driver.clock.now = datetime.fromisoformat(tender["enquiry_end"]) + timedelta(seconds=1)
    assert driver.client.get(driver.url).json["status"] == "active.tendering"
    assert listing(driver).json[0]["status"] == "active.tendering"
    assert [t["id"] for t in listing(driver, status="active.tendering").json] == [tender["id"]]


def test_an_authority_still_sees_its_own_draft_and_the_public_never_does(driver):
    draft = driver.create()
    assert draft["id"] not in [t["id"] for t in listing(driver).json]
    own = driver.client.get("/api/v1/tenders", headers=driver.tokens.authority).json
    assert draft["id"] in [t["id"] for t in own]
    assert driver.client.get(f"/api/v1/tenders/{draft['id']}").status_code == 404
    assert listing(driver).status_code == 200 and draft["id"] not in [t["id"] for t in listing(driver).json]


def test_a_bid_leaves_the_public_version_alone_so_bids_never_queue_on_its_row(driver):
    from services.contracting.service_layer.tender_views import tenders_version

    tender = driver.publish()
    engine = driver.app.extensions["service_context"].engine
    before = tenders_version(engine)
    driver.clock.now = datetime.fromisoformat(tender["enquiry_end"]) + timedelta(seconds=1)
    assert driver.bid(5).status_code == 201  # the conftest's first bidder
    assert tenders_version(engine) == before


@pytest.mark.postgres
@pytest.mark.parametrize("any_database_url", ["postgres"], indirect=True)
def test_a_change_committed_by_another_process_shows_once_its_notification_arrives(driver, any_database_url):
    tender = driver.publish()
    engine = driver.app.extensions["service_context"].engine
    watch = version_watch.watch(engine, read_versions.CHANNEL, read_versions._read_with_psycopg)
    assert listing(driver).json[0]["title"] != "Retitled"
    assert eventually(lambda: watch.current() is not None)  # readers take the version from memory now

    # Another process (an operator's script, another API replica) retitles the call: its commit bumps and notifies.
    with psycopg.connect(any_database_url) as other:
        other.execute("UPDATE tenders SET title = 'Retitled' WHERE id = %s", (tender["id"],))
        version = other.execute("UPDATE read_versions SET version = version + 1 RETURNING version").fetchone()[0]
        other.execute("SELECT pg_notify(%s, %s)", (read_versions.CHANNEL, str(version)))

    assert eventually(lambda: listing(driver).json[0]["title"] == "Retitled", seconds=1.0)
    assert driver.client.get(driver.url).json["title"] == "Retitled"
