"""An operator keeps the register and watches operations in a real browser: grants an accreditation to a provider,
renews it, reads the users, and sends a dead letter again; every main page in ro, ru and en passes the audit, and
one pass runs at a phone's 360 px.

The dead letter is made over the APIs: a CSO (AO Ialoveni pentru Vârstnici) registers a webhook at a closed port on
this machine, and the Ialoveni department publishes a home-care call, which notifies the CSO; the live platform's
notifications give up after two quick attempts (tests/portal/browser/live_portal.py). Prefect does not run here, so
the operations page says that the flow server cannot be reached.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from demo.platform import Api
from deploy.supervisor import free_port
from tests.portal.browser.conftest import LAPTOP, PHONE, assert_accessible, screenshot
from tests.portal.browser.live_portal import LivePortal, open_call

OPERATOR = "operator@sscp.md"
WEBHOOK_CSO = "user@ialoveni.md"
GRANTED_TO = "AO Lumos Moldova"  # accredited for family-type homes only; here it is granted day centres too
LANGUAGES = ("ro", "ru", "en")


def wait_for(what: str, check: Callable[[], object], timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(0.5)
    return found


@pytest.fixture(scope="module")
def operator_api(portal: LivePortal) -> tuple[Api, dict]:
    api = Api()
    return api, api.login(OPERATOR, portal.environment["OPERATOR_PASSWORD"])


@pytest.fixture(scope="module")
def dead_letter(portal: LivePortal, operator_api) -> dict:
    """A webhook delivery that gave up: the CSO's receiver is a port nobody listens on."""
    api, operator = operator_api
    cso = api.login(WEBHOOK_CSO, portal.cast.password)
    hook_url = f"http://127.0.0.1:{free_port()}/sscp-hook"
    body = {"url": hook_url, "description": "Sistemul nostru (oprit)"}
    api.ok("POST", "notifications", "/webhooks", cso, "register a webhook at a closed port", json=body)
    department = api.login("das@ialoveni.md", portal.cast.password)
    open_call(api, department, "MD-IA", "home-care", "Îngrijire la domiciliu, Ialoveni", 12)

    def dead() -> dict | None:
        params = {"status": "dead", "channel": "webhook", "page_size": 100}
        rows = api.ok("GET", "notifications", "/deliveries", operator, "dead letters", params=params)
        return next((row for row in rows if row.get("address") == hook_url), None)

    return wait_for("the webhook delivery to give up", dead, timeout=90)


def sign_in_as_operator(page, portal: LivePortal, next_path: str = "/operator/") -> None:
    page.goto(f"{portal.url}/sign-in?next={next_path}")
    page.fill("#email", OPERATOR)
    page.fill("#password", portal.environment["OPERATOR_PASSWORD"])
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")


@pytest.fixture
def laptop(browser, portal):
    context = browser.new_context(viewport=LAPTOP, locale="ro-MD", timezone_id="Europe/Chisinau")
    page = context.new_page()
    yield page
    context.close()


def look(page, portal: LivePortal, path: str, name: str, language: str, photograph: bool = True) -> None:
    page.goto(f"{portal.url}{path}{'&' if '?' in path else '?'}lang={language}")
    assert_accessible(page, f"{name} ({language})")
    if photograph:
        screenshot(page, name, language)


def test_an_operator_grants_and_renews_an_accreditation_and_reads_the_users(laptop, portal):
    page = laptop
    sign_in_as_operator(page, portal)
    assert page.locator("#flow-server-down").is_visible()  # no Prefect in this platform

    page.goto(f"{portal.url}/operator/providers?lang=ro")
    page.get_by_role("link", name=GRANTED_TO).click()
    page.locator("#grant-accreditation").click()
    page.locator("details summary").click()  # the districts served, folded away
    screenshot(page, "operator-grant", "ro")
    page.select_option("#service_type", "day-centre")
    page.fill("#certificate_number", "LUM-ZI-2026")
    page.locator("#grant").click()
    page.wait_for_url("**/operator/providers/*")
    assert "a fost acordată" in page.locator(".notice-success").inner_text()
    row = page.locator("#accreditations tbody tr", has_text="LUM-ZI-2026")
    assert row.count() == 1
    assert "Ungheni" in page.locator("dl.summary").inner_text()  # the districts it serves were kept as they were

    row.get_by_role("link").click()
    page.wait_for_url("**/operator/accreditations/*")
    before = page.locator("#valid-to").inner_text()
    screenshot(page, "operator-accreditation", "ro")
    page.locator("#renew").click()
    page.wait_for_url("**/operator/accreditations/*")
    assert page.locator(".notice-success").is_visible()
    assert page.locator("#valid-to").inner_text() != before

    # a renewal that does not move the last day later is refused beside the date, not with an error page
    page.fill("#valid_to", "2020-01-01")
    page.locator("#renew").click()
    assert page.locator("#valid_to-error").is_visible()

    page.goto(f"{portal.url}/operator/users?lang=ro")
    assert page.locator("#users", has_text="user@speranta.md").is_visible()
    assert page.locator("#users", has_text="das@chisinau.md").is_visible()


def test_an_operator_sends_a_dead_letter_again(laptop, portal, dead_letter, operator_api):
    api, operator = operator_api
    page = laptop
    sign_in_as_operator(page, portal, "/operator/deliveries")
    item = page.locator(f"#delivery-{dead_letter['id']}")
    assert item.is_visible() and "sscp-hook" in item.inner_text()
    screenshot(page, "operator-dead-letters", "ro")
    assert_accessible(page, "dead letters (ro)")
    page.locator(f"#retry-{dead_letter['id']}").click()
    page.wait_for_url("**/operator/deliveries*")
    assert str(dead_letter["id"]) in page.locator(".notice-success").inner_text()

    def tried_again() -> bool:
        row = api.ok("GET", "notifications", f"/deliveries/{dead_letter['id']}", operator, "the delivery")
        return row["updated_at"] != dead_letter["updated_at"]

    wait_for("the retried delivery to be attempted again", tried_again, timeout=30)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_operator_pages_read_in_each_language_and_pass_the_audit(laptop, portal, dead_letter, language):
    page = laptop
    sign_in_as_operator(page, portal)
    look(page, portal, "/operator/", "operator-home", language)
    look(page, portal, "/operator/accreditations", "operator-accreditations", language)
    look(page, portal, "/operator/providers", "operator-providers", language, photograph=language == "ro")
    look(page, portal, "/operator/users", "operator-users", language, photograph=language == "ro")
    look(page, portal, "/operator/deliveries", "operator-dead-letters", language, photograph=False)
    look(page, portal, "/operator/service-types", "operator-service-types", language, photograph=False)
    page.goto(f"{portal.url}/operator/providers?lang={language}")
    page.get_by_role("link", name=GRANTED_TO).click()
    assert_accessible(page, f"a provider ({language})")
    page.locator("#grant-accreditation").click()
    assert_accessible(page, f"the grant form ({language})")
    page.goto(f"{portal.url}/operator/users/new?lang={language}")
    assert_accessible(page, f"the new account form ({language})")


def test_the_operator_pages_fit_a_phone(phone, portal, dead_letter):
    sign_in_as_operator(phone, portal)
    for path in (
        "/operator/",
        "/operator/providers",
        "/operator/accreditations",
        "/operator/users",
        "/operator/deliveries",
    ):
        phone.goto(f"{portal.url}{path}?lang=ro")
        assert_accessible(phone, f"{path} at 360 px")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a 360 px phone"
    screenshot(phone, "operator-dead-letters-phone", "ro")
