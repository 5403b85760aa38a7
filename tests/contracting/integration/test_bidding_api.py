"""Bidding over HTTP: the deadline by the server clock, sealed bids, receipts, amendments, clarifications."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from services.contracting.entrypoints.api import create_app
from tests.clock import Clock
from tests.conftest import migrated_sqlite_url
from tests.contracting.conftest import START, Driver, Tokens, app_on, seed_market, tender_body
from tests.statements import StatementLog


def test_a_bid_returns_a_receipt_hashing_its_canonical_document_and_the_server_time(driver):
    driver.publish()
    response = driver.bid(5, unit_price="9000.50", places=40)
    assert response.status_code == 201
    bid, receipt = response.json["bid"], response.json["receipt"]
    assert bid["price"] == "360020.00"
    document = {k: bid[k] for k in ("tender_id", "lot_id", "provider_id", "status", "unit_price", "places", "price")}
    document.update(
        quality_text=bid["quality_text"], quality_answers=bid["quality_answers"], documents=bid["documents"]
    )
    document.update(received_at=receipt["received_at"])  # the receipt proves what was submitted and when
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert receipt["sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert datetime.fromisoformat(receipt["received_at"]) == driver.clock.now


def test_a_bid_after_the_deadline_is_refused_even_if_the_closing_flow_is_late(driver):
    driver.publish()
    driver.clock.now = datetime.fromisoformat(driver.tender["submission_deadline"])
    late = driver.bid(5)
    assert late.status_code == 409
    assert late.json["submission_deadline"] == driver.tender["submission_deadline"]
    shown = driver.refresh()
    # Nobody closed it yet (recorded: enquiries); the clock decides, and what the call shows agrees with it.
    assert (shown["applied_status"], shown["status"]) == ("active.enquiries", "active.evaluation")


def test_modify_and_withdraw_work_until_the_deadline_and_never_after(driver):
    driver.publish()
    bid = driver.bid(5).json["bid"]
    url = f"{driver.url}/bids/{bid['id']}"
    changed = driver.client.put(url, json=driver.bid_body(unit_price="8500.00"), headers=driver.tokens.bidder)
    assert changed.status_code == 200 and changed.json["bid"]["price"] == "340000.00"
    assert changed.json["receipt"]["sha256"] != bid["receipt_sha256"]
    driver.clock.now = datetime.fromisoformat(driver.tender["submission_deadline"]) + timedelta(microseconds=1)
    assert driver.client.put(url, json=driver.bid_body(), headers=driver.tokens.bidder).status_code == 409
    assert driver.client.post(f"{url}/withdraw", headers=driver.tokens.bidder).status_code == 409


def test_a_withdrawn_bid_is_not_opened_and_may_be_replaced_before_the_deadline(driver):
    driver.publish()
    bid = driver.bid(5).json["bid"]
    withdrawn = driver.client.post(f"{driver.url}/bids/{bid['id']}/withdraw", headers=driver.tokens.bidder)
    assert withdrawn.json["bid"]["status"] == "withdrawn"
    assert driver.bid(6).status_code == 201
    opened = driver.close()
    assert opened["tender"]["status"] == "active.evaluation"
    assert [e.payload["bids_received"] for e in driver.events("tender.close_submissions")] == [1]


def test_a_second_bid_on_the_same_lot_is_refused_pointing_at_the_first(driver):
    driver.publish()
    first = driver.bid(5).json["bid"]
    second = driver.bid(5)
    assert second.status_code == 409 and second.json["bid_id"] == first["id"]


def test_bids_are_sealed_the_author_reads_its_own_the_authority_only_a_count(driver):
    driver.publish()
    mine = driver.bid(5).json["bid"]
    driver.bid(6)
    own = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.bidder).json
    assert own["count"] == 1 and own["bids"][0]["id"] == mine["id"]
    authority = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.authority).json
    assert authority == {"tender_id": driver.tender["id"], "count": 2, "bids": []}
    for headers in (driver.tokens.operator, driver.tokens.service, driver.tokens.evaluator):
        assert driver.client.get(f"{driver.url}/bids", headers=headers).status_code == 403
    assert driver.client.get(f"{driver.url}/bids").status_code == 401
    other = driver.client.get(f"{driver.url}/bids/{mine['id']}", headers=driver.tokens.cso[6])
    assert other.status_code == 404
    assert driver.client.get(f"{driver.url}/bids/{mine['id']}", headers=driver.tokens.authority).status_code == 404


def test_a_bidder_not_serving_the_district_is_found_ineligible_at_opening_from_the_replica(driver, token_mint):
    seed_market(driver.app, providers=(9,), district="MD-BA")
    driver.publish()
    driver.bid(5)
    outsider = token_mint.headers("cso", "c9", provider_id=9)
    assert driver.client.post(f"{driver.url}/bids", json=driver.bid_body(), headers=outsider).status_code == 201
    driver.close()
    bids = {
        b["provider_id"]: b
        for b in driver.client.get(f"{driver.url}/bids", headers=driver.tokens.authority).json["bids"]
    }
    assert bids[5]["eligible"] is True
    assert bids[9]["eligible"] is False and "not serving MD-CU" in bids[9]["eligibility_reason"]


def test_offering_more_places_than_the_lot_has_or_skipping_a_quality_answer_is_refused(driver):
    driver.publish()
    too_many = driver.bid(5, places=41)
    assert too_many.status_code == 422 and "places" in too_many.json["errors"]
    body = {**driver.bid_body(), "quality_answers": []}
    unanswered = driver.client.post(f"{driver.url}/bids", json=body, headers=driver.tokens.bidder)
    assert unanswered.status_code == 422 and "quality_answers" in unanswered.json["errors"]
    cents = driver.client.post(f"{driver.url}/bids", json={**body, "unit_price": "1.001"}, headers=driver.tokens.bidder)
    assert cents.status_code == 422 and "unit_price" in cents.json["errors"]


def test_a_material_amendment_moves_the_deadline_and_flags_bids_for_reconfirmation(driver):
    driver.publish()
    bid = driver.bid(5).json["bid"]
    old_deadline = datetime.fromisoformat(driver.tender["submission_deadline"])
    body = {"rationale": "Numărul de beneficiari a crescut", "lots": [{"id": driver.lot_id(), "places": 50}]}
    amended = driver.client.post(f"{driver.url}/amendments", json=body, headers=driver.tokens.authority)
    assert amended.status_code == 201
    new_deadline = datetime.fromisoformat(amended.json["submission_deadline"])
    assert new_deadline - old_deadline == timedelta(days=4)
    moved = driver.events("tender.deadline_moved")[0].payload
    assert moved["submission_deadline"] == new_deadline.isoformat() and moved["tender_id"] == driver.tender["id"]
    assert driver.events("tender.amended")[0].payload["reconfirm_provider_ids"] == [5]
    own = driver.client.get(f"{driver.url}/bids/{bid['id']}", headers=driver.tokens.bidder).json
    assert own["needs_reconfirmation"] is True
    reconfirmed = driver.client.post(f"{driver.url}/bids/{bid['id']}/reconfirm", headers=driver.tokens.bidder)
    assert reconfirmed.json["bid"]["needs_reconfirmation"] is False


def test_an_amendment_cannot_move_the_deadline_by_less_than_the_minimum(driver):
    driver.publish()
    too_soon = datetime.fromisoformat(driver.tender["submission_deadline"]) + timedelta(days=1)
    body = {"rationale": "Corectare", "submission_deadline": too_soon.isoformat()}
    response = driver.client.post(f"{driver.url}/amendments", json=body, headers=driver.tokens.authority)
    assert response.status_code == 422 and "submission_deadline" in response.json["errors"]


def test_a_bid_not_reconfirmed_after_an_amendment_is_not_eligible_at_opening(driver):
    driver.publish()
    driver.bid(5)
    driver.client.post(f"{driver.url}/amendments", json={"rationale": "Termen nou"}, headers=driver.tokens.authority)
    driver.refresh()
    driver.close()
    bid = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.authority).json["bids"][0]
    assert bid["eligible"] is False and "re-confirmed" in bid["eligibility_reason"]


def test_questions_are_public_without_the_asker_and_close_at_the_enquiry_end(driver):
    driver.publish()
    asked = driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso_other
    )
    assert asked.status_code == 201
    answer_url = f"{driver.url}/questions/{asked.json['id']}/answer"
    answered = driver.client.post(answer_url, json={"answer": "Da."}, headers=driver.tokens.authority)
    assert answered.status_code == 200
    public = driver.client.get(f"{driver.url}/questions").json
    assert public[0]["answer"] == "Da." and "asked_by" not in public[0]
    assert "asked_by" not in driver.events("tender.question_asked")[0].payload
    driver.clock.now = datetime.fromisoformat(driver.tender["enquiry_end"])
    late = driver.client.post(f"{driver.url}/questions", json={"question": "Încă una?"}, headers=driver.tokens.bidder)
    assert late.status_code == 409 and "enquiry end" in late.json["message"]


def test_cancelling_needs_a_reason_and_ends_the_call(driver):
    driver.publish()
    assert driver.client.post(f"{driver.url}/cancel", json={}, headers=driver.tokens.authority).status_code == 422
    body = {"reason": "Bugetul a fost redistribuit"}
    cancelled = driver.client.post(f"{driver.url}/cancel", json=body, headers=driver.tokens.authority)
    assert cancelled.json["status"] == "cancelled" and cancelled.json["cancellation_reason"] == body["reason"]
    assert driver.events("tender.cancelled")[0].payload["reason"] == body["reason"]
    assert driver.bid(5).status_code == 409


def test_periods_shorter_than_the_procedure_minimum_are_refused(driver):
    body = tender_body(driver.clock, enquiry_end=(driver.clock.now + timedelta(days=1)).isoformat())
    response = driver.client.post("/api/v1/tenders", json=body, headers=driver.tokens.authority)
    assert response.status_code == 422 and "enquiry_end" in response.json["errors"]


def test_criteria_weights_must_sum_to_100(driver):
    criteria = [{"kind": "price", "name": "Preț", "weight": 50}, {"kind": "quality", "name": "Calitate", "weight": 40}]
    response = driver.client.post(
        "/api/v1/tenders", json=tender_body(driver.clock, criteria=criteria), headers=driver.tokens.authority
    )
    assert response.status_code == 422 and "sum to 90" in response.json["errors"]["criteria"][0]


def test_a_committee_smaller_than_three_is_refused(driver):
    body = tender_body(driver.clock, committee_size=2)
    response = driver.client.post("/api/v1/tenders", json=body, headers=driver.tokens.authority)
    assert response.status_code == 422 and "committee_size" in response.json["errors"]


def test_periods_compress_for_the_demo_through_the_environment(monkeypatch, tmp_path, brokerless_bus_url, token_mint):
    monkeypatch.setenv("CONTRACTING_MIN_ENQUIRY_SECONDS", "60")
    monkeypatch.setenv("CONTRACTING_MIN_TENDERING_SECONDS", "60")
    clock = Clock(START)
    url = migrated_sqlite_url("contracting", tmp_path)
    app = create_app(
        {"DATABASE_URL": url, "BUS_URL": brokerless_bus_url}, token_verifier=token_mint.verifier, clock=clock
    )
    seed_market(app)
    body = tender_body(
        clock,
        enquiry_end=(clock.now + timedelta(minutes=2)).isoformat(),
        submission_deadline=(clock.now + timedelta(minutes=4)).isoformat(),
    )
    response = app.test_client().post("/api/v1/tenders", json=body, headers=Tokens(token_mint).authority)
    assert response.status_code == 201


def test_a_bid_is_checked_and_recorded_in_five_statements_and_every_write_keeps_the_audit_chain_whole(
    any_database_url, brokerless_bus_url, token_mint, clock, tokens
):
    driver = Driver(app_on(any_database_url, brokerless_bus_url, token_mint, clock), clock, tokens)
    driver.publish()
    engine = driver.app.extensions["service_context"].engine
    with StatementLog(engine) as log:
        assert driver.bid(5).status_code == 201
    # The call's row lock; the lot, the CSO's earlier bid, the quality criteria and the audit chain's head in one
    # query; then the bid, its event and its audit entry (SQLite also takes its write lock with a no-op UPDATE).
    writes = ("INSERT INTO bids", "INSERT INTO outbox", "INSERT INTO audit_log")
    assert [log.count(prefix) for prefix in ("SELECT", *writes)] == [2, 1, 1, 1]
    assert len(log.statements) == (6 if any_database_url.startswith("sqlite") else 5)
    bid = driver.bid(6).json["bid"]
    assert driver.bid(6).status_code == 409  # the earlier bid the same query found
    url = f"{driver.url}/bids/{bid['id']}"
    assert driver.client.put(url, json=driver.bid_body(unit_price="8000.00"), headers=tokens.cso[6]).status_code == 200
    assert driver.client.post(f"{url}/withdraw", headers=tokens.cso[6]).status_code == 200
    assert driver.bid(6).status_code == 201  # the withdrawn bid, submitted again
    chain = driver.client.get(f"{driver.url}/audit/verify", headers=tokens.authority).json
    assert chain["intact"] is True and chain["first_broken"] is None
