"""What a call must carry: text that says something, at least one lot, and a budget, places and duration for
every lot before it is published (issue 14 #5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.contracting.adapters.orm_tendering import Lot
from tests.contracting.conftest import tender_body


def create(driver, body):
    return driver.client.post("/api/v1/tenders", json=body, headers=driver.tokens.authority)


def test_a_body_without_lots_is_refused_asking_for_at_least_one_lot_and_no_lot_is_invented(driver):
    body = tender_body(driver.clock)
    del body["lots"]
    response = create(driver, body)
    assert response.status_code == 422, response.json
    assert "at least one lot" in str(response.json["errors"]["lots"])
    assert driver.client.get("/api/v1/tenders", headers=driver.tokens.authority).json == []


def test_an_empty_list_of_lots_is_refused_too(driver):
    response = create(driver, tender_body(driver.clock, lots=[]))
    assert response.status_code == 422
    assert "at least one lot" in str(response.json["errors"]["lots"])


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"title": "     "}, ("title",)),
        ({"description": "   \n  "}, ("description",)),
        ({"title_en": "   "}, ("title_en",)),
        ({"lots": [{"title": "  ", "places": 4, "budget": "1000.00", "duration_months": 12}]}, ("lots", "0", "title")),
        (
            {
                "criteria": [
                    {"kind": "price", "name": " ", "weight": 40},
                    {"kind": "quality", "name": "Q", "weight": 60},
                ]
            },
            ("criteria", "0", "name"),
        ),
    ],
    ids=["title", "description", "title_en", "lot title", "criterion name"],
)
def test_blank_text_is_refused_naming_the_field(driver, changes, where):
    response = create(driver, tender_body(driver.clock, **changes))
    assert response.status_code == 422, response.json
    errors = response.json["errors"]
    for key in where:
        errors = errors[key]
    assert errors


def test_text_is_stored_trimmed(driver):
    body = tender_body(driver.clock, title="  Îngrijire la domiciliu, Chișinău \n", description="  Detalii.  ")
    body["lots"][0]["title"] = "  Sectorul Centru  "
    body["criteria"][1]["name"] = " Calitatea serviciului "
    tender = create(driver, body).json
    assert tender["title"] == "Îngrijire la domiciliu, Chișinău"
    assert tender["description"] == "Detalii."
    assert tender["lots"][0]["title"] == "Sectorul Centru"
    assert tender["criteria"][1]["name"] == "Calitatea serviciului"


def test_questions_answers_and_reasons_of_blank_text_are_refused(driver):
    driver.publish()
    asked = driver.client.post(f"{driver.url}/questions", json={"question": "      "}, headers=driver.tokens.bidder)
    assert asked.status_code == 422
    assert "question" in asked.json["errors"]
    cancelled = driver.client.post(f"{driver.url}/cancel", json={"reason": "       "}, headers=driver.tokens.authority)
    assert cancelled.status_code == 422
    assert "reason" in cancelled.json["errors"]


def test_publishing_a_call_whose_lot_lacks_a_budget_is_refused_naming_the_lot_and_what_is_missing(driver):
    """A draft carried over from before the rule (a lot with no budget) cannot go out as it is."""
    driver.create()
    with driver.app.extensions["service_context"].session_factory.begin() as session:
        lot = session.scalars(select(Lot).where(Lot.tender_id == driver.tender["id"])).one()
        lot.budget = None
    response = driver.client.post(f"{driver.url}/publish", headers=driver.tokens.authority)
    assert response.status_code == 422, response.json
    assert response.json["missing"] == {"1": ["budget"]}
    assert "lot 1" in response.json["message"] and "budget" in response.json["message"]
    assert driver.refresh()["status"] == "draft"


def test_a_call_with_every_lot_complete_publishes(driver):
    assert driver.publish()["status"] == "active.enquiries"
