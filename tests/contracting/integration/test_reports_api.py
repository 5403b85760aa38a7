"""Monitoring reports: filed per period by the provider, accepted (the milestone becomes payable) or returned
with comments; late reports show as late; only accepted reports are public.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.common.quality_standards import checklist_for
from tests.contracting.integration.test_contracts_api import contract_url, to_active, to_pending


@pytest.fixture
def pending(scored):
    return to_pending(scored)


@pytest.fixture
def active(scored):
    return to_active(scored)


def all_met(service_type: str = "home-care") -> list[dict]:
    """Every minimum quality standard of the service type answered "met" (the tender's service is home care)."""
    return [{"code": code, "status": "met"} for code in checklist_for(service_type).codes]


def report_body(number: int = 1, served: int = 38, **changes) -> dict:
    body = {
        "milestone_number": number,
        "beneficiaries_served": served,
        "narrative": "Am deservit beneficiarii conform planului individual.",
        "documents": [{"title": "Fișe de vizită", "sha256": "b" * 64}],
        "standards": all_met(),
    }
    body.update(changes)
    return body


def milestone(driver, number: int) -> dict:
    return driver.client.get(contract_url(driver.contract)).json["milestones"][number - 1]


def file_report(driver, number: int = 1, headers=None, **body):
    driver.clock.now = datetime.fromisoformat(milestone(driver, number)["period_end"]) + timedelta(days=1)
    return driver.client.post(
        f"{contract_url(driver.contract)}/reports",
        json=report_body(number, **body),
        headers=headers or driver.tokens.bidder,
    )


@pytest.fixture
def filed(active):
    response = file_report(active)
    assert response.status_code == 201, response.json
    active.report = response.json
    return active


def test_an_accepted_report_makes_its_milestone_payable(filed):
    url = f"{contract_url(filed.contract)}/reports/{filed.report['id']}/accept"
    accepted = filed.client.post(url, headers=filed.tokens.authority)
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert milestone(filed, 1)["status"] == "payable" and milestone(filed, 2)["status"] == "planned"
    payable = filed.events("milestone.payable")[0].payload
    assert (payable["milestone_number"], payable["amount"], payable["currency"]) == (1, "30000.00", "MDL")
    assert payable["provider_id"] == 5 and payable["contract_id"] == filed.contract["id"]
    again = filed.client.post(url, headers=filed.tokens.authority)
    assert again.status_code == 409 and again.json["current_status"] == "accepted"
    assert len(filed.events("milestone.payable")) == 1


def test_a_returned_report_carries_the_comments_and_the_provider_files_a_new_one(filed):
    url = f"{contract_url(filed.contract)}/reports"
    twice = filed.client.post(url, json=report_body(1), headers=filed.tokens.bidder)
    assert twice.status_code == 409
    comments = {"comments": "Lipsesc fișele de vizită semnate"}
    returned = filed.client.post(f"{url}/{filed.report['id']}/return", json=comments, headers=filed.tokens.authority)
    assert returned.json["status"] == "returned" and returned.json["comments"] == comments["comments"]
    assert filed.events("report.returned")[0].payload["comments"] == comments["comments"]
    again = filed.client.post(url, json=report_body(1, served=39), headers=filed.tokens.bidder)
    assert again.status_code == 201
    history = filed.client.get(url, headers=filed.tokens.bidder).json
    assert [r["status"] for r in history] == ["returned", "submitted"]


def test_only_accepted_reports_are_public(filed):
    url = f"{contract_url(filed.contract)}/reports"
    assert filed.client.get(url).json == []
    assert len(filed.client.get(url, headers=filed.tokens.authority).json) == 1
    filed.client.post(f"{url}/{filed.report['id']}/accept", headers=filed.tokens.authority)
    public = filed.client.get(url, headers=filed.tokens.cso_other).json
    assert [r["beneficiaries_served"] for r in public] == [38]


def test_a_report_filed_after_its_due_date_is_flagged_late_and_a_missing_one_shows_on_its_milestone(active):
    second = milestone(active, 2)
    active.clock.now = datetime.fromisoformat(second["report_due_at"]) + timedelta(hours=1)
    assert milestone(active, 1)["late"] and not milestone(active, 3)["late"]
    response = active.client.post(
        f"{contract_url(active.contract)}/reports", json=report_body(2), headers=active.tokens.bidder
    )
    assert response.json["late"] is True and active.events("report.submitted")[0].payload["late"] is True
    assert milestone(active, 2)["late"] and milestone(active, 2)["report_status"] == "submitted"


def test_reports_are_refused_for_periods_not_begun_unknown_kpis_and_other_providers(active):
    url = f"{contract_url(active.contract)}/reports"
    future = active.client.post(url, json=report_body(5), headers=active.tokens.bidder)
    assert future.status_code == 422 and "milestone_number" in future.json["errors"]
    unknown = file_report(active, 1, kpi_values={"smiles": "3"})
    assert unknown.status_code == 422 and "kpi_values" in unknown.json["errors"]
    stranger = file_report(active, 1, headers=active.tokens.cso[6])
    assert stranger.status_code == 404 and "does not exist" in stranger.json["message"]
    invalid = active.client.post(url, json={"milestone_number": 1}, headers=active.tokens.bidder)
    assert invalid.status_code == 422 and "narrative" in invalid.json["errors"]


def test_a_pending_contract_takes_no_reports(pending):
    response = pending.client.post(
        f"{contract_url(pending.contract)}/reports", json=report_body(1), headers=pending.tokens.bidder
    )
    assert response.status_code == 409 and response.json["current_status"] == "pending"


def test_a_report_answers_every_quality_standard_and_the_answers_show_in_the_report_and_its_events(active):
    answers = all_met()
    answers[2] = {"code": answers[2]["code"], "status": "partly", "note": "Două vizite amânate din cauza viscolului"}
    response = file_report(active, 1, standards=list(reversed(answers)))
    assert response.status_code == 201, response.json
    stored = response.json["standards"]
    assert [a["code"] for a in stored] == list(checklist_for("home-care").codes)  # in the checklist's order
    assert stored[2] == {"code": "HC-03", "status": "partly", "note": "Două vizite amânate din cauza viscolului"}
    assert active.events("report.submitted")[0].payload["standards"] == stored
    url = f"{contract_url(active.contract)}/reports/{response.json['id']}/accept"
    active.client.post(url, headers=active.tokens.authority)
    assert active.events("report.accepted")[0].payload["standards"] == stored
    assert active.client.get(f"{contract_url(active.contract)}/reports").json[0]["standards"] == stored


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda answers: answers[1:], "HC-01 not answered"),
        (lambda answers: [*answers, {"code": "PA-01", "status": "met"}], "PA-01 are not standards of this"),
        (lambda answers: [*answers, answers[0]], "HC-01 answered more than once"),
        (lambda answers: [{**answers[0], "status": "not_met"}, *answers[1:]], "a note is required"),
        (lambda answers: [{**answers[0], "status": "partly", "note": "   "}, *answers[1:]], "a note is required"),
    ],
    ids=["missing", "unknown", "twice", "not-met-without-note", "blank-note"],
)
def test_an_incomplete_or_unexplained_checklist_is_refused_with_what_to_fix(active, change, words):
    refused = file_report(active, 1, standards=change(all_met()))
    assert refused.status_code == 422, refused.json
    assert words in refused.json["errors"]["standards"][0]
    assert active.events("report.submitted") == []


def test_a_report_without_the_checklist_or_with_an_unknown_answer_is_refused_by_its_shape(active):
    missing = file_report(active, 1, standards=None)
    assert missing.status_code == 422 and "standards" in missing.json["errors"]
    wrong = file_report(active, 1, standards=[{**all_met()[0], "status": "mostly"}, *all_met()[1:]])
    assert wrong.status_code == 422 and "status" in wrong.json["errors"]["standards"]["0"]
