"""A district department runs a call in a real browser: on a phone it creates one with a document (the weights and
the periods checked as it types), previews it as the public will see it, publishes it, answers the question a CSO
asked, names the committee, amends it; then its main pages read in Romanian, Russian and English at laptop width
and pass the accessibility audit.

Questions are asked by a CSO through the API (demo.platform.Api), as the CSO's own pages are another test's."""

from __future__ import annotations

import hashlib

import pytest

from demo.cast import evaluator_emails
from demo.platform import Api
from tests.portal.browser.conftest import assert_accessible, screenshot
from tests.portal.browser.test_cso_bidding import pdf_bytes, sign_in

DEPARTMENT = "das@chisinau.md"
TITLE = "Asistență personală, sectorul Centru"
QUESTION = "Este necesară o licență pentru asistenții personali?"
ANSWER = "Nu: ajunge acreditarea serviciului; asistenții au certificat de formare."
LANGUAGES = ("ro", "ru", "en")


def fill_new_call(page, terms) -> None:
    page.select_option("#service_type", "home-care")
    page.fill("#title", TITLE)
    page.fill("#description", "12 locuri de asistență personală pentru persoane cu dizabilități severe.")
    page.fill("#lots-0-title", "Centru")
    page.fill("#lots-0-places", "12")
    page.fill("#lots-0-budget", "96000")
    page.fill("#lots-0-duration_months", "12")
    page.fill("#lots-0-max_awards", "2")
    page.fill("#criteria-1-minimum", "50")
    page.set_input_files("#documents", str(terms))


