"""A CSO manager does every CSO step in a real browser on a phone: sign in, find the eligible call, bid with
documents, see the receipt, modify, withdraw, bid again, read the notice, and switch to Russian."""

from __future__ import annotations

import hashlib
import re

from tests.portal.browser.conftest import assert_accessible, screenshot

NOTICE_WAIT_MS = 45_000


def pdf_bytes(text: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        + f"% {text}\n".encode()
        + b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def sign_in(page, portal, email: str, next_path: str) -> None:
    page.goto(f"{portal.url}/sign-in?next={next_path}")
    page.fill("#email", email)
    page.fill("#password", portal.cast.password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")


def fill_bid(page, places: str, unit_price: str) -> None:
    page.fill("#places", places)
    page.fill("#unit_price", unit_price)
    page.fill("#quality_text", "Echipă de 6 asistenți sociali calificați; plan individual de îngrijire pentru fiecare.")
    page.fill("#quality_answer_1", "Vizite zilnice la domiciliu, supervizare lunară, linie telefonică 24/7.")


def test_a_cso_manager_bids_with_documents_modifies_withdraws_and_bids_again_on_a_phone(phone, portal, tmp_path):
    call = portal.calls["home-care"]
    sign_in(phone, portal, "user@speranta.md", "/cso/")
    # Home: the call it is eligible for (home care in Chișinău), not the one in Orhei for another service.
    home = phone.locator("main").inner_text()
    assert "Îngrijire la domiciliu, sectorul Botanica" in home
    assert "Servicii de respiro, Orhei" not in home
    assert_accessible(phone, "CSO home")
    screenshot(phone, "cso-home", "ro")

    phone.get_by_role("link", name="Îngrijire la domiciliu, sectorul Botanica").first.click()
    phone.wait_for_url(f"**/calls/{call['id']}")
    assert_accessible(phone, "call page")
    screenshot(phone, "public-call", "ro")
    phone.locator(f"a[href$='/cso/calls/{call['id']}/bid']").first.click()

    # The bid form, then "check your answers" with the total against the lot's budget, then submit.
    fill_bid(phone, "10", "5500")
    assert_accessible(phone, "bid form")
    screenshot(phone, "bid-form", "ro")
    phone.click("#continue")
    assert "55\u00a0000,00\u00a0lei" in phone.locator("#bid-total-amount").inner_text()
    assert "bugetului" in phone.locator("#bid-total-verdict").inner_text()
    assert_accessible(phone, "check your answers")
    screenshot(phone, "bid-check", "ro")
    phone.click("#submit-bid")

    # Documents: uploaded after the bid exists, each shown with its SHA-256.
    proposal, statute = tmp_path / "propunere-tehnica.pdf", tmp_path / "statut.pdf"
    proposal.write_bytes(pdf_bytes("Propunerea tehnica Casa Sperantei"))
    statute.write_bytes(pdf_bytes("Statutul organizatiei"))
    phone.set_input_files("#files", [str(proposal), str(statute)])
    phone.click("#upload-files")
    for document in (proposal, statute):
        digest = hashlib.sha256(document.read_bytes()).hexdigest()
        phone.wait_for_selector(f"text={digest}", timeout=20_000)
    assert_accessible(phone, "bid documents")
    screenshot(phone, "bid-documents", "ro")

    # The receipt: the bid's hash, the server's time, the documents' hashes.
    phone.click("#see-receipt")
    receipt = phone.locator("main").inner_text()
    assert re.search(r"[0-9a-f]{64}", phone.locator("#receipt-sha256").inner_text())
    assert hashlib.sha256(proposal.read_bytes()).hexdigest() in receipt
    assert "55\u00a0000,00\u00a0lei" in phone.locator("#receipt-total").inner_text()
    assert_accessible(phone, "receipt")
    screenshot(phone, "bid-receipt", "ro")
    first_hash = phone.locator("#receipt-sha256").inner_text()

    # Modify until the deadline: a lower price, a new receipt.
    phone.click("#edit-bid")
    assert phone.input_value("#unit_price") in ("5500", "5500.00", "5500,00")
    phone.fill("#unit_price", "5000")
    phone.click("#continue")
    phone.click("#submit-bid")
    phone.wait_for_selector("#receipt-sha256")
    assert "50\u00a0000,00\u00a0lei" in phone.locator("#receipt-total").inner_text()
    assert phone.locator("#receipt-sha256").inner_text() != first_hash

    # Withdraw (after an "are you sure?" page), then bid again.
    phone.click("#withdraw-bid")
    assert_accessible(phone, "withdraw confirmation")
    phone.click("#confirm-withdraw")
    phone.wait_for_selector("#bid-again")
    phone.click("#bid-again")
    fill_bid(phone, "12", "5400")
    phone.click("#continue")
    phone.click("#submit-bid")
    phone.wait_for_selector("#files")

    # Notices: the bid's receipts arrive in the inbox through the bus and the notifications worker.
    phone.goto(f"{portal.url}/cso/notices")
    for _ in range(NOTICE_WAIT_MS // 3000):
        if phone.locator("[id^=mark-read-]").count():
            break
        phone.wait_for_timeout(3000)
        phone.reload()
    assert phone.locator("[id^=mark-read-]").count() >= 1, phone.locator("main").inner_text()
    assert_accessible(phone, "notices")
    screenshot(phone, "cso-notices", "ro")
    unread_before = phone.locator("[id^=mark-read-]").count()
    phone.locator("[id^=mark-read-]").first.click()
    phone.wait_for_function(
        f"() => document.querySelectorAll('[id^=mark-read-]').length < {unread_before}", timeout=10_000
    )

    # Russian, chosen once, for every page after.
    phone.get_by_role("link", name="Русский").click()
    phone.wait_for_url("**lang=ru**")
    assert phone.locator("html").get_attribute("lang") == "ru"
    assert "Уведомления" in phone.locator("h1").inner_text()
    screenshot(phone, "cso-notices", "ru")
    phone.goto(f"{portal.url}/cso/")
    assert phone.locator("html").get_attribute("lang") == "ru"
    assert_accessible(phone, "CSO home (ru)")
    screenshot(phone, "cso-home", "ru")
    phone.goto(f"{portal.url}/cso/bids")
    assert "Îngrijire la domiciliu, sectorul Botanica" in phone.locator("main").inner_text()
    screenshot(phone, "cso-bids", "ru")
    phone.goto(f"{portal.url}/cso/contracts")
    assert_accessible(phone, "contracts (ru)")
    screenshot(phone, "cso-contracts", "ru")


MAIN_PAGES = {
    "public-search": "/",
    "public-call": "/calls/{call}",
    "sign-in": "/sign-in",
    "cso-home": "/cso/",
    "bid-receipt": "{receipt}",
    "bid-form": "{edit}",  # the bid form, as its author changes it
    "cso-bids": "/cso/bids",
    "cso-notices": "/cso/notices",
    "cso-settings": "/cso/settings/notifications",
    "cso-contracts": "/cso/contracts",
    "cso-question": "/cso/calls/{call}/questions/new",
}


def test_every_main_page_reads_in_each_language_passes_the_audit_and_is_photographed(phone, portal):
    """Runs after the bidding test above: the CSO has a bid (its receipt is one of the pages)."""
    call = portal.calls["home-care"]["id"]
    sign_in(phone, portal, "user@speranta.md", "/cso/bids")
    receipt = phone.locator("#my-bids a[href*='/receipt']").first.get_attribute("href")
    for language in ("ro", "ru", "en"):
        phone.goto(f"{portal.url}/language/{language}?next=/cso/")
        for name, path in MAIN_PAGES.items():
            if name == "sign-in":
                continue  # signed in, the sign-in page is the form again; photographed while signed out below
            phone.goto(portal.url + path.format(call=call, receipt=receipt, edit=receipt.replace("/receipt", "/edit")))
            assert phone.locator("html").get_attribute("lang") == language, name
            assert phone.locator("h1").count() == 1, f"{name} ({language}) has {phone.locator('h1').count()} h1"
            assert_accessible(phone, f"{name} ({language})")
            screenshot(phone, name, language)
        phone.locator("form[action$='/sign-out'] button").click()
        phone.goto(f"{portal.url}/sign-in")
        assert_accessible(phone, f"sign-in ({language})")
        screenshot(phone, "sign-in", language)
        sign_in(phone, portal, "user@speranta.md", "/cso/")
