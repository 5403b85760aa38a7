"""Contracts from the award: made after the standstill, one per active award, edited before signature, signed by
both sides (the tender completes), cancelled, terminated, and expired by the due-transition command.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from services.common.quality_standards import checklist_for

CONTRACTS = "/api/v1/contracts"
# Every minimum quality standard of home care (the tenders' service) answered "met".
MET = [{"code": code, "status": "met"} for code in checklist_for("home-care").codes]


def decide(driver) -> dict:
    response = driver.complete()
    assert response.status_code == 200, response.json
    driver.tender = response.json
    return driver.tender


def end_standstill(driver) -> dict:
    driver.clock.now = datetime.fromisoformat(driver.tender["standstill_end"]) + timedelta(seconds=1)
    due = driver.client.post(f"{driver.url}/transitions/due", headers=driver.tokens.service).json
    driver.tender = due["tender"]
    return driver.tender


def make_contracts(driver, headers=None, **body):
    return driver.client.post(f"{driver.url}/contracts", json=body, headers=headers or driver.tokens.service)


def contract_url(contract: dict) -> str:
    return f"{CONTRACTS}/{contract['id']}"


def sign_both(driver, contract: dict) -> dict:
    assert driver.client.post(f"{contract_url(contract)}/sign", headers=driver.tokens.authority).status_code == 200
    response = driver.client.post(f"{contract_url(contract)}/sign", headers=driver.tokens.bidder)
    assert response.status_code == 200, response.json
    return response.json


def to_pending(scored):
    """The winner's contract, made by the flow's service account right after the standstill."""
    decide(scored)
    end_standstill(scored)
    response = make_contracts(scored)
    assert response.status_code == 201, response.json
    scored.contract = response.json[0]
    return scored


def to_active(scored):
    driver = to_pending(scored)
    driver.contract = sign_both(driver, driver.contract)
    return driver


@pytest.fixture
def pending(scored):
    return to_pending(scored)


@pytest.fixture
def active(scored):
    return to_active(scored)


def test_a_contract_is_refused_during_the_standstill_and_made_once_after_it(scored):
    decide(scored)
    early = make_contracts(scored)
    assert early.status_code == 409 and early.json["current_status"] == "active.standstill"
    assert "standstill ends" in early.json["message"]
    end_standstill(scored)
    first, again = make_contracts(scored), make_contracts(scored, headers=scored.tokens.authority)
    assert (first.status_code, again.status_code) == (201, 200)
    assert [c["id"] for c in first.json] == [c["id"] for c in again.json] and len(first.json) == 1
    assert len(scored.events("contract.created")) == 1


def test_an_open_complaint_blocks_the_contract(scored):
    decide(scored)
    body = {"title": "Punctaj greșit", "description": "Calitatea noastră a fost subevaluată"}
    assert scored.client.post(f"{scored.url}/complaints", json=body, headers=scored.tokens.cso[6]).status_code == 201
    scored.clock.now = datetime.fromisoformat(scored.tender["standstill_end"]) + timedelta(days=1)
    refused = make_contracts(scored)
    assert refused.status_code == 409 and refused.json["current_status"] == "active.standstill"


def test_the_contract_carries_the_award_s_terms_dates_milestones_and_default_kpi(pending):
    contract = pending.contract
    assert (contract["provider_id"], contract["places"], contract["status"]) == (5, 40, "pending")
    assert (contract["unit_price"], contract["value"], contract["currency"]) == ("9000.00", "360000.00", "MDL")
    standstill_end = datetime.fromisoformat(pending.tender["standstill_end"])
    start = datetime.fromisoformat(contract["start_at"])
    assert start.date() == standstill_end.date() + timedelta(days=1) and start.hour == 0
    assert datetime.fromisoformat(contract["end_at"]) == start.replace(year=start.year + 1)
    amounts = [Decimal(m["amount"]) for m in contract["milestones"]]
    assert len(amounts) == 12 and sum(amounts) == Decimal("360000.00")
    assert contract["kpis"] == [
        {"code": "beneficiaries_served", "name": "Beneficiari deserviți", "target": "40", "unit": "persons"}
    ]
    created = pending.events("contract.created")[0]
    assert created.correlation_id == contract["ocid"]
    assert {
        "contract_id",
        "tender_id",
        "ocid",
        "district_code",
        "service_type",
        "provider_id",
    } <= created.payload.keys()


def test_a_contract_drawn_up_days_after_the_standstill_starts_the_day_after_not_in_the_past(scored):
    decide(scored)
    end_standstill(scored)
    scored.clock.now = datetime.fromisoformat(scored.tender["standstill_end"]) + timedelta(days=3)
    response = make_contracts(scored)
    assert response.status_code == 201, response.json
    start = datetime.fromisoformat(response.json[0]["start_at"])
    assert start.date() == scored.clock.now.date() + timedelta(days=1) and start.hour == 0
    assert all(datetime.fromisoformat(m["period_end"]) > scored.clock.now for m in response.json[0]["milestones"])


def test_before_signature_the_authority_edits_milestones_and_kpis_and_each_edit_is_a_version(pending):
    url = contract_url(pending.contract)
    kpis = [{"code": "visits_per_month", "name": "Vizite pe lună", "target": "320"}]
    response = pending.client.patch(
        url, json={"milestone_frequency": "quarterly", "kpis": kpis}, headers=pending.tokens.authority
    )
    assert response.status_code == 200, response.json
    assert [m["amount"] for m in response.json["milestones"]] == ["90000.00"] * 4
    assert response.json["kpis"][0]["code"] == "visits_per_month"
    start, end = pending.contract["start_at"], pending.contract["end_at"]
    wrong = [{"period_start": start, "period_end": end, "amount": "1000.00"}]
    refused = pending.client.patch(url, json={"milestones": wrong}, headers=pending.tokens.authority)
    assert refused.status_code == 422 and "milestones" in refused.json["errors"]
    versions = pending.client.get(f"{url}/versions").json
    assert [v["kind"] for v in versions] == ["created", "edit"]
    assert versions[0]["terms"]["milestone_frequency"] == "monthly"


def test_signing_by_both_sides_activates_the_contract_and_completes_the_tender(pending):
    url = contract_url(pending.contract)
    first = pending.client.post(f"{url}/sign", headers=pending.tokens.authority)
    assert first.json["status"] == "pending" and first.json["signatures"]["authority"]["signed_at"]
    twice = pending.client.post(f"{url}/sign", headers=pending.tokens.authority)
    assert twice.status_code == 409
    stranger = pending.client.post(f"{url}/sign", headers=pending.tokens.cso[6])
    assert stranger.status_code == 404
    assert pending.refresh()["status"] == "active.contract_pending"
    signed = pending.client.post(f"{url}/sign", headers=pending.tokens.bidder)
    assert signed.json["status"] == "active" and pending.refresh()["status"] == "complete"
    assert [e.payload["side"] for e in pending.events("contract.signed")] == ["authority", "provider"]
    assert len(pending.events("contract.activated")) == 1 and len(pending.events("tender.complete")) == 1
    edit = pending.client.patch(url, json={"milestone_frequency": "quarterly"}, headers=pending.tokens.authority)
    assert edit.status_code == 409 and edit.json["current_status"] == "active"


def test_a_pending_contract_is_cancelled_and_an_active_one_terminated_with_the_reason(pending):
    url = contract_url(pending.contract)
    refused = pending.client.post(
        f"{url}/terminate", json={"reason": "Încălcări grave"}, headers=pending.tokens.authority
    )
    assert refused.status_code == 409 and refused.json["allowed_transitions"] == ["cancel", "edit", "sign"]
    cancelled = pending.client.post(
        f"{url}/cancel", json={"reason": "Prestatorul a renunțat"}, headers=pending.tokens.authority
    )
    assert cancelled.json["status"] == "cancelled" and cancelled.json["end_reason"] == "Prestatorul a renunțat"
    assert pending.events("contract.cancelled")[0].payload["reason"] == "Prestatorul a renunțat"


def test_an_active_contract_terminated_early_says_why(active):
    url = contract_url(active.contract)
    response = active.client.post(
        f"{url}/terminate", json={"reason": "Încălcări grave"}, headers=active.tokens.authority
    )
    assert response.json["status"] == "terminated"
    assert active.events("contract.terminated")[0].payload["reason"] == "Încălcări grave"


def test_due_transitions_announce_expiry_once_in_the_notice_window_and_expire_after_the_end(active):
    end = datetime.fromisoformat(active.contract["end_at"])
    due = f"{CONTRACTS}/transitions/due"
    active.clock.now = end - timedelta(days=91)
    assert active.client.post(due, headers=active.tokens.service).json == {"expired": [], "expiring": []}
    active.clock.now = end - timedelta(days=89)
    assert active.client.post(due, headers=active.tokens.service).json["expiring"] == [active.contract["id"]]
    assert active.client.post(due, headers=active.tokens.operator).json == {"expired": [], "expiring": []}
    assert active.events("contract.expiring")[0].payload["days_left"] == 89
    active.clock.now = end
    assert active.client.post(due, headers=active.tokens.service).json["expired"] == [active.contract["id"]]
    assert active.client.get(contract_url(active.contract)).json["status"] == "expired"
    assert len(active.events("contract.expiring")) == 1 and len(active.events("contract.expired")) == 1


def test_another_district_s_authority_reads_the_public_contract_but_is_told_it_has_none_to_sign(pending):
    url = contract_url(pending.contract)
    # Contracts are public, and a token never sees less than the public (issue 14 #8).
    other = pending.client.get(url, headers=pending.tokens.authority_other)
    assert (other.status_code, other.json) == (200, pending.client.get(url).json)
    assert pending.client.post(f"{url}/sign", headers=pending.tokens.authority_other).status_code == 404
    listed = pending.client.get(CONTRACTS, headers=pending.tokens.authority_other).json
    assert [c["id"] for c in listed] == [pending.contract["id"]]


def test_a_cso_not_named_in_a_signed_contract_is_told_it_does_not_exist_not_that_it_is_signed(active):
    missing = active.client.post(f"{CONTRACTS}/999999/sign", headers=active.tokens.cso_other)
    for path in ("sign", "reports"):
        body = {"milestone_number": 1, "beneficiaries_served": 1, "narrative": "Raport lunar complet."}
        body["standards"] = MET
        answer = active.client.post(
            f"{contract_url(active.contract)}/{path}", json=body, headers=active.tokens.cso_other
        )
        assert answer.status_code == 404, answer.json
        assert answer.json["message"] == missing.json["message"].replace("999999", str(active.contract["id"]))
        assert "current_status" not in answer.json
    assert active.client.post(f"{contract_url(active.contract)}/sign", headers=active.tokens.bidder).status_code == 409


def test_hand_written_milestones_survive_a_later_kpi_only_edit(pending):
    url = contract_url(pending.contract)
    start, end = pending.contract["start_at"], pending.contract["end_at"]
    middle = pending.contract["milestones"][5]["period_end"]
    written = [
        {"period_start": start, "period_end": middle, "amount": "100000.00"},
        {"period_start": middle, "period_end": end, "amount": "260000.00"},
    ]
    assert pending.client.patch(url, json={"milestones": written}, headers=pending.tokens.authority).status_code == 200
    kpis = [{"code": "beneficiaries_served", "name": "Beneficiari", "target": "36"}]
    edited = pending.client.patch(url, json={"kpis": kpis}, headers=pending.tokens.authority).json
    assert [m["amount"] for m in edited["milestones"]] == ["100000.00", "260000.00"]
    assert edited["kpis"][0]["target"] == "36" and edited["version"] == 3
