"""A district department, in a real browser, from the award to the renewal: it decides the award from the
committee's scores, rules on the losing bidder's complaint, makes and signs the contract, accepts the winner's
monitoring report, confirms the renewal the platform proposes, sees the successor call, and reads the call's
history with its hash chain verified. Then one pass over the same pages on a 360 px phone.

Prefect does not run here: what the stage flows and the other people do happens over HTTP, as in
test_cso_after_the_award.py (the operator applies due transitions and, as flows/renewal_sweep.py's service account
does, proposes the renewal and publishes the successor call; the CSOs bid, complain, sign and report via the API).
The call's lot lasts 2 months (with the live portal's 30-day month): the contract then ends inside the 90-day
notice window, where the department sees the renewal proposal (GET /renewals/due).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from demo.documents import attach, pdf
from demo.platform import Api
from services.common.quality_standards import checklist_for
from tests.portal.browser.conftest import PHONE, SCREENSHOTS, assert_accessible, screenshot
from tests.portal.browser.live_portal import LivePortal
from tests.portal.browser.test_cso_after_the_award import (
    EVALUATORS,
    LOSER,
    OFFERS,
    PLACES,
    WINNER,
    AwardedCall,
    bid,
    score,
    sleep_until,
    wait_for,
)
from tests.portal.browser.test_cso_bidding import sign_in

TITLE = "Îngrijire la domiciliu, sectorul Rîșcani"
DEPARTMENT = "das@chisinau.md"
LANGUAGES = ("ro", "ru", "en")


def open_short_call(api: Api, authority: dict) -> dict:
    """As live_portal.open_call, with a 2-month lot (so the contract falls in the renewal notice window)."""
    now = datetime.now(UTC)
    body = {
        "district_code": "MD-CU",
        "service_type": "home-care",
        "title": TITLE,
        "description": f"{PLACES} locuri, contract de 2 luni.",
        "enquiry_end": (now + timedelta(seconds=10)).isoformat(),
        "submission_deadline": (now + timedelta(seconds=16)).isoformat(),
        "lots": [
            {"title": TITLE, "places": PLACES, "budget": str(PLACES * 6000), "duration_months": 2, "max_awards": 1}
        ],
        "criteria": [
            {"kind": "price", "name": "Preț", "weight": 40},
            {"kind": "quality", "name": "Calitate", "weight": 60, "minimum": "60"},
        ],
        "committee_size": 3,
    }
    draft = api.ok("POST", "contracting", "/tenders", authority, "draft", json=body)
    terms = pdf(f"Caietul de sarcini: {TITLE}", f"{PLACES} locuri, 2 luni.")
    attach(api, authority, draft["id"], "caiet-de-sarcini.pdf", "Caietul de sarcini", terms, "attach terms")
    return api.ok("POST", "contracting", f"/tenders/{draft['id']}/publish", authority, "publish")


@pytest.fixture(scope="module")
def scored_call(portal: LivePortal) -> AwardedCall:
    """A call whose bids are opened and scored by the whole committee: the department decides the award."""
    api = Api()
    authority = api.login(DEPARTMENT, portal.cast.password)
    operator = api.login("operator@sscp.md", portal.environment["OPERATOR_PASSWORD"])
    tender = open_short_call(api, authority)
    for cso in OFFERS:
        bid(api, portal, tender, cso)
    who = [api.login(email, portal.cast.password) for email in EVALUATORS]
    members = [int(api.ok("GET", "registry", "/users/me", headers, "who am I")["id"]) for headers in who]
    path = f"/tenders/{tender['id']}"
    api.ok("POST", "contracting", f"{path}/committee", authority, "committee", json={"evaluators": members})
    call = AwardedCall(tender, {}, api, authority, operator)
    sleep_until(tender["submission_deadline"])
    wait_for("the bids to open", lambda: call.apply_due_transitions()["status"] == "active.evaluation")
    score(call, portal)
    return call


def in_language(page, portal: LivePortal, path: str, language: str) -> None:
    page.goto(f"{portal.url}{path}?lang={language}")


def fits_the_width(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url}: {overflow}px wider than the screen"


def test_the_department_decides_rules_contracts_reviews_renews_and_verifies_the_history(
    laptop, browser, portal, scored_call
):
    call, page, api = scored_call, laptop, scored_call.api
    tender_id = call.tender["id"]
    evaluation = f"/department/calls/{tender_id}/evaluation"

    # The committee has scored: the ranking preview names the winner; the department decides.
    sign_in(page, portal, DEPARTMENT, evaluation)
    for language in LANGUAGES:
        in_language(page, portal, evaluation, language)
        assert page.locator("#members tbody tr").count() == 3
        assert page.locator("tr.winner").count() == 1
        assert_accessible(page, f"evaluation ({language})")
        screenshot(page, "department-evaluation", language)
    in_language(page, portal, evaluation, "ro")
    winner_name = page.locator("tr.winner th").inner_text()
    page.click("#decide-award")
    page.wait_for_selector("[id^=award-]")
    assert page.locator("#decide-award").count() == 0
    assert winner_name in page.locator("tr.winner th").inner_text()  # the published ranking marks the winner
    assert winner_name.split(". ", 1)[-1] in page.locator("[id^=award-]").first.inner_text()
    call.tender = api.ok("GET", "contracting", call.path, call.authority, "the call")
    assert call.tender["status"] == "active.standstill"
    awards = api.ok("GET", "contracting", f"{call.path}/awards", call.authority, "awards")
    call.winning_award = next(a for a in awards if a["status"] == "pending")
    assert call.winning_award["provider_id"] == portal.cast.providers[WINNER]

    # The losing bidder complains (API); the department rejects it with reasons.
    loser = api.login(f"user@{LOSER}.md", portal.cast.password)
    body = {
        "award_id": call.winning_award["id"],
        "title": "Contestație privind punctajul de calitate",
        "description": "Punctajul câștigătorului nu reflectă cerințele caietului de sarcini.",
    }
    complaint = api.ok("POST", "contracting", f"{call.path}/complaints", loser, "complain", json=body)
    page.goto(f"{portal.url}/department/calls/{tender_id}/complaints")
    page.wait_for_selector(f"#complaint-{complaint['id']}")
    assert_accessible(page, "complaints")
    screenshot(page, "department-complaints", "ro")
    page.check(f"#complaint-{complaint['id']}-decision-0")
    page.fill(f"#complaint-{complaint['id']}-reasons", "Punctajele au fost reexaminate: evaluarea respectă grila.")
    page.click(f"#rule-{complaint['id']}")
    page.wait_for_selector(f"#complaint-{complaint['id']} .tag-complaint-rejected")
    (ruled,) = api.ok("GET", "contracting", f"{call.path}/complaints", call.authority, "complaints")
    assert ruled["status"] == "rejected"

    # After the standstill the department makes the contract with its indicators and signs; the winner signs.
    sleep_until(call.tender["standstill_end"])
    wait_for("the standstill to end", lambda: call.apply_due_transitions()["status"] == "active.contract_pending")
    page.goto(f"{portal.url}{evaluation}")
    page.click("#make-contracts")
    page.select_option("#milestone_frequency", "monthly")
    page.fill("#beneficiaries_target", str(PLACES))
    page.fill("#kpi_1_name", "Vizite la domiciliu")
    page.fill("#kpi_1_target", "120")
    page.fill("#kpi_1_unit", "vizite")
    assert_accessible(page, "contract terms")
    page.click("#create-contracts")
    page.wait_for_selector("#sign-contract")
    contract_id = int(page.url.rstrip("/").split("/")[-1])
    page.click("#sign-contract")
    page.wait_for_selector(".notice-success")
    assert page.locator("#sign-contract").count() == 0
    winner = api.login(f"user@{WINNER}.md", portal.cast.password)
    api.ok("POST", "contracting", f"/contracts/{contract_id}/sign", winner, "the winner signs")

    # The winner files its first report (API), one quality standard only partly met; the department reads each
    # standard's answer and note, and accepts it.
    standards = [{"code": code, "status": "met"} for code in checklist_for("home-care").codes]
    standards[2] = {"code": "HC-03", "status": "partly", "note": "Două vizite amânate din cauza viscolului."}
    report = {
        "milestone_number": 1,
        "beneficiaries_served": PLACES,
        "kpi_values": {"vizite_la_domiciliu": "118"},
        "narrative": "Servicii prestate conform planurilor individuale; 118 vizite la domiciliu.",
        "standards": standards,
    }
    filed = api.ok("POST", "contracting", f"/contracts/{contract_id}/reports", winner, "report", json=report)
    page.goto(f"{portal.url}/department/contracts/{contract_id}")
    page.wait_for_selector(f"#accept-report-{filed['id']}")
    assert page.locator(".tag-contract-active").count() == 1
    answers = page.locator(f"#report-{filed['id']}-standards").inner_text()
    assert "6 din 7" in answers or "6 of 7" in answers
    assert "Două vizite amânate din cauza viscolului." in answers
    assert_accessible(page, "contract with a report to review")
    screenshot(page, "department-contract", "ro")
    page.click(f"#accept-report-{filed['id']}")
    page.wait_for_selector(f"#report-{filed['id']} .tag-report-accepted")

    # The renewal sweep proposes renewing (the operator asks as its service account would); the department confirms.
    path = f"/contracts/{contract_id}/renewal"
    proposal = api.ok("POST", "contracting", path, call.operator, "propose the renewal", json={})
    page.reload()
    page.wait_for_selector("#confirm-renewal")
    assert_accessible(page, "renewal proposal")
    page.locator("#renewal").screenshot(path=str(SCREENSHOTS / "department-renewal-ro.png"))
    page.click("#confirm-renewal")
    page.wait_for_selector(".notice-success")
    renewed = api.ok("GET", "contracting", f"/contracts/{contract_id}", call.authority, "contract")
    assert renewed["renewals"] == 1 and renewed["total_months"] == 2 + proposal["months"]
    assert page.locator("#confirm-renewal").count() == 0

    # The sweep publishes the successor call: the contract's page links to it.
    plan = api.ok("POST", "contracting", f"/contracts/{contract_id}/retender", call.operator, "re-tender")
    page.reload()
    link = page.locator("#successor-call")
    assert link.get_attribute("href").endswith(f"/department/calls/{plan['tender']['id']}")

    # The call's history: a readable timeline, and the chain verified.
    history = f"/department/calls/{tender_id}/history"
    for language in LANGUAGES:
        in_language(page, portal, history, language)
        assert page.locator(".award-timeline > li").count() > 10
        assert_accessible(page, f"history ({language})")
    in_language(page, portal, history, "ro")
    page.click("#verify-chain")
    page.wait_for_selector("#verify-result.notice-success")
    assert_accessible(page, "history verified")
    screenshot(page, "department-history", "ro")

    for language in LANGUAGES:
        in_language(page, portal, "/department/contracts", language)
        assert page.locator(f"#contract-{contract_id}").count() == 1
        assert_accessible(page, f"contracts ({language})")
        screenshot(page, "department-contracts", language)
        for main_page in (
            evaluation,
            f"/department/calls/{tender_id}/complaints",
            f"/department/contracts/{contract_id}",
        ):
            in_language(page, portal, main_page, language)
            assert_accessible(page, f"{main_page} ({language})")

    # One pass on a 360 px phone: every page fits the width and stays accessible.
    phone_context = browser.new_context(viewport=PHONE, locale="ro-MD", timezone_id="Europe/Chisinau")
    phone = phone_context.new_page()
    try:
        sign_in(phone, portal, DEPARTMENT, "/department/contracts")
        for main_page in (
            evaluation,
            f"/department/calls/{tender_id}/complaints",
            f"/department/contracts/{contract_id}",
            history,
            "/department/contracts",
        ):
            phone.goto(f"{portal.url}{main_page}")
            fits_the_width(phone)
            assert_accessible(phone, f"{main_page} on a phone")
            if main_page == evaluation:
                screenshot(phone, "department-phone-evaluation", "ro")
        screenshot(phone, "department-phone-contracts", "ro")
    finally:
        phone_context.close()
