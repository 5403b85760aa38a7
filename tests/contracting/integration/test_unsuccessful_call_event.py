"""The event that marks a call unsuccessful carries what its bidders must be told: each one's result and why
the call failed (issue 14 #1: notifications had no bidders to tell)."""

from __future__ import annotations


def test_a_call_where_every_bid_is_below_the_quality_floor_names_its_bidders_and_that_reason(scored_unscored):
    driver = scored_unscored
    driver.evaluate(dict.fromkeys(driver.eligible_bid_ids(), "10"))
    assert driver.complete().json["status"] == "unsuccessful"

    unsuccessful = driver.events("tender.unsuccessful")[0].payload

    assert unsuccessful["reason"] == "below_quality_floor"
    assert {b["provider_id"]: b["result"] for b in unsuccessful["bidders"]} == dict.fromkeys((5, 6, 7), "disqualified")


def test_a_call_with_no_bids_says_nobody_bid(driver):
    driver.publish()
    driver.close()
    driver.complete(headers=driver.tokens.service)

    unsuccessful = driver.events("tender.unsuccessful")[0].payload

    assert unsuccessful["reason"] == "no_bids" and unsuccessful["bidders"] == []


def test_a_call_left_without_a_winner_by_a_cascade_tells_every_bidder_the_awards_were_cancelled(scored):
    decided = scored
    assert decided.complete().status_code == 200
    for _ in range(3):
        award = next(a for a in decided.client.get(f"{decided.url}/awards").json if a["status"] == "pending")
        url = f"{decided.url}/awards/{award['id']}/disqualify"
        response = decided.client.post(url, json={"reason": "Documente false"}, headers=decided.tokens.authority)
        assert response.status_code == 200, response.json

    unsuccessful = decided.events("tender.unsuccessful")[0].payload

    assert unsuccessful["reason"] == "awards_cancelled"
    assert {b["provider_id"] for b in unsuccessful["bidders"]} == {5, 6, 7}
