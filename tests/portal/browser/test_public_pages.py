"""The public finds and reads calls in a real browser, on a phone, in each language; nothing comes from outside."""

from __future__ import annotations

import pytest

from tests.portal.browser.conftest import LAPTOP, assert_accessible, screenshot

LANGUAGES = ("ro", "ru", "en")


def test_the_public_searches_calls_by_district_and_opens_one(phone, portal):
    phone.goto(portal.url + "/")
    assert phone.locator("h1").inner_text() == "Găsiți un apel pentru servicii sociale"
    phone.select_option("#district_code", "MD-OR")
    phone.get_by_role("button", name="Caută").click()
    phone.wait_for_url("**district_code=MD-OR**")
    results = phone.locator(".results h3 a")
    assert results.count() == 1
    assert results.first.inner_text() == "Servicii de respiro, Orhei"
    assert phone.locator(".count").inner_text() == "1 apel găsit"
    results.first.click()
    phone.wait_for_url(f"**/calls/{portal.calls['respite-care']['id']}")
    assert "Servicii de respiro, Orhei" in phone.locator("h1").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_page_reads_in_each_language_and_passes_the_accessibility_audit(phone, portal, language):
    phone.goto(f"{portal.url}/?lang={language}")
    heading = {"ro": "Găsiți un apel", "ru": "Найти конкурс", "en": "Find a call"}[language]
    assert heading in phone.locator("h1").inner_text()
    assert phone.locator("html").get_attribute("lang") == language
    assert_accessible(phone, f"search ({language})")
    screenshot(phone, "public-search", language)
    # The choice is remembered: the next page comes in the same language without asking again.
    phone.goto(f"{portal.url}/sign-in")
    assert phone.locator("html").get_attribute("lang") == language


def test_a_first_visit_to_the_search_page_weighs_under_150_kb(browser, portal):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(portal.url + "/")
    page.wait_for_load_state("networkidle")
    context.close()
    assert 0 < sum(sizes) < 150 * 1024, f"{sum(sizes)} bytes on first load"


def test_the_search_page_works_without_javascript(browser, portal):
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal.url + "/?lang=en")
    page.select_option("#service_type", "home-care")
    page.get_by_role("button", name="Search").click()
    assert "Îngrijire la domiciliu, sectorul Botanica" in page.locator(".results").inner_text()
    context.close()
