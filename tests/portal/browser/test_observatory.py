"""The public observatory in a real browser, on the real processes: a round is driven to signed contracts (one call
with two bids, one with a single bid by the same winner in the same district and service, one cancelled), then
each view is opened in Romanian (one in Russian, one in English), audited with axe, photographed, and nothing is
loaded from another origin.

Prefect does not run here: as in test_cso_after_the_award.py, the operator applies the due transitions, the
evaluators score and the department decides over HTTP. Both calls run side by side, so the round costs one
deadline and one standstill (about 45 s with the live portal's short periods).
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from demo.platform import Api
from demo.scenarios import score_sheet
from tests.portal.browser.conftest import PHONE, assert_accessible, screenshot
from tests.portal.browser.live_portal import LivePortal, open_call
from tests.portal.browser.test_cso_after_the_award import (
    EVALUATORS,
    KPIS,
    OFFERS,
    PLACES,
    WINNER,
    AwardedCall,
    bid,
    sleep_until,
    wait_for,
)

DEPARTMENT = "das@chisinau.md"
VIEWS = ("overview", "coverage", "spending", "competition", "providers", "red-flags")


def path_of(view: str) -> str:
    return "/observatory" if view == "overview" else f"/observatory/{view}"


def score_and_decide(call: AwardedCall, portal: LivePortal, bidders: tuple[str, ...]) -> None:
    quality = next(c for c in call.tender["criteria"] if c["kind"] == "quality")
    marks = {portal.cast.providers[cso]: OFFERS[cso][1] for cso in bidders}
    for email in EVALUATORS:
        headers = call.api.login(email, portal.cast.password)
        statement = {"has_conflict": False, "statement": "Nu am legături cu ofertanții."}
        call.api.ok("POST", "contracting", f"{call.path}/committee/declaration", headers, "declare", json=statement)
        bids = call.api.ok("GET", "contracting", f"{call.path}/bids", headers, "read bids")["bids"]
        body = {"scores": score_sheet(bids, quality["id"], marks)}
        call.api.ok("POST", "contracting", f"{call.path}/evaluation/scores", headers, "score", json=body)
    call.tender = call.api.ok("POST", "contracting", f"{call.path}/evaluation/complete", call.authority, "decide")
    assert call.tender["status"] == "active.standstill", call.tender


def contract_signed(call: AwardedCall, portal: LivePortal) -> None:
    wait_for("the standstill to end", lambda: call.apply_due_transitions()["status"] == "active.contract_pending")
    terms = {"milestone_frequency": "monthly", "kpis": KPIS}
    (contract,) = call.api.ok("POST", "contracting", f"{call.path}/contracts", call.authority, "contract", json=terms)
    call.api.ok("POST", "contracting", f"/contracts/{contract['id']}/sign", call.authority, "the department signs")
    winner = call.api.login(f"user@{WINNER}.md", portal.cast.password)
    signed = call.api.ok("POST", "contracting", f"/contracts/{contract['id']}/sign", winner, "the winner signs")
    assert signed["status"] == "active", signed


@pytest.fixture(scope="module")
def round_calls(portal: LivePortal) -> dict[str, dict]:
    """Two calls of home care in Chișinău won by the same CSO (one with a single bid), and a cancelled call."""
    api = Api()
    authority = api.login(DEPARTMENT, portal.cast.password)
    operator = api.login("operator@sscp.md", portal.environment["OPERATOR_PASSWORD"])
    short = (timedelta(seconds=6), timedelta(seconds=6))
    calls = {}
    for name, bidders in (("two-bids", tuple(OFFERS)), ("single-bid", (WINNER,))):
        title = f"Îngrijire la domiciliu, observator ({name})"
        tender = open_call(api, authority, "MD-CU", "home-care", title, PLACES, *short, max_awards=1)
        for cso in bidders:
            bid(api, portal, tender, cso)
        who = [api.login(email, portal.cast.password) for email in EVALUATORS]
        members = [int(api.ok("GET", "registry", "/users/me", headers, "who am I")["id"]) for headers in who]
        path = f"/tenders/{tender['id']}"
        api.ok("POST", "contracting", f"{path}/committee", authority, "committee", json={"evaluators": members})
        calls[name] = (AwardedCall(tender, {}, api, authority, operator), bidders)
    cancelled = open_call(api, authority, "MD-CU", "day-centre", "Centru de zi, anulat", 5, *short)
    reason = {"reason": "Bugetul a fost realocat."}
    api.ok("POST", "contracting", f"/tenders/{cancelled['id']}/cancel", authority, "cancel", json=reason)
    for call, _bidders in calls.values():
        sleep_until(call.tender["submission_deadline"])
        wait_for("the bids to open", lambda call=call: call.apply_due_transitions()["status"] == "active.evaluation")
    for call, bidders in calls.values():
        score_and_decide(call, portal, bidders)
    for call, _bidders in calls.values():
        sleep_until(call.tender["standstill_end"])
        contract_signed(call, portal)
    return {**{name: call.tender for name, (call, _b) in calls.items()}, "cancelled": cancelled}


def open_view(page, portal: LivePortal, view: str, language: str) -> None:
    page.goto(f"{portal.url}{path_of(view)}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1


def test_the_public_reads_every_observatory_view_of_the_round(laptop, browser, portal, round_calls):
    page = laptop
    two_bids, single_bid = round_calls["two-bids"], round_calls["single-bid"]
    for view in VIEWS:
        open_view(page, portal, view, "ro")
        assert page.locator("nav.observatory-nav [aria-current=page]").count() == 1
        assert_accessible(page, f"observatory {view} (ro)")
        screenshot(page, f"observatory-{view}", "ro")
        if view == "coverage":
            assert page.locator("svg.obs-chart--map").count() == 1
            cells = page.locator("table[data-table=coverage-map] tbody tr", has_text="Chișinău").inner_text()
            assert two_bids["ocid"] in cells and single_bid["ocid"] in cells
        if view == "competition":
            single = page.locator("table[data-table=competition] tbody tr").nth(3).inner_text()
            assert single_bid["ocid"] in single and two_bids["ocid"] not in single
        if view == "red-flags":
            flagged = page.locator("table[data-table=flag-r018]")
            flagged.get_by_role("link", name=single_bid["ocid"]).click()
            page.wait_for_url(f"**/calls/{single_bid['id']}")
            assert "observator (single-bid)" in page.locator("h1").inner_text()
            page.go_back()
            incumbent = page.locator("table[data-table=flag-incumbency]").inner_text()
            assert two_bids["ocid"] in incumbent and single_bid["ocid"] in incumbent

    # The same cells in the page, its JSON and its CSV (spending, as the page shows it now).
    open_view(page, portal, "spending", "ro")
    shown = page.eval_on_selector_all(
        "table[data-table=spending] tbody tr",
        "rows => rows.map(r => [...r.children].map(c => c.innerText.replace(/[ \\t\\n\\r]+/g, ' ').trim()))",
    )
    data = httpx.get(f"{portal.url}/observatory/spending?lang=ro&format=json").json()
    assert shown == data["tables"][0]["rows"] and any(row[0] == "Chișinău" for row in shown)
    exported = httpx.get(f"{portal.url}/observatory/spending?lang=ro&format=csv")
    assert exported.text.startswith("\ufeff") and data["tables"][0]["rows"][0][4] in exported.text

    # A district's tile on the map opens its filtered view; the filter form works without JavaScript.
    open_view(page, portal, "coverage", "ro")
    page.locator("svg.obs-chart--map a[data-district=MD-CU]").click()
    page.wait_for_url("**district=MD-CU**")
    assert page.locator("#district").input_value() == "MD-CU"
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="ro-MD")
    phone = context.new_page()
    phone.goto(f"{portal.url}/observatory/providers?lang=ro")
    phone.select_option("#service", "home-care")
    phone.locator("form.observatory-filters button[type=submit]").click()
    phone.wait_for_url("**service=home-care**")
    assert phone.locator("table[data-table=suppliers] tbody tr").count() >= 1
    screenshot(phone, "observatory-phone-providers", "ro")
    context.close()

    for view, language in (("coverage", "ru"), ("red-flags", "en")):
        open_view(page, portal, view, language)
        assert_accessible(page, f"observatory {view} ({language})")
        screenshot(page, f"observatory-{view}", language)
