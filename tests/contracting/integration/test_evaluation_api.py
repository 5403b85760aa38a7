"""Evaluation over HTTP: conflicts of interest, independent scoring, the award decision and the public ranking."""

from __future__ import annotations

from datetime import datetime


def test_the_best_weighted_total_wins_and_bidders_learn_their_scores(scored):
    decided = scored.complete()
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "active.standstill"
    assert decided.json["next_check"]["action"] == "end_standstill"
    standstill_end = datetime.fromisoformat(decided.json["standstill_end"])
    assert (standstill_end - scored.clock.now).days == 6
    award = scored.events("award.decided")[0].payload
    results = {b["provider_id"]: (b["result"], b["rank"], b["total_score"]) for b in award["bidders"]}
    assert results == {5: ("awarded", 1, "89.56"), 6: ("not_awarded", 2, "80.00"), 7: ("not_awarded", 3, "76.00")}
    assert [a["provider_id"] for a in award["awards"]] == [5]
    assert {"tender_id", "ocid", "district_code", "service_type"} <= award.keys()
    assert [e.type for e in scored.events()].count("evaluation.completed") == 1


def test_an_evaluator_must_declare_before_reading_bids(scored_unscored):
    driver = scored_unscored
    refused = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.evaluators["21"])
    assert refused.status_code == 409 and "declare" in refused.json["message"]
    committee = driver.client.get(f"{driver.url}/committee", headers=driver.tokens.evaluators["21"]).json
    assert {b["provider_id"] for b in committee["bidders"]} == {5, 6, 7}
    assert driver.declare("21").status_code == 200
    assert driver.client.get(f"{driver.url}/bids", headers=driver.tokens.evaluators["21"]).json["count"] == 3


def test_a_declared_conflict_removes_the_evaluator_and_blocks_scoring_below_the_minimum(scored_unscored):
    driver = scored_unscored
    assert driver.declare("22", conflict=True).status_code == 200
    assert driver.declare("21").status_code == 200
    bid_id = driver.eligible_bid_ids()[0]
    blocked = driver.score("21", {bid_id: "70"})
    assert blocked.status_code == 409
    assert "has 2 member(s) without a conflict of interest and needs 3" in blocked.json["message"]
    off = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.evaluators["22"])
    assert off.status_code == 403
    driver.seat_committee(["24"])
    assert driver.declare("24").status_code == 200
    assert driver.declare("23").status_code == 200
    assert driver.score("21", {bid_id: "70"}).status_code == 200


def test_an_evaluator_reads_only_its_own_scores_until_everyone_has_scored(scored_unscored):
    driver = scored_unscored
    ids = driver.eligible_bid_ids()
    marks = {ids[0]: "90", ids[1]: "80", ids[2]: "60"}
    for evaluator in ("21", "22", "23"):
        driver.declare(evaluator)
    driver.score("21", marks)
    driver.score("22", marks)
    mine = driver.client.get(f"{driver.url}/evaluation/scores", headers=driver.tokens.evaluators["22"]).json
    assert not mine["complete"] and {s["evaluator"] for s in mine["scores"]} == {22}
    authority = driver.client.get(f"{driver.url}/evaluation/scores", headers=driver.tokens.authority).json
    assert authority["scores"] == [] and authority["scores_missing"] == 3
    assert driver.events("evaluation.scores_complete") == []
    driver.score("23", marks)
    after = driver.client.get(f"{driver.url}/evaluation/scores", headers=driver.tokens.evaluators["22"]).json
    assert after["complete"] and {s["evaluator"] for s in after["scores"]} == {21, 22, 23}
    assert len(driver.events("evaluation.scores_complete")) == 1


def test_scores_are_final_once_all_are_in(scored):
    bid_id = scored.eligible_bid_ids()[0]
    again = scored.score("21", {bid_id: "10"})
    assert again.status_code == 409 and "final" in again.json["message"]


def test_a_quality_score_needs_a_justification_and_a_range_of_0_to_100(scored_unscored):
    driver = scored_unscored
    driver.declare("21")
    bid_id, criterion = driver.eligible_bid_ids()[0], driver.quality_ids()[0]
    body = {"scores": [{"bid_id": bid_id, "criterion_id": criterion, "score": "101"}]}
    response = driver.client.post(f"{driver.url}/evaluation/scores", json=body, headers=driver.tokens.evaluator)
    assert response.status_code == 422
    errors = response.json["errors"]["scores"]["0"]
    assert "score" in errors and "justification" in errors


