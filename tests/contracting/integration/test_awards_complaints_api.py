"""After the decision: award cascade, complaints during the standstill, its end, and the audit chain."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_evaluation import Award
from services.contracting.domain.canonical import sha256_of


def live_awards(driver) -> list[tuple[int, str]]:
    awards = driver.client.get(f"{driver.url}/awards").json
    return [(a["provider_id"], a["status"]) for a in awards if a["status"] in ("pending", "active")]


def award_of(driver, provider_id: int) -> int:
    awards = driver.client.get(f"{driver.url}/awards").json
    return next(a["id"] for a in awards if a["provider_id"] == provider_id and a["status"] == "pending")


def test_when_the_winner_declines_the_next_ranked_bid_gets_the_award_and_a_fresh_standstill(decided):
    decided.clock.advance(days=2)
    url = f"{decided.url}/awards/{award_of(decided, 5)}/decline"
    response = decided.client.post(url, json={"reason": "Nu mai avem personal"}, headers=decided.tokens.bidder)
    assert response.status_code == 200
    assert live_awards(decided) == [(6, "pending")]
    cancelled = decided.events("award.cancelled")[0].payload
    assert cancelled["provider_id"] == 5 and cancelled["replacement"]["provider_id"] == 6
    assert datetime.fromisoformat(response.json["standstill_end"]) == decided.clock.now + timedelta(days=6)
    assert len(decided.events("award.decided")) == 2


def test_only_the_winner_may_decline_its_award(decided):
    url = f"{decided.url}/awards/{award_of(decided, 5)}/decline"
    response = decided.client.post(url, json={"reason": "Nu e al nostru"}, headers=decided.tokens.cso[6])
    assert response.status_code == 403 and live_awards(decided) == [(5, "pending")]


def test_disqualifying_every_winner_in_turn_leaves_the_call_unsuccessful(decided):
    for provider_id in (5, 6, 7):
        url = f"{decided.url}/awards/{award_of(decided, provider_id)}/disqualify"
        response = decided.client.post(url, json={"reason": "Documente false"}, headers=decided.tokens.authority)
        assert response.status_code == 200
    assert response.json["status"] == "unsuccessful" and live_awards(decided) == []
    ranking = decided.client.get(f"{decided.url}/ranking").json["lots"][0]["bids"]
    assert {b["result"] for b in ranking} == {"disqualified"}


def test_only_bidders_may_complain_and_only_during_the_standstill(decided):
    body = {"title": "Punctaj greșit", "description": "Calitatea noastră a fost subevaluată"}
    outsider = decided.client.post(f"{decided.url}/complaints", json=body, headers=decided.tokens.cso_other)
    assert outsider.status_code == 403
    assert decided.client.post(f"{decided.url}/complaints", json=body, headers=decided.tokens.cso[6]).status_code == 201
    decided.clock.now = datetime.fromisoformat(decided.tender["standstill_end"])
    late = decided.client.post(f"{decided.url}/complaints", json=body, headers=decided.tokens.cso[7])
    assert late.status_code == 409 and "standstill" in late.json["message"]


def test_an_open_complaint_holds_the_standstill_end_until_it_is_rejected(decided):
    body = {"title": "Punctaj greșit", "description": "Calitatea noastră a fost subevaluată"}
    complaint = decided.client.post(f"{decided.url}/complaints", json=body, headers=decided.tokens.cso[6]).json
    decided.clock.now = datetime.fromisoformat(decided.tender["standstill_end"]) + timedelta(seconds=1)
    due = decided.client.post(f"{decided.url}/transitions/due", headers=decided.tokens.service).json
    assert due["applied"] == [] and due["tender"]["status"] == "active.standstill"
    resolution = {"decision": "rejected", "reasons": "Punctajul respectă grila publicată"}
    url = f"{decided.url}/complaints/{complaint['id']}/resolution"
    assert decided.client.post(url, json=resolution, headers=decided.tokens.operator).json["status"] == "rejected"
    due = decided.client.post(f"{decided.url}/transitions/due", headers=decided.tokens.service).json
    assert due["applied"] == ["end_standstill"] and due["tender"]["status"] == "active.contract_pending"
    assert live_awards(decided) == [(5, "active")]
    assert decided.events("tender.end_standstill")[0].payload["awards"][0]["provider_id"] == 5


def test_an_upheld_complaint_cancels_the_award_and_reopens_evaluation_for_the_next_ranked(decided):
    award_id = award_of(decided, 5)
    body = {"award_id": award_id, "title": "Conflict de interese", "description": "Câștigătorul e rudă cu evaluatorul"}
    complaint = decided.client.post(f"{decided.url}/complaints", json=body, headers=decided.tokens.cso[6]).json
    resolution = {"decision": "upheld", "reasons": "Conflictul a fost confirmat"}
    url = f"{decided.url}/complaints/{complaint['id']}/resolution"
    assert decided.client.post(url, json=resolution, headers=decided.tokens.authority).status_code == 200
    assert decided.refresh()["status"] == "active.evaluation" and live_awards(decided) == []
    again = decided.complete()
    assert again.json["status"] == "active.standstill" and live_awards(decided) == [(6, "pending")]
    bidders = {b["provider_id"]: b["result"] for b in decided.events("award.decided")[-1].payload["bidders"]}
    assert bidders == {5: "award_cancelled", 6: "awarded", 7: "not_awarded"}


def test_a_resolved_complaint_cannot_be_resolved_again(decided):
    body = {"title": "Punctaj greșit", "description": "Calitatea noastră a fost subevaluată"}
    complaint = decided.client.post(f"{decided.url}/complaints", json=body, headers=decided.tokens.cso[6]).json
    url = f"{decided.url}/complaints/{complaint['id']}/resolution"
    resolution = {"decision": "rejected", "reasons": "Punctajul respectă grila publicată"}
    decided.client.post(url, json=resolution, headers=decided.tokens.authority)
    again = decided.client.post(url, json=resolution, headers=decided.tokens.authority)
    assert again.status_code == 409 and again.json["current_status"] == "rejected"


def test_every_write_extends_an_intact_hash_chain_that_exposes_tampering(decided):
    audit = decided.client.get(f"{decided.url}/audit", headers=decided.tokens.operator).json
    actions = [e["action"] for e in audit["entries"]]
    assert audit["intact"] and actions[:2] == ["create", "publish"]
    assert {"sealed_bid", "close_submissions", "declare", "score", "complete_evaluation", "decide_awards"} <= set(
        actions
    )
    assert all(
        b["previous_hash"] == a["entry_hash"] for a, b in zip(audit["entries"], audit["entries"][1:], strict=False)
    )
    with decided.app.extensions["service_context"].session_factory.begin() as session:
        session.execute(update(AuditLogEntry).where(AuditLogEntry.seq == 3).values(actor="operator:intruder"))
    tampered = decided.client.get(f"{decided.url}/audit", headers=decided.tokens.operator).json
    assert not tampered["intact"] and tampered["first_break"] == 3


def test_every_event_is_matched_by_an_audit_entry_hashing_its_payload(decided):
    entries = decided.client.get(f"{decided.url}/audit", headers=decided.tokens.operator).json["entries"]
    hashes = {e["payload_hash"] for e in entries}
    for envelope in decided.events():
        assert {"tender_id", "ocid", "district_code", "service_type"} <= envelope.payload.keys()
        if envelope.type != "tender.invitation_sent":  # invitations are audited as one entry per round
            assert sha256_of(envelope.payload) in hashes, envelope.type


def test_the_database_refuses_a_second_live_award_on_the_same_lot_slot(decided):
    with decided.app.extensions["service_context"].session_factory() as session:
        first = session.query(Award).one()
        duplicate = {c: getattr(first, c) for c in ("tender_id", "lot_id", "slot", "rank", "places", "value")}
        session.add(
            Award(**duplicate, bid_id=first.bid_id + 1, provider_id=6, status="pending", created_at=first.created_at)
        )
        with pytest.raises(IntegrityError):
            session.commit()
