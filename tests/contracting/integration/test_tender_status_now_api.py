"""What a call shows is what applies now, even before the stage run has applied it (issue 14 #7): the status the
clock has reached, the next scheduled change, and the listing filtered on that status; a read writes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from services.contracting.adapters.orm_audit import AuditLogEntry
from services.contracting.adapters.orm_tendering import Tender


def at(driver, name: str) -> datetime:
    return datetime.fromisoformat(driver.tender[name])


def stored(driver) -> tuple[str, int]:
    with driver.app.extensions["service_context"].session_factory() as session:
        status = session.get(Tender, driver.tender["id"]).status
        entries = session.scalar(select(func.count()).where(AuditLogEntry.tender_id == driver.tender["id"]))
    return status, entries


def test_a_published_call_shows_when_enquiries_end_and_what_comes_then(driver):
    tender = driver.publish()
    assert tender["status"] == "active.enquiries"
    assert tender["next_transition"] == {"status": "active.tendering", "at": tender["enquiry_end"]}


def test_38_seconds_after_the_enquiry_end_the_call_shows_tendering_as_questions_are_refused(driver):
    driver.publish()
    before = stored(driver)
    driver.clock.now = at(driver, "enquiry_end") + timedelta(seconds=38)
    asked = driver.client.post(
        f"{driver.url}/questions", json={"question": "Încă o întrebare?"}, headers=driver.tokens.bidder
    )
    assert asked.status_code == 409
    for headers in (driver.tokens.anonymous, driver.tokens.authority, driver.tokens.bidder):
        shown = driver.client.get(driver.url, headers=headers).json
        assert shown["status"] == "active.tendering"
        assert shown["applied_status"] == "active.enquiries"
        assert shown["next_transition"] == {"status": "active.evaluation", "at": driver.tender["submission_deadline"]}
        assert "end_enquiries" not in shown["allowed_actions"]
    assert stored(driver) == before, "a read must not apply the transition"


def test_after_the_deadline_the_call_shows_evaluation_before_the_stage_run_opens_the_bids(driver):
    driver.publish()
    driver.clock.now = at(driver, "submission_deadline") + timedelta(seconds=1)
    shown = driver.client.get(driver.url).json
    assert (shown["status"], shown["next_transition"]) == ("active.evaluation", None)
    # The chronograph's view is unchanged: the transition is due (in the past) and waits for its run.
    assert shown["next_check"]["action"] == "end_enquiries"


def test_the_listing_filters_on_the_status_that_applies_now(driver):
    driver.publish()
    driver.clock.now = at(driver, "enquiry_end") + timedelta(seconds=38)

    def listed(status: str) -> list[int]:
        response = driver.client.get("/api/v1/tenders", query_string={"status": status})
        return [tender["id"] for tender in response.json]

    assert listed("active.tendering") == [driver.tender["id"]]
    assert listed("active.enquiries") == []
    assert driver.client.get("/api/v1/tenders").json[0]["status"] == "active.tendering"
    driver.clock.now = at(driver, "submission_deadline")
    assert listed("active.evaluation") == [driver.tender["id"]]
    assert listed("active.tendering") == []


def test_once_the_stage_run_applied_the_transition_both_statuses_agree(driver):
    driver.publish()
    driver.clock.now = at(driver, "enquiry_end") + timedelta(seconds=38)
    driver.client.post(f"{driver.url}/transitions/due", headers=driver.tokens.service)
    shown = driver.client.get(driver.url).json
    assert shown["status"] == shown["applied_status"] == "active.tendering"


def test_after_the_standstill_the_call_shows_contract_pending_unless_a_complaint_holds_it(scored):
    decided = scored.complete().json
    assert decided["status"] == "active.standstill"
    end = datetime.fromisoformat(decided["standstill_end"])
    assert decided["next_transition"] == {"status": "active.contract_pending", "at": decided["standstill_end"]}
    scored.clock.now = end + timedelta(seconds=5)
    assert scored.client.get(scored.url).json["status"] == "active.contract_pending"
    scored.clock.now = end - timedelta(hours=1)
    body = {"title": "Punctaj greșit", "description": "Calitatea a fost subevaluată"}
    complaint = scored.client.post(f"{scored.url}/complaints", json=body, headers=scored.tokens.cso[6])
    assert complaint.status_code == 201, complaint.json
    scored.clock.now = end + timedelta(seconds=5)
    shown = scored.client.get(scored.url).json
    assert shown["status"] == "active.standstill"
    listed = scored.client.get("/api/v1/tenders", query_string={"status": "active.standstill"}).json
    assert [t["id"] for t in listed] == [scored.tender["id"]]
