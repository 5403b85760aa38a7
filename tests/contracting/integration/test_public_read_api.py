"""The anonymous read API and the bulk exports: published calls only, clarifications without who asked, the
ranking after the decision, contracts with accepted reports, awards and contracts per district and year."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest

from tests.contracting.integration.test_contracts_api import to_active
from tests.contracting.integration.test_reports_api import file_report
from tests.contracting.unit.test_ocds_schema_validation import assert_valid, require_ocds_files

OCID_PREFIX = "ocds-sscp01"


@pytest.fixture
def reported(scored):
    """The winner's contract signed by both sides and its first monitoring report accepted (issue 5's API)."""
    driver = to_active(scored)
    filed = file_report(driver)
    assert filed.status_code == 201, filed.json
    url = f"/api/v1/contracts/{driver.contract['id']}/reports/{filed.json['id']}/accept"
    assert driver.client.post(url, headers=driver.tokens.authority).status_code == 200
    return driver


def test_a_draft_is_not_among_the_public_calls_until_it_is_published(driver):
    driver.create()
    assert driver.client.get("/api/v1/public/calls").json == []
    assert driver.client.get(f"/api/v1/public/calls/{driver.tender['id']}").status_code == 404
    driver.client.post(f"{driver.url}/publish", headers=driver.tokens.authority)
    (call,) = driver.client.get("/api/v1/public/calls?district_code=MD-CU&status=active").json
    assert call["ocid"] == f"{OCID_PREFIX}-{driver.tender['id']}" and call["title"] == driver.tender["title"]
    assert driver.client.get("/api/v1/public/calls?district_code=MD-BA").json == []


def test_a_wrong_filter_is_refused_naming_the_field(driver):
    response = driver.client.get("/api/v1/public/calls?status=open")
    assert response.status_code == 422 and "status" in json.dumps(response.json)
    response = driver.client.get("/api/v1/exports/awards?year=1999&format=xml")
    assert response.status_code == 422
    assert {"year", "format"} <= set(response.json["errors"])


def test_clarifications_are_public_without_the_asker(driver):
    driver.publish()
    asked = driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso[6]
    ).json
    url = f"{driver.url}/questions/{asked['id']}/answer"
    driver.client.post(url, json={"answer": "Nu."}, headers=driver.tokens.authority)
    (clarification,) = driver.client.get(f"/api/v1/public/calls/{driver.tender['id']}/clarifications").json
    assert clarification["question"] == "Se acceptă consorții?" and clarification["answer"] == "Nu."
    assert set(clarification) == {"id", "question", "asked_at", "answer", "answered_at"}
    assert "c6" not in json.dumps(clarification)


def test_the_ranking_is_public_only_after_the_award_decision_with_scores_and_no_evaluator_names(scored):
    url = f"/api/v1/public/calls/{scored.tender['id']}/ranking"
    assert scored.client.get(url).status_code == 404
    scored.complete()
    ranking = scored.client.get(url, headers=scored.tokens.cso_other).json
    bids = ranking["lots"][0]["bids"]
    assert [b["rank"] for b in bids] == [1, 2, 3]
    assert all(b["criterion_scores"] and b["total_score"] for b in bids)
    labels = {s["evaluator"] for b in bids for s in b["evaluator_scores"]}
    assert labels == {"evaluator 1", "evaluator 2", "evaluator 3"}


def test_the_awards_export_lists_a_districts_awards_of_the_year_as_csv_and_json(decided):
    rows = decided.client.get("/api/v1/exports/awards?district_code=MD-CU&year=2026&format=json").json
    (row,) = rows
    assert (row["supplier_name"], row["supplier_idno"], row["amount"], row["currency"]) == (
        "AO Grija 5",
        "1003600000005",
        "360000.00",
        "MDL",
    )
    assert row["status"] == "pending" and row["ocid"] == decided.tender["ocid"]
    response = decided.client.get("/api/v1/exports/awards?district_code=MD-CU&year=2026&format=csv")
    assert response.mimetype == "text/csv"
    assert "awards-MD-CU-2026.csv" in response.headers["Content-Disposition"]
    parsed = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["award_id"], r["amount"]) for r in parsed] == [(row["award_id"], "360000.00")]
    assert decided.client.get("/api/v1/exports/awards?district_code=MD-CU&year=2025").json == []
    assert decided.client.get("/api/v1/exports/awards?district_code=MD-BA&year=2026").json == []


def test_a_signed_contract_and_its_accepted_report_are_public_and_valid_ocds(reported):
    require_ocds_files()
    ocid = reported.tender["ocid"]
    record_package = reported.client.get(f"/api/v1/ocds/records?ocid={ocid}").json
    assert_valid(record_package, "record-package")
    assert_valid(reported.client.get(f"/api/v1/ocds/releases?ocid={ocid}&limit=500").json, "release-package")
    compiled = record_package["records"][0]["compiledRelease"]
    (contract,) = compiled["contracts"]
    assert contract["status"] == "active" and contract["dateSigned"]
    assert contract["awardID"] == compiled["awards"][0]["id"]
    assert compiled["tender"]["status"] == "complete"
    (public,) = reported.client.get("/api/v1/public/contracts?district_code=MD-CU").json
    assert public["supplier"]["name"] == "AO Grija 5"
    assert [r["status"] for r in public["accepted_reports"]] == ["met"]
    assert {m["status"] for m in public["contract"]["milestones"]} == {"met"}
    text = json.dumps(record_package, ensure_ascii=False)
    assert "Am deservit" not in text and "@" not in text  # the narrative and people stay out


def test_the_contracts_export_counts_accepted_reports(reported):
    rows = reported.client.get("/api/v1/exports/contracts?district_code=MD-CU&format=json").json
    (row,) = rows
    assert row["status"] == "active" and row["supplier_idno"] == "1003600000005" and row["reports_accepted"] == 1
    text = reported.client.get("/api/v1/exports/contracts?format=csv").get_data(as_text=True)
    assert text.splitlines()[0].startswith("ocid,tender_id,district_code,buyer,contract_id")


def test_a_re_tender_of_a_contract_links_its_predecessor_process(scored):
    driver = to_active(scored)
    driver.clock.now = datetime.fromisoformat(driver.contract["end_at"]) - timedelta(days=80)
    started = driver.client.post(f"/api/v1/contracts/{driver.contract['id']}/retender", headers=driver.tokens.service)
    assert started.status_code == 201, started.json
    successor = started.json["tender"]
    releases = driver.client.get(f"/api/v1/ocds/releases?ocid={successor['ocid']}").json
    assert_valid(releases, "release-package")
    assert releases["releases"][0]["relatedProcesses"] == [
        {
            "id": driver.tender["ocid"],
            "relationship": ["prior"],
            "title": "Previous contracting process",
            "scheme": "ocid",
            "identifier": driver.tender["ocid"],
        }
    ]
