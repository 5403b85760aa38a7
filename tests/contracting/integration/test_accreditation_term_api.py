"""Accreditation must cover the contract's whole term: an award whose winner's accreditation ends before the
contract would is flagged to the department (and in the award event); a renewal past the accreditation's end is
neither recommended, proposed nor applied until a new accreditation arrives."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from services.common.bus.envelope import Envelope
from services.contracting.service_layer.eligibility import apply_registry_event
from tests.contracting.integration.test_contracts_api import contract_url, to_active
from tests.contracting.integration.test_renewal_path_api import days_before_end, report_months


def accredit(driver, provider_id: int, valid_to: date, version: int, accreditation_id: int | None = None) -> None:
    """The registry changes the provider's home-care accreditation (as its replicated event would)."""
    payload = {
        "accreditation_id": accreditation_id or 100 + provider_id,
        "provider_id": provider_id,
        "status": "active",
        "service_type": "home-care",
        "valid_from": "2026-01-01" if accreditation_id is None else "2027-01-01",
        "valid_to": valid_to.isoformat(),
        "version": version,
    }
    with driver.app.extensions["service_context"].session_factory.begin() as session:
        envelope = Envelope(type="accreditation.updated", payload=payload, producer="registry")
        apply_registry_event(session, envelope)


def decided_with_short_accreditation(driver, valid_to: date):
    driver.publish()
    for provider_id, price in zip((5, 6, 7), ("9000.00", "10000.00", "8000.00"), strict=True):
        assert driver.bid(provider_id, unit_price=price).status_code == 201
    accredit(driver, 5, valid_to, version=2)  # still valid at the deadline, not for the whole contract
    driver.seat_committee()
    driver.close()
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "90", ids[1]: "80", ids[2]: "60"})
    response = driver.complete()
    assert response.status_code == 200, response.json
    return response.json


def test_an_award_whose_winner_is_accredited_for_less_than_the_contract_term_is_flagged(driver):
    tender = decided_with_short_accreditation(driver, date(2027, 6, 30))
    awards = driver.client.get(f"{driver.url}/awards", headers=driver.tokens.authority).json
    assert [a["provider_id"] for a in awards] == [5]
    flag = awards[0]["accreditation_ends_before_contract"]
    assert flag["valid_until"] == "2027-06-30"
    # The contract would start the day after the standstill and run the lot's 12 months.
    start = datetime.fromisoformat(tender["standstill_end"]).date() + timedelta(days=1)
    assert datetime.fromisoformat(flag["contract_end"]).date() == start.replace(year=start.year + 1)
    event_award = driver.events("award.decided")[0].payload["awards"][0]
    assert event_award["accreditation_ends_before_contract"] == flag


def test_an_award_whose_winner_is_accredited_for_the_whole_term_carries_no_flag(driver):
    decided_with_short_accreditation(driver, date(2030, 12, 31))
    awards = driver.client.get(f"{driver.url}/awards", headers=driver.tokens.authority).json
    assert awards[0]["accreditation_ends_before_contract"] is None
    assert driver.events("award.decided")[0].payload["awards"][0]["accreditation_ends_before_contract"] is None


@pytest.fixture
def performing(scored):
    driver = to_active(scored)
    report_months(driver, served=38)
    days_before_end(driver, 80)
    return driver


def short_of_the_renewal(driver) -> date:
    """The provider's accreditation covers the current term and two months more, not a 12-month renewal."""
    ends = datetime.fromisoformat(driver.contract["end_at"]).date() + timedelta(days=60)
    accredit(driver, 5, ends, version=2)
    return ends


def test_a_renewal_past_the_accreditation_end_is_not_recommended_and_says_why(performing):
    ends = short_of_the_renewal(performing)
    due = performing.client.get("/api/v1/renewals/due", headers=performing.tokens.authority).json
    advice = due[0]["recommendation"]
    assert advice["action"] == "re-tender" and advice["checks"]["accreditation_covers_renewal"] is False
    reason = next(r for r in advice["reasons"] if "accreditation" in r)
    assert ends.isoformat() in reason and "home-care" in reason and "new accreditation" in reason
    refused = performing.client.post(
        f"{contract_url(performing.contract)}/renewal", json={}, headers=performing.tokens.service
    )
    assert refused.status_code == 409 and reason in refused.json["reasons"]


def test_an_extension_past_the_accreditation_end_is_refused_even_as_a_direct_amendment(performing):
    ends = short_of_the_renewal(performing)
    url = f"{contract_url(performing.contract)}/amendments"
    body = {"extend_months": 12, "reason": "Prelungire cu 12 luni"}
    refused = performing.client.post(url, json=body, headers=performing.tokens.authority)
    assert refused.status_code == 409, refused.json
    assert ends.isoformat() in refused.json["message"] and refused.json["valid_until"] == ends.isoformat()


def test_a_new_accreditation_continuing_the_old_one_lets_the_renewal_go_ahead(performing):
    ends = short_of_the_renewal(performing)
    accredit(performing, 5, ends + timedelta(days=5 * 365), version=1, accreditation_id=999)
    due = performing.client.get("/api/v1/renewals/due", headers=performing.tokens.authority).json
    advice = due[0]["recommendation"]
    assert advice["action"] == "renew" and advice["checks"]["accreditation_covers_renewal"] is True
    url = contract_url(performing.contract)
    assert performing.client.post(f"{url}/renewal", json={}, headers=performing.tokens.service).status_code == 201
    confirmed = performing.client.post(f"{url}/renewal/confirm", json={}, headers=performing.tokens.authority)
    assert confirmed.status_code == 200, confirmed.json
