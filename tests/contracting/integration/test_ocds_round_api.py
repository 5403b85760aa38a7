"""A whole tender round driven through the API, then read back as OCDS: every release package page, the record
package and the change feed validate against the OCDS 1.1.5 schemas; nothing sealed, nothing personal."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from services.contracting.domain.ocds import TAGS
from tests.contracting.conftest import DISTRICT, Driver, Tokens
from tests.contracting.unit.test_ocds_schema_validation import assert_valid, require_ocds_files

# People are named by e-mail in their tokens here, so a leak of any identity is easy to see.
AUTHORITY = "ion.rusu@cu.gov.md"
# Committee members are registry user ids (their tokens' subject), so theirs are ids no document has by chance.
EVALUATORS = ("2040991301", "2040991302", "2040991303")
ASKER = "maria.popescu@ong6.md"
SEALED = ("360000", "Propunere tehnică", "Echipă de 12 îngrijitori", "Statut")


@pytest.fixture
def people(token_mint) -> Tokens:
    tokens = Tokens(token_mint)
    tokens.authority = token_mint.headers("authority", AUTHORITY, district_code=DISTRICT)
    tokens.evaluators = {e: token_mint.headers("evaluator", e, district_code=DISTRICT) for e in EVALUATORS}
    tokens.cso = {p: token_mint.headers("cso", f"user{p}@ong{p}.md", provider_id=p) for p in (5, 6, 7, 8)}
    tokens.cso[6] = token_mint.headers("cso", ASKER, provider_id=6)
    return tokens


@pytest.fixture
def round_driver(contracting_app, clock, people) -> Driver:
    return Driver(contracting_app, clock, people)


def feed(driver: Driver, cursor: int = 0, limit: int = 500) -> dict:
    response = driver.client.get(f"/api/v1/feed?cursor={cursor}&limit={limit}")
    assert response.status_code == 200, response.json
    return response.json


def ask_and_answer(driver: Driver) -> None:
    asked = driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso[6]
    )
    assert asked.status_code == 201, asked.json
    url = f"{driver.url}/questions/{asked.json['id']}/answer"
    answered = driver.client.post(
        url, json={"answer": "Nu, doar prestatori individuali."}, headers=driver.tokens.authority
    )
    assert answered.status_code == 200, answered.json


def amend(driver: Driver) -> None:
    driver.clock.advance(days=1)
    body = {"rationale": "Mai multe locuri în sectorul Centru", "lots": [{"id": driver.lot_id(), "places": 45}]}
    response = driver.client.post(f"{driver.url}/amendments", json=body, headers=driver.tokens.authority)
    assert response.status_code == 201, response.json
    driver.refresh()


def bid_and_close(driver: Driver) -> list[dict]:
    for provider_id, price in zip((5, 6, 7), ("9000.00", "8000.00", "10000.00"), strict=True):
        assert driver.bid(provider_id, unit_price=price, places=40).status_code == 201
    before_close = feed(driver)["changes"]
    driver.seat_committee(EVALUATORS)
    driver.close()
    return before_close


def decide(driver: Driver) -> None:
    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "90", ids[1]: "80", ids[2]: "60"}, evaluators=EVALUATORS)
    response = driver.complete()
    assert response.status_code == 200, response.json
    driver.tender = response.json


def complain_and_reaward(driver: Driver) -> None:
    """Provider 6 complains about provider 5's award; upheld, the award falls and 6 is awarded."""
    awards = driver.client.get(f"{driver.url}/awards").json
    award_id = next(a["id"] for a in awards if a["status"] == "pending")
    body = {"award_id": award_id, "title": "Conflict de interese", "description": "Câștigătorul e rudă cu evaluatorul"}
    complaint = driver.client.post(f"{driver.url}/complaints", json=body, headers=driver.tokens.cso[6])
    assert complaint.status_code == 201, complaint.json
    resolution = {"decision": "upheld", "reasons": "Conflictul a fost confirmat de comisie"}
    url = f"{driver.url}/complaints/{complaint.json['id']}/resolution"
    assert driver.client.post(url, json=resolution, headers=driver.tokens.authority).status_code == 200
    decide_again = driver.complete()
    assert decide_again.status_code == 200, decide_again.json
    driver.tender = decide_again.json


def end_standstill(driver: Driver) -> None:
    driver.clock.now = datetime.fromisoformat(driver.tender["standstill_end"]) + timedelta(seconds=1)
    due = driver.client.post(f"{driver.url}/transitions/due", headers=driver.tokens.service)
    assert due.json["applied"] == ["end_standstill"], due.json


def run_round(driver: Driver) -> dict:
    """tender -> questions -> amendment -> bids -> close -> scoring -> award -> complaint -> re-award -> standstill"""
    driver.publish()
    ask_and_answer(driver)
    amend(driver)
    before_close = bid_and_close(driver)
    decide(driver)
    complain_and_reaward(driver)
    end_standstill(driver)
    return {"before_close": before_close}


