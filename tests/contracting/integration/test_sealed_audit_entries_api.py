"""The audit log does not tell the department who bid: bid entries show no bidder and no time, before the deadline
and after the opening, while verification (API and CLI) still recomputes the whole chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from services.contracting.domain import audit
from services.contracting.service_layer.audit_verification import verify_audit_chain


def audit_log(driver, headers=None) -> dict:
    response = driver.client.get(f"{driver.url}/audit", headers=headers or driver.tokens.authority)
    assert response.status_code == 200, response.json
    return response.json


def bidding(driver):
    driver.publish()
    assert driver.bid(5).status_code == 201
    driver.clock.advance(hours=3)
    bid = driver.bid(6, unit_price="9500.00").json["bid"]
    driver.clock.advance(hours=2)
    body = driver.bid_body(unit_price="9400.00")
    modified = driver.client.put(f"{driver.url}/bids/{bid['id']}", json=body, headers=driver.tokens.cso[6])
    assert modified.status_code == 200, modified.json
    return driver


def bid_entries(log: dict) -> list[dict]:
    return [e for e in log["entries"] if e["sealed"]]


def test_before_the_deadline_the_authority_sees_bid_entries_without_bidder_or_time(driver):
    bidding(driver)
    log = audit_log(driver)
    assert log["intact"]
    assert not any(e["actor"].startswith("cso:") for e in log["entries"])
    entries = bid_entries(log)
    assert len(entries) == 3
    assert {e["actor"] for e in entries} == {"bidder (sealed)"} and {e["action"] for e in entries} == {"sealed_bid"}
    assert all(e["at"] is None for e in entries)
    assert log["entries"][0]["actor"] == "authority:11" and log["entries"][0]["at"] is not None


def test_after_the_opening_no_opened_bid_can_be_matched_to_a_bid_entry_by_bidder_and_time(driver):
    bidding(driver)
    driver.close()
    log = audit_log(driver, driver.tokens.operator)
    bids = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.authority).json["bids"]
    assert len(bids) == 2 and all(b["submitted_at"] for b in bids)
    for entry in bid_entries(log):
        assert entry["actor"] == "bidder (sealed)" and entry["at"] is None
        for bid in bids:
            for action in ("submit_bid", "modify_bid"):
                for moment in (bid["submitted_at"], bid["updated_at"]):
                    guess = audit.entry_hash(
                        driver.tender["id"],
                        entry["seq"],
                        f"cso:c{bid['provider_id']}",
                        action,
                        datetime.fromisoformat(moment),
                        entry["payload_hash"],
                        entry["previous_hash"],
                    )
                    assert guess != entry["entry_hash"]


def test_the_whole_chain_with_sealed_entries_verifies_by_api_and_cli_and_an_edit_still_shows(driver):
    bidding(driver)
    driver.close()
    verified = driver.client.get(f"{driver.url}/audit/verify", headers=driver.tokens.authority).json
    context = driver.app.extensions["service_context"]
    assert verified["intact"] and verify_audit_chain(context, driver.tender["id"]).intact
    sealed_seq = bid_entries(audit_log(driver))[0]["seq"]
    with context.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_log SET actor = 'cso:c8' WHERE tender_id = :t AND seq = :s"),
            {"t": driver.tender["id"], "s": sealed_seq},
        )
    broken = driver.client.get(f"{driver.url}/audit/verify", headers=driver.tokens.authority).json["first_broken"]
    assert broken["seq"] == sealed_seq and broken["at"] is None and broken["action"] == "sealed_bid"
    assert verify_audit_chain(context, driver.tender["id"]).first_broken.seq == sealed_seq


def test_who_asked_a_question_is_not_in_the_audit_log(driver):
    driver.publish()
    driver.clock.advance(hours=1)
    asked = driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso[5]
    )
    assert asked.status_code == 201, asked.json
    entry = next(e for e in audit_log(driver)["entries"] if e["action"] == "ask")
    # The question and its time are public anyway; only the asker is left out, as in the published clarification.
    assert entry["actor"] == "asker (anonymous)" and entry["at"] is not None
