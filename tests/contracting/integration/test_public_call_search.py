"""The public search of published calls (GET /api/v1/public/calls): filters by service, budget, deadline and
title, four orders, what each result shows, the 422 for a bad value, and records published before the search
existed found by it after the upgrade. The search runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from sqlalchemy import create_engine

from services.common.migrations import upgrade
from tests.contracting.conftest import DATABASES, START, Driver, app_on

LOT = {"title": "Sectorul Centru", "places": 40, "duration_months": 12}


@pytest.fixture
def search(any_database_url, brokerless_bus_url, token_mint, clock, tokens):
    app = app_on(any_database_url, brokerless_bus_url, token_mint, clock)
    yield Driver(app, clock, tokens)
    app.extensions["service_context"].engine.dispose()


@pytest.fixture
def calls(search) -> dict[str, dict]:
    """Three published calls, an hour apart: home care (one lot), a day centre (two lots) and respite care."""
    published = {}
    terms = {
        "home": {"service_type": "home-care", "title": "Îngrijire la domiciliu, Chișinău", "days": 15},
        "day": {"service_type": "day-centre", "title": "Centru de zi pentru copii", "days": 25},
        "respite": {"service_type": "respite-care", "title": "Servicii de răgaz 100% (pilot)", "days": 20},
    }
    budgets = {"home": ["400000.00"], "day": ["150000.50", "100000.00"], "respite": ["900000.00"]}
    for name, term in terms.items():
        deadline = search.clock.now + timedelta(days=term["days"])
        lots = [{**LOT, "title": f"Lot {i}", "budget": budget} for i, budget in enumerate(budgets[name], 1)]
        search.publish(
            service_type=term["service_type"],
            title=term["title"],
            submission_deadline=deadline.isoformat(),
            lots=lots,
        )
        published[name] = search.tender
        search.clock.advance(hours=1)
    return published


def found(driver: Driver, **query) -> list[str]:
    """The first word of each result's title, in the search's order."""
    response = driver.client.get(f"/api/v1/public/calls?{urlencode(query)}")
    assert response.status_code == 200, response.json
    return [call["title"].split()[0] for call in response.json]


def test_a_search_result_shows_the_calls_service_total_budget_deadline_and_lots(search, calls):
    (result,) = search.client.get("/api/v1/public/calls?service_type=day-centre").json
    deadline = datetime.fromisoformat(calls["day"]["submission_deadline"])
    assert result["service_type"] == "day-centre"
    assert (result["budget_amount"], result["currency"], result["lot_count"]) == ("250000.50", "MDL", 2)
    assert result["submission_deadline"] == deadline.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert result["ocid"] == calls["day"]["ocid"] and result["status"] == "active"
    one = search.client.get(f"/api/v1/public/calls/{calls['day']['id']}").json
    assert one["budget_amount"] == "250000.50" and one["compiled_release"]["tender"]["value"]["amount"] == 250000.5


def test_calls_are_found_by_their_service_type(search, calls):
    assert found(search, service_type="respite-care") == ["Servicii"]
    assert found(search, service_type="home-care", district_code="MD-CU") == ["Îngrijire"]
    assert found(search, service_type="mobile-team") == []


def test_the_budget_bounds_take_strings_or_numbers_and_include_the_bound_itself(search, calls):
    assert found(search, budget_min="250000.50") == ["Servicii", "Centru", "Îngrijire"]
    assert found(search, budget_min="250000.51") == ["Servicii", "Îngrijire"]
    assert found(search, budget_max=400000) == ["Centru", "Îngrijire"]
    assert found(search, budget_min=300000, budget_max="400000.00") == ["Îngrijire"]


def test_the_deadline_window_includes_its_ends_and_reads_any_offset_as_utc(search, calls):
    day_deadline = datetime.fromisoformat(calls["day"]["submission_deadline"])
    assert found(search, deadline_from=day_deadline.isoformat()) == ["Centru"]
    within = {"deadline_from": START + timedelta(days=14), "deadline_to": START + timedelta(days=21)}
    within = {name: moment.isoformat() for name, moment in within.items()}
    assert found(search, **within) == ["Servicii", "Îngrijire"]
    # 15 days after START is the home care call's deadline: 11:00 in Chișinău (UTC+2) is 09:00 UTC.
    chisinau = (START + timedelta(days=15, hours=2)).replace(tzinfo=None).isoformat() + "+02:00"
    assert found(search, deadline_to=chisinau) == ["Îngrijire"]


def test_the_title_search_ignores_case_even_of_romanian_capitals_and_takes_wildcards_literally(search, calls):
    assert found(search, q="îngrijire") == ["Îngrijire"]
    assert found(search, q="CENTRU DE ZI") == ["Centru"]
    assert found(search, q="100%") == ["Servicii"]
    assert found(search, q="%") == ["Servicii"]
    assert found(search, q="_") == []
    assert found(search, q="   ") == ["Servicii", "Centru", "Îngrijire"]  # an empty search box filters nothing


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ({}, ["Servicii", "Centru", "Îngrijire"]),  # newest first, as before the search existed
        ({"sort": "newest"}, ["Servicii", "Centru", "Îngrijire"]),
        ({"sort": "deadline"}, ["Îngrijire", "Servicii", "Centru"]),  # 15, 20, then 25 days
        ({"sort": "budget_desc"}, ["Servicii", "Îngrijire", "Centru"]),
        ({"sort": "budget_asc"}, ["Centru", "Îngrijire", "Servicii"]),
    ],
)
def test_each_sort_orders_the_calls(search, calls, sort, order):
    assert found(search, **sort) == order


def test_pages_of_a_search_count_only_its_matches(search, calls):
    url = "/api/v1/public/calls?budget_min=300000&sort=budget_asc&page_size=1"
    first, second = search.client.get(f"{url}&page=1"), search.client.get(f"{url}&page=2")
    assert json.loads(first.headers["X-Pagination"])["total"] == 2
    assert [c["title"] for c in first.json + second.json] == [calls["home"]["title"], calls["respite"]["title"]]


def test_an_amendment_moves_the_call_in_the_search(search, calls):
    driver = search
    driver.tender = calls["home"]
    later = datetime.fromisoformat(calls["home"]["submission_deadline"]) + timedelta(days=30)
    body = {
        "rationale": "Mai multe locuri",
        "submission_deadline": later.isoformat(),
        "lots": [{"id": driver.lot_id(), "budget": "1000000.00"}],
    }
    response = driver.client.post(f"{driver.url}/amendments", json=body, headers=driver.tokens.authority)
    assert response.status_code == 201, response.json
    assert found(search, sort="deadline") == ["Servicii", "Centru", "Îngrijire"]
    (result,) = search.client.get("/api/v1/public/calls?budget_min=1000000").json
    assert result["title"] == calls["home"]["title"] and result["budget_amount"] == "1000000.00"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("budget_min=a-lot", "budget_min"),
        ("budget_min=-1", "budget_min"),
        ("budget_max=1.001", "budget_max"),
        ("budget_min=500&budget_max=400", "budget_max"),
        ("deadline_from=next-week", "deadline_from"),
        ("deadline_to=2026-12-01T00:00:00", "deadline_to"),  # no offset: which midnight?
        ("deadline_from=2026-12-02T00:00:00Z&deadline_to=2026-12-01T00:00:00Z", "deadline_to"),
        ("deadline_from=0001-01-01T00:00:00%2B01:00", "deadline_from"),  # before year 1 in UTC: no overflow
        ("sort=cheapest", "sort"),
        ("service_type=x", "service_type"),
        ("service_type=home%00care", "service_type"),  # PostgreSQL would refuse the NUL with a 500
        (f"q={'a' * 201}", "q"),
        ("q=a%00b", "q"),
    ],
)
def test_a_bad_search_value_is_refused_naming_the_field(driver, query, field):
    response = driver.client.get(f"/api/v1/public/calls?{query}")
    assert response.status_code == 422 and response.is_json
    assert list(response.json["errors"]) == [field], response.json


@pytest.mark.parametrize("database", DATABASES)
def test_calls_published_before_the_search_existed_are_found_by_it_after_the_upgrade(
    database, request, tmp_path, brokerless_bus_url, token_mint, clock, tokens
):
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'contracting.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_database")
    upgrade("contracting", url, "0200")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        old_record(connection, 1, "Echipă mobilă Ungheni", compiled_with_terms())
        # A record whose releases never stated lots, budget or deadline: the tender row names its service.
        connection.execute(TENDERS.insert().values(id=2, service_type="day-centre", title="Centru vechi", **TENDER))
        old_record(connection, 2, "Centru vechi", {"ocid": "ocds-sscp01-2", "tender": {"id": "2"}})
    engine.dispose()
    upgrade("contracting", url)
    app = app_on(url, brokerless_bus_url, token_mint, clock)
    driver = Driver(app, clock, tokens)
    first, second = driver.client.get("/api/v1/public/calls?sort=deadline").json
    assert (first["service_type"], first["budget_amount"], first["lot_count"]) == ("mobile-team", "250000.50", 2)
    assert first["submission_deadline"] == "2025-02-10T09:00:00+00:00" and first["currency"] == "MDL"
    assert (second["service_type"], second["budget_amount"], second["submission_deadline"]) == (
        "day-centre",
        None,
        None,
    )
    assert second["lot_count"] == 0  # and a call without a deadline comes last, as one without a budget does
    assert found(driver, sort="budget_desc") == found(driver, sort="budget_asc") == ["Echipă", "Centru"]
    assert found(driver, q="UNGHENI", budget_min=250000, deadline_to="2025-02-10T09:00:00Z") == ["Echipă"]
    assert found(driver, service_type="day-centre") == ["Centru"]
    app.extensions["service_context"].engine.dispose()


def compiled_with_terms() -> dict:
    item = {"additionalClassifications": [{"scheme": "X-SSCP-SERVICE", "id": "mobile-team"}], "quantity": 10}
    tender = {
        "id": "1",
        "title": "Echipă mobilă Ungheni",
        "items": [{"id": "lot-1", **item}, {"id": "lot-2", **item}],
        "value": {"amount": 250000.5, "currency": "MDL"},
        "tenderPeriod": {"startDate": "2025-01-01T09:00:00Z", "endDate": "2025-02-10T09:00:00Z"},
    }
    return {"ocid": "ocds-sscp01-1", "tender": tender}


WHEN = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
TENDER = {
    "district_code": "MD-CU",
    "description": "",
    "status": "complete",
    "enquiry_end": WHEN + timedelta(days=5),
    "submission_deadline": WHEN + timedelta(days=19),
    "created_by": "11",
    "created_at": WHEN,
}
TENDERS = sa.table(
    "tenders",
    *(sa.column(name, sa.String()) for name in ("district_code", "service_type", "title", "description", "status")),
    *(sa.column(name, sa.DateTime(timezone=True)) for name in ("enquiry_end", "submission_deadline", "created_at")),
    sa.column("id", sa.Integer()),
    sa.column("created_by", sa.String()),
)
RECORDS = sa.table(
    "ocds_records",
    *(sa.column(name, sa.String()) for name in ("ocid", "district_code", "title", "status")),
    *(sa.column(name, sa.Integer()) for name in ("tender_id", "last_position", "release_count")),
    sa.column("first_date", sa.DateTime(timezone=True)),
    sa.column("compiled", sa.JSON()),
)


def old_record(connection, tender_id: int, title: str, compiled: dict) -> None:
    """An ocds_records row as revision 0200 wrote it: no search columns yet."""
    row = {"ocid": f"ocds-sscp01-{tender_id}", "tender_id": tender_id, "district_code": "MD-CU", "title": title}
    row.update(status="complete", first_date=WHEN, last_position=tender_id, release_count=1, compiled=compiled)
    connection.execute(RECORDS.insert().values(**row))
