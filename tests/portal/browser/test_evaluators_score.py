"""The evaluation committee in a real browser: after a call's deadline, each of the district's three evaluators
signs in, finds the call among their tasks, declares no conflict of interest, scores each bid beside its answers and
documents, and submits; one of them first saves part of the sheet and comes back to finish it. The scores are then
complete in contracting. One evaluator works on a phone (360 px), the others on a laptop.

Prefect does not run here, so the module's fixture does over HTTP what the stage flows and the demo's people do (as
test_cso_after_the_award.py does): the department publishes a call with short periods, two CSOs bid (one with a
file), the committee is named, and the deadline's transitions are applied by the operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from demo.cast import evaluator_emails
from demo.documents import attach
from demo.platform import Api
from tests.portal.browser.conftest import assert_accessible, screenshot
from tests.portal.browser.live_portal import LivePortal, open_call
from tests.portal.browser.test_cso_after_the_award import sleep_until, wait_for
from tests.portal.browser.test_cso_bidding import pdf_bytes, sign_in

TITLE = "Îngrijire la domiciliu, sectorul Botanica"
DEPARTMENT = "das@chisinau.md"
EVALUATORS = evaluator_emails("MD-CU")
BIDDERS = {"speranta": "4900", "concordia": "5300"}  # unit prices of the two bids
PLACES = 8
MARKS = {
    "speranta": ("88", "Plan individual detaliat, echipă cu experiență."),
    "concordia": ("71,5", "Propunere corectă, dar fără supervizare regulată."),
}


@dataclass
class CallToEvaluate:
    tender: dict
    bids: dict[str, int]  # cso -> bid id
    api: Api
    authority: dict

    @property
    def path(self) -> str:
        return f"/tenders/{self.tender['id']}"


@pytest.fixture(scope="module")
def call_to_evaluate(portal: LivePortal) -> CallToEvaluate:
    api = Api()
    authority = api.login(DEPARTMENT, portal.cast.password)
    operator = api.login("operator@sscp.md", portal.environment["OPERATOR_PASSWORD"])
    tender = open_call(
        api, authority, "MD-CU", "home-care", TITLE, PLACES, timedelta(seconds=10), timedelta(seconds=8), max_awards=1
    )
    quality = next(c for c in tender["criteria"] if c["kind"] == "quality")
    bids = {}
    for cso, unit_price in BIDDERS.items():
        headers = api.login(f"user@{cso}.md", portal.cast.password)
        body = {
            "lot_id": tender["lots"][0]["id"],
            "unit_price": unit_price,
            "places": PLACES,
            "quality_text": f"Propunerea {cso}: echipă calificată, plan individual de îngrijire.",
            "quality_answers": [
                {"criterion_id": quality["id"], "answer": f"Vizite zilnice ({cso}), supervizare lunară."}
            ],
        }
        made = api.ok("POST", "contracting", f"/tenders/{tender['id']}/bids", headers, f"{cso} bids", json=body)
        bids[cso] = made["bid"]["id"]
    proposal = pdf_bytes("Propunerea tehnica Speranta")
    speranta = api.login("user@speranta.md", portal.cast.password)
    attach(
        api,
        speranta,
        tender["id"],
        "propunere-tehnica.pdf",
        "Propunerea tehnică",
        proposal,
        "attach",
        kind="bid",
        owner_id=bids["speranta"],
    )
    who = [api.login(email, portal.cast.password) for email in EVALUATORS]
    members = [int(api.ok("GET", "registry", "/users/me", headers, "who am I")["id"]) for headers in who]
    path = f"/tenders/{tender['id']}"
    api.ok("POST", "contracting", f"{path}/committee", authority, "committee", json={"evaluators": members})

    sleep_until(tender["submission_deadline"])

    def opened() -> bool:
        due = api.ok("POST", "contracting", f"{path}/transitions/due", operator, "due transitions")["tender"]
        return due["applied_status"] == "active.evaluation"

    wait_for("the bids to open", opened)
    return CallToEvaluate(api.ok("GET", "contracting", path, authority, "call"), bids, api, authority)


def in_language(page, portal: LivePortal, path: str, language: str) -> None:
    page.goto(f"{portal.url}{path}?lang={language}")
    page.wait_for_selector(f"html[lang={language}]")


def check_languages(page, portal: LivePortal, path: str, what: str, photographed: str | None, languages) -> None:
    """axe on the page in each language, a photograph in those asked for; back to Romanian at the end."""
    for language in ("ro", "ru", "en"):
        in_language(page, portal, path, language)
        assert_accessible(page, f"{what} ({language})")
        if photographed and language in languages:
            screenshot(page, photographed, language)
    in_language(page, portal, path, "ro")


def declare_no_conflict(page, call: CallToEvaluate, photograph: bool, portal: LivePortal) -> None:
    tender_id = call.tender["id"]
    page.click(f"#declare-{tender_id}")
    page.wait_for_selector("#send-declaration")
    assert page.locator("#bidders li").count() == 2
    if photograph:
        check_languages(
            page, portal, f"/evaluation/calls/{tender_id}/declaration", "declaration", "evaluator-declare", ("ro",)
        )
    page.check("#has_conflict-0")
    page.fill("#statement", "Nu am legături cu ofertanții.")
    page.click("#send-declaration")
    page.wait_for_url(f"**/evaluation/calls/{tender_id}/scores")


def give(page, call: CallToEvaluate, cso: str) -> None:
    key = f"{call.bids[cso]}_{next(c['id'] for c in call.tender['criteria'] if c['kind'] == 'quality')}"
    mark, why = MARKS[cso]
    page.fill(f"#score_{key}", mark)
    page.fill(f"#justification_{key}", why)


def test_three_evaluators_declare_score_and_submit_one_saving_part_first(phone, laptop, portal, call_to_evaluate):
    call = call_to_evaluate
    tender_id = call.tender["id"]
    for number, email in enumerate(EVALUATORS):
        page = phone if number == 0 else laptop
        page.context.clear_cookies()
        sign_in(page, portal, email, "/evaluation/")
        task = page.locator(f"#task-{tender_id}")
        assert TITLE in task.inner_text()
        if number == 0:
            check_languages(page, portal, "/evaluation/", "task list", "evaluator-tasks", ("ro", "ru", "en"))
        declare_no_conflict(page, call, number == 0, portal)

        if number == 0:
            # On the phone: the first bid only, saved; then away to the task list and back to finish.
            assert page.locator(f"#bid-{call.bids['speranta']} a[href*='/documents/']").count() == 1
            give(page, call, "speranta")
            page.click("#save-scores")
            page.wait_for_selector(".notice-success")
            assert "1 din 2" in page.locator("#sheet-progress").inner_text()
            screenshot(page, "evaluator-score", "ro")
            check_languages(page, portal, f"/evaluation/calls/{tender_id}/scores", "score sheet", None, ())
            page.goto(f"{portal.url}/evaluation/")
            assert "1 din 2" in page.locator(f"#task-{tender_id}").inner_text()
            page.click(f"#score-{tender_id}")
            page.wait_for_selector("#submit-scores")
            key = f"{call.bids['speranta']}_{next(c['id'] for c in call.tender['criteria'] if c['kind'] == 'quality')}"
            assert page.input_value(f"#score_{key}") == "88"
            give(page, call, "concordia")
        else:
            give(page, call, "speranta")
            give(page, call, "concordia")
            if number == 1:
                # On a laptop the criterion and the bid's answer stand beside the score and its justification.
                box = page.locator(".criterion-guidance").first.bounding_box()
                fields = page.locator(".criterion-fields").first.bounding_box()
                assert fields["x"] > box["x"] + box["width"] - 1 and abs(fields["y"] - box["y"]) < 5
                page.goto(f"{portal.url}/evaluation/calls/{tender_id}/scores?lang=ru")
                give(page, call, "speranta")
                give(page, call, "concordia")
                screenshot(page, "evaluator-score", "ru")
                page.goto(f"{portal.url}/evaluation/calls/{tender_id}/scores?lang=ro")
                give(page, call, "speranta")
                give(page, call, "concordia")
        page.click("#submit-scores")
        page.wait_for_url(f"**/evaluation/calls/{tender_id}/submitted")
        assert "88" in page.locator(f"#bid-{call.bids['speranta']}").inner_text()
        if number == 0:
            assert page.locator("#scores-submitted").is_visible()
            check_languages(
                page,
                portal,
                f"/evaluation/calls/{tender_id}/submitted",
                "submitted scores",
                "evaluator-submitted",
                ("ro",),
            )

    # The last one in: the scores are final, and contracting says so.
    assert page.locator("#scores-final").is_visible()
    scores = call.api.ok("GET", "contracting", f"{call.path}/evaluation/scores", call.authority, "scores")
    assert scores["complete"] is True and scores["scores_missing"] == 0
    assert len(scores["scores"]) == 6
    assert sorted({s["score"] for s in scores["scores"]}) == ["71.50", "88.00"]
    page.goto(f"{portal.url}/evaluation/")
    assert "task-" + str(tender_id) in page.locator("#done").evaluate("e => e.nextElementSibling.innerHTML")