def test_completing_before_all_scores_are_in_is_refused_with_the_count_missing(scored_unscored):
    driver = scored_unscored
    for evaluator in ("21", "22", "23"):
        driver.declare(evaluator)
    response = driver.complete()
    assert response.status_code == 409 and response.json["scores_missing"] == 9


def test_the_ranking_is_public_only_after_the_award_decision_with_every_justification(scored):
    assert scored.client.get(f"{scored.url}/ranking").status_code == 404
    scored.complete()
    ranking = scored.client.get(f"{scored.url}/ranking").json
    bids = ranking["lots"][0]["bids"]
    assert [b["provider_id"] for b in bids] == [5, 6, 7] and bids[0]["legal_name"] == "AO Grija 5"
    assert {s["evaluator"] for s in bids[0]["evaluator_scores"]} == {"evaluator 1", "evaluator 2", "evaluator 3"}
    assert all(s["justification"] for s in bids[0]["evaluator_scores"])
    assert scored.client.get(f"{scored.url}/awards").json[0]["provider_id"] == 5


def test_a_bid_below_a_quality_minimum_is_disqualified_with_its_reason(scored_unscored):
    driver = scored_unscored
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "40", ids[1]: "80", ids[2]: "60"})
    driver.complete()
    bidders = {b["provider_id"]: b for b in driver.events("award.decided")[0].payload["bidders"]}
    assert bidders[5]["result"] == "disqualified" and "below its minimum of 50" in bidders[5]["reason"]
    assert bidders[6]["result"] == "awarded"


def test_the_call_is_unsuccessful_when_no_bid_passes_the_minimums(scored_unscored):
    driver = scored_unscored
    ids = driver.eligible_bid_ids()
    driver.evaluate(dict.fromkeys(ids, "10"))
    response = driver.complete()
    assert response.json["status"] == "unsuccessful"
    assert driver.events("evaluation.completed")[0].payload["result"] == "unsuccessful"
    assert driver.events("award.decided") == []


def test_a_call_with_no_bids_is_decided_unsuccessful_without_scoring(driver):
    driver.publish()
    driver.close()
    assert driver.complete(headers=driver.tokens.service).json["status"] == "unsuccessful"


def test_deciding_twice_is_refused_with_the_current_status(scored):
    scored.complete()
    again = scored.complete()
    assert again.status_code == 409 and again.json["current_status"] == "active.standstill"
    assert len(scored.events("award.decided")) == 1


def test_awards_go_by_rank_while_places_remain_passing_over_a_bid_too_big_for_what_is_left(driver):
    lot = {"title": "Lot", "places": 30, "budget": "300000.00", "duration_months": 12, "max_awards": 3}
    driver.publish(lots=[lot])
    driver.bid(5, unit_price="9000.00", places=20)  # 180 000, ranked last: 20 places no longer fit
    driver.bid(6, unit_price="10000.00", places=15)  # 150 000, ranked second
    driver.bid(7, unit_price="9500.00", places=10)  # 95 000, lowest price, ranked first
    driver.seat_committee()
    driver.close()
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "90", ids[1]: "85", ids[2]: "80"})
    driver.complete()
    awards = driver.client.get(f"{driver.url}/awards").json
    assert sorted((a["provider_id"], a["rank"], a["places"]) for a in awards) == [(6, 2, 15), (7, 1, 10)]
    bidders = {b["provider_id"]: b["result"] for b in driver.events("award.decided")[0].payload["bidders"]}
    assert bidders[5] == "not_awarded"


def test_an_award_never_exceeds_the_budget_left(driver):
    lot = {"title": "Lot", "places": 40, "budget": "300000.00", "duration_months": 12, "max_awards": 2}
    criteria = [{"kind": "price", "name": "Preț", "weight": 40}, {"kind": "quality", "name": "Calitate", "weight": 60}]
    driver.publish(lots=[lot], criteria=criteria)
    driver.bid(5, unit_price="9000.00", places=20)  # 180 000, ranked first on quality
    driver.bid(6, unit_price="7000.00", places=20)  # 140 000: only 120 000 of the budget is left for it
    driver.seat_committee()
    driver.close()
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "100", ids[1]: "20"})
    driver.complete()
    assert [a["provider_id"] for a in driver.client.get(f"{driver.url}/awards").json] == [5]
    bidders = {b["provider_id"]: b for b in driver.events("award.decided")[0].payload["bidders"]}
    assert (bidders[6]["rank"], bidders[6]["result"]) == (2, "not_awarded")
