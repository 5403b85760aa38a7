"""An unsuccessful call ends its award stage cleanly: its bidders are told why, and nobody waits for a notice
that cannot come (issue 14 #1: every unsuccessful call left a failed award-stage run behind)."""

from __future__ import annotations

from datetime import timedelta

from flows.award_stage import award_stage
from flows.evaluation_stage import evaluation_stage
from tests.flows.test_stage_flows import bid_and_score, publish_tender, score_everything, seed_people


def deliveries(platform, people, ocid: str, event_type: str) -> list[dict]:
    params = {"correlation_id": ocid, "event_type": event_type, "page_size": 100}
    response = platform.call("GET", "notifications", "/deliveries", people["operator"], params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_bidders_of_a_call_where_every_bid_is_below_the_quality_floor_are_told_why_and_the_stage_completes(
    platform,
):
    people = seed_people(platform)
    tender = publish_tender(platform, people, quality_minimum="50")
    bid_and_score(platform, people, tender)
    platform.clock.now += timedelta(days=11)  # past the submission deadline
    evaluation_stage(tender["id"], tender["ocid"])
    score_everything(platform, people, tender, score="20")
    assert evaluation_stage(tender["id"], tender["ocid"])["status"] == "unsuccessful"
    platform.pump()  # the notifications worker records the outcome notices

    outcome = award_stage(tender["id"], tender["ocid"])

    assert outcome["status"] == "unsuccessful" and outcome["notified"] == 2
    notices = deliveries(platform, people, tender["ocid"], "tender.unsuccessful")
    told = {d["recipient"] for d in notices if d["recipient"].startswith("provider:")}
    assert told == {f"provider:{provider_id}" for provider_id in people["providers"]}
    first_bidder = f"provider:{people['providers'][0]}"
    email = next(d for d in notices if d["recipient"] == first_bidder and d["channel"] == "email")
    assert email["subject"].startswith("Procedură fără câștigător")
    assert "punctajul minim" in email["body"], email["body"]


def test_a_call_nobody_bid_on_ends_its_award_stage_without_waiting_for_a_notice_to_bidders(platform):
    people = seed_people(platform)
    tender = publish_tender(platform, people)
    platform.clock.now += timedelta(days=18)  # past the submission deadline, no bid in
    assert evaluation_stage(tender["id"], tender["ocid"])["status"] == "unsuccessful"
    platform.pump()

    outcome = award_stage(tender["id"], tender["ocid"])  # raised after its retries when it waited for bidders

    assert outcome == {"status": "unsuccessful", "notified": 0, "contracts": []}
