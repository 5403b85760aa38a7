"""The whole path with a movable clock: award → contract → monthly reports → renewal decision → a renewal or
a re-tender, with the continuity watch raising continuity.at_risk and clearing it with continuity.restored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from tests.contracting.integration.test_contracts_api import CONTRACTS, MET, contract_url, to_active


@pytest.fixture
def active(scored):
    return to_active(scored)


CHECK = "/api/v1/continuity/check"


def report_months(driver, served: int, months: int = 8) -> None:
    """The provider reports each period as it ends; the authority accepts every report."""
    url = f"{contract_url(driver.contract)}/reports"
    for period in driver.client.get(contract_url(driver.contract)).json["milestones"][:months]:
        driver.clock.now = datetime.fromisoformat(period["period_end"]) + timedelta(days=2)
        body = {
            "milestone_number": period["number"],
            "beneficiaries_served": served,
            "narrative": "Raport lunar complet.",
            "standards": MET,
        }
        report = driver.client.post(url, json=body, headers=driver.tokens.bidder)
        assert report.status_code == 201, report.json
        accepted = driver.client.post(f"{url}/{report.json['id']}/accept", headers=driver.tokens.authority)
        assert accepted.status_code == 200


def days_before_end(driver, days: int) -> None:
    driver.clock.now = datetime.fromisoformat(driver.contract["end_at"]) - timedelta(days=days)


def check(driver) -> dict:
    response = driver.client.post(CHECK, headers=driver.tokens.service)
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def performing(active):
    report_months(active, served=38)
    days_before_end(active, 80)
    return active


@pytest.fixture
def failing(active):
    report_months(active, served=30)
    days_before_end(active, 80)
    return active


def test_a_well_performing_contract_is_recommended_renewed_and_renewal_clears_the_continuity_alert(performing):
    driver, contract_id = performing, performing.contract["id"]
    watch = check(driver)
    assert watch["raised"] == [{"contract_id": contract_id, "threshold_days": 90}]
    assert watch["entries"][0]["risk"] == "medium" and not watch["entries"][0]["covered"]
    assert check(driver)["raised"] == []  # once per contract and threshold
    due = driver.client.get("/api/v1/renewals/due", headers=driver.tokens.authority).json
    advice = due[0]["recommendation"]
    assert advice["action"] == "renew" and advice["kpi_attainment_percent"] == "95.00"
    assert advice["checks"] == {
        "reports_accepted": True,
        "kpi_threshold_met": True,
        "renewals_left": True,
        "duration_left": True,
        "accreditation_covers_renewal": True,
    }
    url = contract_url(driver.contract)
    proposed = driver.client.post(f"{url}/renewal", json={}, headers=driver.tokens.service)
    repeated = driver.client.post(f"{url}/renewal", json={}, headers=driver.tokens.service)
    assert (proposed.status_code, repeated.status_code) == (201, 200) and proposed.json["id"] == repeated.json["id"]
    renewed = driver.client.post(f"{url}/renewal/confirm", json={}, headers=driver.tokens.authority).json
    old_end = datetime.fromisoformat(driver.contract["end_at"])
    assert datetime.fromisoformat(renewed["end_at"]) == old_end.replace(year=old_end.year + 1)
    assert (renewed["renewals"], renewed["value"], len(renewed["milestones"])) == (1, "720000.00", 24)
    assert driver.events("contract.renewed")[0].payload["months"] == 12
    assert driver.events("contract.amended")[0].payload["kinds"] == ["extension"]
    versions = driver.client.get(f"{url}/versions").json
    assert [v["kind"] for v in versions] == ["created", "amendment:extension"]
    assert versions[0]["terms"]["end_at"] == driver.contract["end_at"]  # history is never overwritten
    assert check(driver)["restored"] == [contract_id]
    assert driver.events("continuity.restored")[0].payload["contract_id"] == contract_id


def test_a_poorly_performing_contract_is_re_tendered_in_time_and_the_successor_covers_its_end(failing):
    driver, contract_id = failing, failing.contract["id"]
    assert check(driver)["raised"][0]["threshold_days"] == 90
    advice = driver.client.get("/api/v1/renewals/due", headers=driver.tokens.service).json[0]["recommendation"]
    assert advice["action"] == "re-tender" and any("KPI attainment 75.00%" in r for r in advice["reasons"])
    url = contract_url(driver.contract)
    refused = driver.client.post(f"{url}/renewal", json={}, headers=driver.tokens.service)
    assert refused.status_code == 409 and refused.json["reasons"] == advice["reasons"]
    started = driver.client.post(f"{url}/retender", headers=driver.tokens.service)
    assert started.status_code == 201, started.json
    successor = started.json
    assert successor["tender"]["status"] == "active.enquiries" and successor["on_time"] is True
    assert (
        successor["predecessor_contract_id"] == contract_id and successor["predecessor_ocid"] == driver.contract["ocid"]
    )
    assert datetime.fromisoformat(successor["planned_contract_start"]) == datetime.fromisoformat(
        driver.contract["end_at"]
    )
    assert datetime.fromisoformat(successor["contract_ready_at"]) <= datetime.fromisoformat(driver.contract["end_at"])
    cloned = successor["tender"]
    assert (cloned["lots"][0]["places"], cloned["lots"][0]["budget"], cloned["committee_size"]) == (40, "400000.00", 3)
    assert [(c["kind"], c["weight"]) for c in cloned["criteria"]] == [("price", 40), ("quality", 60)]
    published = driver.events("tender.published")[-1].payload
    assert published["tender_id"] == cloned["id"]
    again = driver.client.post(f"{url}/retender", headers=driver.tokens.operator)
    assert again.status_code == 200 and again.json["tender"]["id"] == cloned["id"]
    assert check(driver)["restored"] == [contract_id]
    coverage = driver.client.get("/api/v1/coverage", query_string={"district_code": "MD-CU"}).json
    assert coverage[0]["covered"] and coverage[0]["successor"]["kind"] == "tender" and coverage[0]["risk"] == "none"
    assert coverage[0]["provider_name"] == "AO Grija 5"


def test_declining_a_proposed_renewal_publishes_a_re_tender_at_once(performing):
    url = contract_url(performing.contract)
    assert performing.client.post(f"{url}/renewal", json={}, headers=performing.tokens.service).status_code == 201
    declined = performing.client.post(
        f"{url}/renewal/decline",
        json={"reason": "Dorim o nouă procedură competitivă"},
        headers=performing.tokens.authority,
    )
    assert declined.status_code == 200, declined.json
    assert declined.json["tender"]["status"] == "active.enquiries" and declined.json["created"]
    confirm = performing.client.post(f"{url}/renewal/confirm", json={}, headers=performing.tokens.authority)
    assert confirm.status_code == 409


def test_an_uncovered_contract_alerts_at_90_60_and_30_days_and_then_expires(failing):
    driver = failing
    assert [r["threshold_days"] for r in check(driver)["raised"]] == [90]
    days_before_end(driver, 50)
    assert [r["threshold_days"] for r in check(driver)["raised"]] == [60]
    days_before_end(driver, 20)
    watch = check(driver)
    assert [r["threshold_days"] for r in watch["raised"]] == [30] and watch["entries"][0]["risk"] == "critical"
    assert check(driver)["raised"] == []
    assert [e.payload["threshold_days"] for e in driver.events("continuity.at_risk")] == [90, 60, 30]
    days_before_end(driver, 0)
    assert driver.client.post(f"{CONTRACTS}/transitions/due", headers=driver.tokens.service).json["expired"]
    assert check(driver)["checked"] == 0


def test_a_renewal_beyond_the_limits_is_refused_with_the_reason(performing):
    url = contract_url(performing.contract)
    body = {"reason": "Prelungire excesivă", "extend_months": 60}
    refused = performing.client.post(f"{url}/amendments", json=body, headers=performing.tokens.authority)
    assert refused.status_code == 409 and "maximum of 60 month(s)" in refused.json["message"]
    value = performing.client.post(
        f"{url}/amendments", json={"reason": "Indexare", "value": "500000.00"}, headers=performing.tokens.authority
    )
    assert value.status_code == 422 and "value" in value.json["errors"]
    places = performing.client.post(
        f"{url}/amendments", json={"reason": "Extindere", "places": 44}, headers=performing.tokens.authority
    )
    assert places.status_code == 200 and (places.json["places"], places.json["value"]) == (44, "396000.00")
    assert sum(Decimal(m["amount"]) for m in places.json["milestones"]) == Decimal("396000.00")
    assert [v["version"] for v in performing.client.get(f"{url}/versions").json] == [1, 2]
