"""A token never sees less than the public (issue 14 #8): another district's department or evaluator reads a
published call and its public parts exactly as an anonymous caller does; only non-public parts stay scoped."""

from __future__ import annotations

import pytest

from tests.contracting.integration.test_contracts_api import decide, end_standstill, make_contracts, sign_both


@pytest.fixture
def outsiders(token_mint) -> dict[str, dict]:
    return {
        "authority of MD-BA": token_mint.headers("authority", "12", district_code="MD-BA"),
        "evaluator of MD-BA": token_mint.headers("evaluator", "31", district_code="MD-BA"),
    }


def same_as_anonymous(driver, outsiders, path: str) -> None:
    anonymous = driver.client.get(path)
    assert anonymous.status_code == 200, (path, anonymous.json)
    for who, headers in outsiders.items():
        response = driver.client.get(path, headers=headers)
        assert (response.status_code, response.json) == (200, anonymous.json), f"{who} GET {path}"


def test_another_district_reads_a_published_call_its_amendments_and_questions_like_anyone(driver, outsiders):
    driver.publish()
    driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso[8]
    )
    amendment = {"rationale": "Modificare a caietului de sarcini"}
    assert (
        driver.client.post(f"{driver.url}/amendments", json=amendment, headers=driver.tokens.authority).status_code
        == 201
    )
    for part in ("", "/amendments", "/questions"):
        same_as_anonymous(driver, outsiders, f"{driver.url}{part}")


def test_another_district_reads_the_decision_and_the_contract_like_anyone(scored, outsiders):
    decide(scored)
    for part in ("/awards", "/ranking"):
        same_as_anonymous(scored, outsiders, f"{scored.url}{part}")
    end_standstill(scored)
    contract = make_contracts(scored).json[0]
    sign_both(scored, contract)
    same_as_anonymous(scored, outsiders, f"{scored.url}/contracts")
    for part in ("", "/versions", "/reports"):
        same_as_anonymous(scored, outsiders, f"/api/v1/contracts/{contract['id']}{part}")
    for who, headers in outsiders.items():
        listed = scored.client.get("/api/v1/contracts", headers=headers).json
        assert contract["id"] in {c["id"] for c in listed}, who


def test_what_is_not_public_stays_scoped_to_the_district(driver, outsiders):
    other = outsiders["authority of MD-BA"]
    draft = driver.create()
    assert driver.client.get(f"/api/v1/tenders/{draft['id']}", headers=other).status_code == 404
    driver.publish()
    assert driver.client.get(f"{driver.url}/bids", headers=other).status_code == 404
    assert driver.client.get(f"{driver.url}/audit", headers=other).status_code == 404
    cancel = driver.client.post(f"{driver.url}/cancel", json={"reason": "Nu este al meu"}, headers=other)
    assert cancel.status_code == 404
    amend = driver.client.post(f"{driver.url}/amendments", json={"rationale": "Nu este al meu"}, headers=other)
    assert amend.status_code == 404
    assert driver.refresh()["status"] == "active.enquiries"
