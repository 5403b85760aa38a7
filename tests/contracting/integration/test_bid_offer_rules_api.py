"""What a bid may offer, over HTTP: the lot's budget as ceiling, the lot of this tender, answers the schema names,
and a receipt that proves what was submitted and when."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime


def body_text(response) -> str:
    return response.get_data(as_text=True)


def test_a_bid_above_the_lot_budget_is_refused_naming_both_figures(driver):
    driver.publish()  # one lot: 40 places, budget 400000.00 MDL
    response = driver.bid(5, unit_price="10000.01", places=40)
    assert response.status_code == 422, body_text(response)
    assert "400000.40" in body_text(response) and "400000.00" in body_text(response)
    assert "unit_price" in response.json["errors"]
    assert driver.events("bid.submitted") == []


def test_a_bid_at_exactly_the_lot_budget_is_accepted(driver):
    driver.publish()
    assert driver.bid(5, unit_price="10000.00", places=40).status_code == 201


def test_modifying_a_bid_above_the_lot_budget_is_refused_and_the_bid_stays_as_it_was(driver):
    driver.publish()
    bid = driver.bid(5).json["bid"]
    url = f"{driver.url}/bids/{bid['id']}"
    changed = driver.client.put(url, json=driver.bid_body(unit_price="199999998.00"), headers=driver.tokens.bidder)
    assert changed.status_code == 422, body_text(changed)
    assert "7999999920.00" in body_text(changed) and "400000.00" in body_text(changed)
    assert driver.client.get(url, headers=driver.tokens.bidder).json["price"] == bid["price"]


def test_the_schema_says_unit_price_is_per_place_for_the_lots_whole_duration(driver):
    spec = driver.client.get("/api/v1/openapi.json").json
    description = spec["components"]["schemas"]["BidWrite"]["properties"]["unit_price"]["description"]
    assert "per place" in description and "duration" in description and "budget" in description


def test_a_bid_without_quality_answers_is_refused_by_the_schema_naming_the_field(driver):
    driver.publish()
    body = driver.bid_body()
    del body["quality_answers"]
    response = driver.client.post(f"{driver.url}/bids", json=body, headers=driver.tokens.bidder)
    assert response.status_code == 422
    assert "quality_answers" in body_text(response) and "Missing data for required field" in body_text(response)


def test_the_schema_names_quality_answers_required_with_criterion_id_and_answer_described(driver):
    schemas = driver.client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert "quality_answers" in schemas["BidWrite"]["required"]
    assert "description" in schemas["BidWrite"]["properties"]["quality_answers"]
    answer = schemas["QualityAnswer"]
    assert set(answer["properties"]) == set(answer["required"]) == {"criterion_id", "answer"}
    assert all("description" in field for field in answer["properties"].values())


def test_an_answer_sent_as_text_is_refused_naming_answer_as_missing(driver):
    driver.publish()
    answers = [{"criterion_id": c, "text": "Plan individual"} for c in driver.quality_ids()]
    response = driver.client.post(
        f"{driver.url}/bids", json={**driver.bid_body(), "quality_answers": answers}, headers=driver.tokens.bidder
    )
    assert response.status_code == 422 and "answer" in body_text(response) and "text" in body_text(response)


def test_a_lot_of_another_tender_is_refused_naming_the_lot_and_the_tender_not_an_earlier_bid(driver):
    driver.publish()
    foreign_lot = driver.lot_id()
    assert driver.bid(5).status_code == 201
    driver.publish()  # a second tender; the driver now walks this one
    response = driver.client.post(
        f"{driver.url}/bids", json={**driver.bid_body(), "lot_id": foreign_lot}, headers=driver.tokens.bidder
    )
    assert response.status_code == 422, body_text(response)
    assert f"lot {foreign_lot} is not a lot of tender {driver.tender['id']}" in body_text(response)


def test_a_lot_that_does_not_exist_is_refused_naming_the_lot_and_the_tender(driver):
    driver.publish()
    response = driver.client.post(
        f"{driver.url}/bids", json={**driver.bid_body(), "lot_id": 99999}, headers=driver.tokens.bidder
    )
    assert response.status_code == 422
    assert f"lot 99999 is not a lot of tender {driver.tender['id']}" in body_text(response)


def receipt_hash(bid: dict, received_at: str) -> str:
    """What a bidder recomputes from its bid as read back and the receipt's time."""
    keys = ("tender_id", "lot_id", "provider_id", "status", "unit_price", "places", "price")
    document = {k: bid[k] for k in (*keys, "quality_text", "quality_answers", "documents")}
    signed = {**document, "received_at": received_at}
    canonical = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_the_same_offer_at_two_times_gets_two_receipts_each_hashing_its_time(driver):
    driver.publish()
    first = driver.bid(5).json
    driver.clock.advance(minutes=5)
    url = f"{driver.url}/bids/{first['bid']['id']}"
    second = driver.client.put(url, json=driver.bid_body(), headers=driver.tokens.bidder).json
    assert second["receipt"]["sha256"] != first["receipt"]["sha256"]
    for answer in (first, second):
        assert answer["receipt"]["sha256"] == receipt_hash(answer["bid"], answer["receipt"]["received_at"])
    assert datetime.fromisoformat(second["receipt"]["received_at"]) == driver.clock.now
    stored = driver.client.get(url, headers=driver.tokens.bidder).json
    assert stored["receipt_sha256"] == receipt_hash(stored, stored["updated_at"]) == second["receipt"]["sha256"]