def test_a_department_creates_previews_publishes_and_runs_a_call_on_a_phone(phone, portal, tmp_path):
    api = Api()
    sign_in(phone, portal, DEPARTMENT, "/department/")
    home = phone.locator("main").inner_text()
    assert "Îngrijire la domiciliu, sectorul Botanica" in home  # the district's call the platform was seeded with
    assert "Servicii de respiro, Orhei" not in home  # another district's
    assert_accessible(phone, "department home (phone)")
    screenshot(phone, "department-phone-home", "ro")

    phone.click("#new-call")
    phone.wait_for_url("**/department/calls/new")
    terms = tmp_path / "caiet-de-sarcini.pdf"
    terms.write_bytes(pdf_bytes("Caietul de sarcini: asistenta personala"))
    fill_new_call(phone, terms)

    # The weights are added up as they are typed; a period too short is said beside its field at once.
    phone.fill("#criteria-1-weight", "50")
    assert phone.locator("#weights-total").inner_text() == "90"
    assert "trebuie să fie 100" in phone.locator("#weights-verdict").inner_text()
    phone.fill("#criteria-1-weight", "60")
    assert phone.locator("#weights-total").inner_text() == "100"
    chosen = phone.input_value("#enquiry_end")
    phone.fill("#enquiry_end", "2020-01-06T10:00")
    assert phone.locator("#enquiry_end-check").is_visible()
    assert "a trecut" in phone.locator("#enquiry_end-check").inner_text()
    phone.fill("#enquiry_end", chosen)
    assert phone.locator("#enquiry_end-check").is_hidden()
    assert_accessible(phone, "new call form (phone)")
    screenshot(phone, "department-phone-new-call", "ro")

    phone.click("#save-draft")
    phone.wait_for_selector("#publish-call")
    tender_id = int(phone.url.rstrip("/").split("/")[-1])
    draft_page = phone.locator("main").inner_text()
    assert "Proiectul a fost salvat" in draft_page
    assert hashlib.sha256(terms.read_bytes()).hexdigest() in draft_page
    assert "Comisia nu este numită" in draft_page
    assert_accessible(phone, "draft page (phone)")
    screenshot(phone, "department-phone-draft", "ro")

    # The preview is the public call page with a banner; publishing from it opens the call.
    phone.click("#preview-call")
    phone.wait_for_selector("#publish-from-preview")
    preview = phone.locator("main").inner_text()
    assert TITLE in preview and "caiet-de-sarcini.pdf" in preview
    assert "96\u00a0000,00\u00a0lei" in preview
    assert_accessible(phone, "preview (phone)")
    screenshot(phone, "department-phone-preview", "ro")
    phone.click("#publish-from-preview")
    phone.wait_for_selector("text=Apelul este publicat")
    public = api.ok("GET", "contracting", f"/tenders/{tender_id}", None, "the public reads the call")
    assert public["status"] == "active.enquiries"

    # A CSO asks; the department answers on the call's page, and the answer is public.
    cso = api.login("user@speranta.md", portal.cast.password)
    question = api.ok("POST", "contracting", f"/tenders/{tender_id}/questions", cso, "ask", json={"question": QUESTION})
    phone.reload()
    assert "1 întrebare fără răspuns" in phone.locator("main").inner_text()
    phone.fill(f"#q{question['id']}-answer", ANSWER)
    phone.click(f"#answer-{question['id']}")
    phone.wait_for_selector("text=Răspunsul dumneavoastră este publicat")
    answered = api.ok("GET", "contracting", f"/tenders/{tender_id}/questions", None, "public questions")
    assert [(q["question"], q["answer"]) for q in answered] == [(QUESTION, ANSWER)]

    # The committee: the district's three evaluators.
    boxes = phone.locator("#evaluators-fieldset input[type=checkbox]")
    assert boxes.count() == len(evaluator_emails("MD-CU"))
    for index in range(boxes.count()):
        boxes.nth(index).check()
    phone.click("#name-committee")
    phone.wait_for_selector("text=3 evaluatori au fost numiți în comisie")
    authority = api.login(DEPARTMENT, portal.cast.password)
    committee = api.ok("GET", "contracting", f"/tenders/{tender_id}/committee", authority, "committee")
    assert len(committee["members"]) == 3
    page_now = phone.locator("main").inner_text()
    assert "Comisia nu este numită" not in page_now
    assert phone.locator("#bids-count").inner_text().startswith("0")
    assert_accessible(phone, "published call (phone)")
    screenshot(phone, "department-phone-call", "ro")

    # An amendment moves the deadline out by the minimum and says bidders must confirm again.
    before = api.ok("GET", "contracting", f"/tenders/{tender_id}", None, "deadline")["submission_deadline"]
    phone.click("#amend-call")
    phone.wait_for_selector("#send-amendment")
    assert_accessible(phone, "amendment form (phone)")
    screenshot(phone, "department-amend", "ro")
    phone.fill("#rationale", "Se precizează cerințele de formare ale asistenților personali.")
    phone.click("#send-amendment")
    phone.wait_for_selector("text=trebuie să o confirme din nou")
    after = api.ok("GET", "contracting", f"/tenders/{tender_id}", None, "deadline")["submission_deadline"]
    assert after > before

    phone.click("#cancel-call")
    phone.wait_for_selector("#confirm-cancel")
    assert_accessible(phone, "cancel form (phone)")
    screenshot(phone, "department-cancel", "ro")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_department_pages_read_in_each_language_and_pass_the_audit(laptop, portal, language):
    call = portal.calls["home-care"]  # Chișinău's call, published at the start of the session
    sign_in(laptop, portal, DEPARTMENT, f"/department/?lang={language}")
    assert laptop.locator("html").get_attribute("lang") == language
    heading = {"ro": "Apelurile din", "ru": "Конкурсы", "en": "Calls of"}[language]
    assert heading in laptop.locator("h1").inner_text()
    assert_accessible(laptop, f"department home ({language})")
    screenshot(laptop, "department-home", language)

    laptop.goto(f"{portal.url}/department/calls/new")
    assert laptop.locator("#weights-total").inner_text() == "100"
    assert_accessible(laptop, f"new call ({language})")
    screenshot(laptop, "department-new-call", language)

    laptop.goto(f"{portal.url}/department/calls/{call['id']}")
    assert laptop.locator("#bids-count").count() == 1
    assert_accessible(laptop, f"call page ({language})")
    screenshot(laptop, "department-call", language)

    laptop.goto(f"{portal.url}/department/calls/{call['id']}/preview")
    assert laptop.locator(".dept-preview-banner").count() == 1
    assert_accessible(laptop, f"preview ({language})")
    screenshot(laptop, "department-preview", language)