@pytest.fixture
def finished_round(round_driver) -> tuple[Driver, dict]:
    require_ocds_files()
    return round_driver, run_round(round_driver)


def all_release_pages(driver: Driver, limit: int = 4) -> list[dict]:
    pages, url = [], f"/api/v1/ocds/releases?limit={limit}"
    while url:
        response = driver.client.get(url)
        assert response.status_code == 200, response.json
        pages.append(response.json)
        url = response.json.get("links", {}).get("next", "").removeprefix("http://localhost")
    return pages


def test_every_release_package_page_of_the_round_validates_and_the_pages_join_up_without_gaps(finished_round):
    driver, _ = finished_round
    pages = all_release_pages(driver)
    for page in pages:
        assert_valid(page, "release-package")
    releases = [release for page in pages for release in page["releases"]]
    assert len(pages) > 3 and len({r["id"] for r in releases}) == len(releases)
    assert [r["id"] for r in releases] == [c["release_id"] for c in feed(driver)["changes"]]


def test_the_round_publishes_each_stage_with_its_ocds_tag_in_commit_order(finished_round):
    driver, _ = finished_round
    changes = feed(driver)["changes"]
    assert [c["position"] for c in changes] == list(range(1, len(changes) + 1))
    events = [c["event_type"] for c in changes]
    assert events[0] == "tender.published"
    for stage in ("tender.question_answered", "tender.amended", "tender.close_submissions", "award.decided"):
        assert stage in events
    upheld = events.index("complaint.upheld")
    assert events[upheld : upheld + 3] == ["complaint.upheld", "award.cancelled", "tender.reopen_evaluation"]
    assert events[-2:] == ["award.decided", "tender.end_standstill"]
    assert all(c["tags"] == list(TAGS[c["event_type"]]) for c in changes)


def test_the_record_compiles_the_round_into_the_current_state_and_validates(finished_round):
    driver, _ = finished_round
    ocid = driver.tender["ocid"]
    response = driver.client.get(f"/api/v1/ocds/records?ocid={ocid}")
    assert response.status_code == 200
    assert_valid(response.json, "record-package")
    compiled = response.json["records"][0]["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["ocid"] == ocid
    assert compiled["tender"]["items"][0]["quantity"] == 45  # the amendment's places
    assert compiled["tender"]["enquiries"][0]["answer"] == "Nu, doar prestatori individuali."
    statuses = sorted((a["status"], a["suppliers"][0]["name"]) for a in compiled["awards"])
    assert statuses == [("active", "AO Grija 6"), ("cancelled", "AO Grija 5")]
    assert compiled["awards"][0]["complaints"][0]["status"] == "upheld"
    roles = {p["name"]: p["roles"] for p in compiled["parties"]}
    assert roles["AO Grija 6"] == ["tenderer", "supplier"] and roles["AO Grija 7"] == ["tenderer"]
    assert {p["identifier"]["scheme"] for p in compiled["parties"] if "identifier" in p} == {"MD-IDNO"}
    assert compiled["buyer"]["id"] == "MD-CU-DAS"


def test_nothing_sealed_is_published_before_the_deadline(finished_round):
    _driver, seen = finished_round
    text = json.dumps(seen["before_close"], ensure_ascii=False)
    assert not any(c["event_type"].startswith("bid.") for c in seen["before_close"])
    for secret in SEALED:
        assert secret not in text
    assert "tenderers" not in text and "numberOfTenderers" not in text


def test_no_user_or_evaluator_identity_ever_appears_in_releases_records_or_the_feed(finished_round):
    driver, _ = finished_round
    documents = [feed(driver), *all_release_pages(driver, limit=100)]
    documents.append(driver.client.get(f"/api/v1/ocds/records?ocid={driver.tender['ocid']}").json)
    text = json.dumps(documents, ensure_ascii=False)
    assert "@" not in text
    for person in (AUTHORITY, ASKER, *EVALUATORS, "authority:", "evaluator:", "cso:"):
        assert person not in text


def test_releases_filter_by_ocid_and_by_date(finished_round):
    driver, _ = finished_round
    ocid = driver.tender["ocid"]
    assert driver.client.get("/api/v1/ocds/releases?ocid=ocds-sscp01-999").json["releases"] == []
    everything = driver.client.get(f"/api/v1/ocds/releases?ocid={ocid}&limit=500").json["releases"]
    later = driver.client.get("/api/v1/ocds/releases?date_from=2026-11-25T00:00:00Z&limit=500").json["releases"]
    assert 0 < len(later) < len(everything)
    assert all(r["date"] >= "2026-11-25T00:00:00Z" for r in later)


def test_a_draft_publishes_nothing_and_a_record_of_an_unknown_ocid_is_404(round_driver):
    round_driver.create()
    assert feed(round_driver)["changes"] == []
    missing = round_driver.client.get(f"/api/v1/ocds/records?ocid={round_driver.tender['ocid']}")
    assert missing.status_code == 404
    no_ocid = round_driver.client.get("/api/v1/ocds/records")
    assert no_ocid.status_code == 422 and "ocid" in json.dumps(no_ocid.json)
