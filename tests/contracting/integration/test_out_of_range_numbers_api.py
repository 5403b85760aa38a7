"""Numbers no column can hold (money and scores past the decimal context, ids and cursors past their integer
columns) are refused with a 422 naming the field, never a 500 from the validator or the database driver.
"""

from __future__ import annotations

from services.contracting.entrypoints.api.schemas_public import MAX_POSITION

BEYOND_32_BITS = 2**31
HUGE = 2**70


def field_errors(response, location: str = "json") -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert response.json["code"] == 422 and response.json["message"]
    assert response.json["location"] == location
    return response.json["errors"]


def test_a_bid_priced_beyond_any_ceiling_is_refused_with_422_naming_the_unit_price(driver):
    driver.publish()
    for price in (1e30, "1e30", 1e308):
        body = {**driver.bid_body(), "unit_price": price}
        response = driver.client.post(f"{driver.url}/bids", json=body, headers=driver.tokens.bidder)
        assert "unit_price" in field_errors(response)


def test_a_bid_whose_unit_price_times_places_passes_the_money_ceiling_is_refused_with_422(driver):
    driver.publish()
    body = driver.bid_body(unit_price="999999999999.99", places=40)  # each figure valid, their product is not
    response = driver.client.post(f"{driver.url}/bids", json=body, headers=driver.tokens.bidder)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "above the 999999999999.99 MDL a bid may state" in response.get_data(as_text=True)


def test_a_score_of_1e308_is_refused_with_422_naming_the_score(driver):
    driver.publish()
    score = {"bid_id": 1, "criterion_id": 1, "score": 1e308, "justification": "Conform grilei de evaluare"}
    response = driver.client.post(
        f"{driver.url}/evaluation/scores", json={"scores": [score]}, headers=driver.tokens.evaluator
    )
    assert "score" in field_errors(response)["scores"]["0"]


def test_a_bid_on_a_lot_id_beyond_32_bits_is_refused_with_422_naming_the_lot(driver):
    driver.publish()
    for lot_id in (BEYOND_32_BITS, HUGE):
        body = {**driver.bid_body(), "lot_id": lot_id}
        response = driver.client.post(f"{driver.url}/bids", json=body, headers=driver.tokens.bidder)
        assert "lot_id" in field_errors(response)


def test_ids_beyond_32_bits_in_scores_answers_and_complaints_are_refused_with_422(driver):
    driver.publish()
    score = {"bid_id": HUGE, "criterion_id": HUGE, "score": "50", "justification": "Conform grilei de evaluare"}
    scores = driver.client.post(
        f"{driver.url}/evaluation/scores", json={"scores": [score]}, headers=driver.tokens.evaluator
    )
    assert {"bid_id", "criterion_id"} <= set(field_errors(scores)["scores"]["0"])
    answers = [{"criterion_id": HUGE, "answer": "Echipă de 12 îngrijitori"}]
    bid = driver.client.post(
        f"{driver.url}/bids", json={**driver.bid_body(), "quality_answers": answers}, headers=driver.tokens.bidder
    )
    assert "criterion_id" in field_errors(bid)["quality_answers"]["0"]
    complaint = {"award_id": HUGE, "title": "Contestație", "description": "Punctajul nu respectă grila."}
    filed = driver.client.post(f"{driver.url}/complaints", json=complaint, headers=driver.tokens.bidder)
    assert "award_id" in field_errors(filed)


def test_contract_filters_beyond_32_bits_are_refused_with_422_naming_the_filter(driver):
    for name in ("provider_id", "tender_id"):
        response = driver.client.get(f"/api/v1/contracts?{name}={HUGE}")
        assert name in field_errors(response, "query")
    assert driver.client.get(f"/api/v1/contracts?provider_id={2**31 - 1}").json == []


def test_feed_and_release_cursors_past_the_last_possible_position_are_refused_with_422(driver):
    for path in ("/api/v1/feed", "/api/v1/ocds/releases"):
        refused = driver.client.get(f"{path}?cursor={MAX_POSITION + 1}")
        assert "cursor" in field_errors(refused, "query")
        last = driver.client.get(f"{path}?cursor={MAX_POSITION}")
        assert last.status_code == 200, last.json
