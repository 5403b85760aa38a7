"""Committee members are registry user ids, integers like every other id: taken as integers (a digit string still
works, for older callers) and served as integers in the committee, the scores and the events."""

from __future__ import annotations

import pytest


def seat(driver, evaluators):
    return driver.client.post(
        f"{driver.url}/committee", json={"evaluators": evaluators}, headers=driver.tokens.authority
    )


def test_the_authority_seats_evaluators_by_their_integer_user_ids_and_reads_them_back_as_integers(driver):
    driver.publish()
    seated = seat(driver, [21, 22, 23])
    assert seated.status_code == 200, seated.json
    assert [m["evaluator"] for m in seated.json] == [21, 22, 23]
    committee = driver.client.get(f"{driver.url}/committee", headers=driver.tokens.authority).json
    assert [m["evaluator"] for m in committee["members"]] == [21, 22, 23]
    assert driver.events("evaluation.members_assigned")[0].payload["evaluators"] == [21, 22, 23]


def test_an_evaluator_seated_by_integer_id_declares_scores_and_sees_its_id_as_an_integer(driver):
    driver.publish()
    for provider_id in (5, 6, 7):
        assert driver.bid(provider_id).status_code == 201
    assert seat(driver, [21, 22, 23]).status_code == 200
    driver.close()
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "90", ids[1]: "80", ids[2]: "60"})
    scores = driver.client.get(f"{driver.url}/evaluation/scores", headers=driver.tokens.authority).json["scores"]
    assert {s["evaluator"] for s in scores} == {21, 22, 23}
    assert driver.events("evaluation.conflict_declared")[0].payload["evaluator"] == 21


def test_digit_strings_are_still_accepted_and_the_same_member_is_not_seated_twice(driver):
    driver.publish()
    assert seat(driver, ["21", 22]).status_code == 200
    again = seat(driver, [21, "23"])
    assert again.status_code == 200 and [m["evaluator"] for m in again.json] == [21, 22, 23]


@pytest.mark.parametrize("bad", ["evaluator-1", 0, -4, 1.5, True, None, "", "2" * 40])
def test_a_member_that_is_not_a_user_id_is_refused_with_its_position(driver, bad):
    driver.publish()
    refused = seat(driver, [21, bad])
    assert refused.status_code == 422, refused.json
    assert "1" in refused.json["errors"]["evaluators"]  # the second member is the one refused
