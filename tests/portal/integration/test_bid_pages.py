"""The CSO's bid pages against a faked contracting API: what they show, what they send, how refusals read."""

from __future__ import annotations

import hashlib
import html
import io
from datetime import UTC, datetime, timedelta

import pytest

from services.portal.domain.money import format_mdl
from tests.portal.conftest import csrf_of, signed_in

TENDER_ID, BID_ID = 5, 41
RECEIPT = "ab" * 32
DOCUMENT_SHA = "cd" * 32


def _tender(deadline: datetime, status: str = "active.tendering") -> dict:
    return {
        "id": TENDER_ID,
        "ocid": "ocds-test-5",
        "title": "Îngrijire la domiciliu, Chișinău",
        "district_code": "MD-CU",
        "service_type": "home-care",
        "status": status,
        "submission_deadline": deadline.isoformat(),
        "lots": [
            {
                "id": 11,
                "number": 1,
                "title": "Sectorul Botanica",
                "places": 20,
                "budget": "1200000.00",
                "duration_months": 12,
            },
            {
                "id": 12,
                "number": 2,
                "title": "Sectorul Centru",
                "places": 10,
                "budget": "500000.00",
                "duration_months": 12,
            },
        ],
        "criteria": [
            {"id": 1, "number": 1, "kind": "price", "name": "Preț", "weight": 40},
            {"id": 2, "number": 2, "kind": "quality", "name": "Metodologia", "weight": 35},
            {"id": 3, "number": 3, "kind": "quality", "name": "Echipa", "weight": 25},
        ],
    }


def _bid(status: str = "active", **changes) -> dict:
    bid = {
        "id": BID_ID,
        "tender_id": TENDER_ID,
        "lot_id": 11,
        "provider_id": 3,
        "status": status,
        "unit_price": "45000.50",
        "places": 12,
        "price": "540006.00",
        "quality_text": "Echipă calificată.",
        "quality_answers": [
            {"criterion_id": 2, "answer": "Plan individual"},
            {"criterion_id": 3, "answer": "8 asistenți"},
        ],
        "documents": [
            {
                "document_id": 70,
                "title": "propunere",
                "file_name": "propunere.pdf",
                "sha256": DOCUMENT_SHA,
                "confidential": False,
            }
        ],
        "submitted_at": "2026-12-05T09:00:00.123456+00:00",
        "updated_at": "2026-12-05T09:30:00.654321+00:00",
        "receipt_sha256": RECEIPT,
        "needs_reconfirmation": False,
    }
    return {**bid, **changes}


class CallState:
    """The call, the CSO's bids on it and its accreditation, as the faked APIs answer them (tests change them)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)
        self.tender = _tender(self.now + timedelta(hours=2))
        self.bids: list[dict] = []
        self.accredited = True


def _stored(request: dict) -> tuple[int, dict, dict]:
    name, content, _type = request["files"]["file"]
    document = {"id": 71, "file_name": name, "sha256": hashlib.sha256(content).hexdigest(), "kind": "bid"}
    return 201, {"document": document, "receipt": {"sha256": RECEIPT, "received_at": "2026-12-05T09:31:00+00:00"}}, {}


@pytest.fixture
def state(fake_api) -> CallState:
    state = CallState()
    receipt = {"sha256": RECEIPT, "received_at": "2026-12-05T09:30:00.654321+00:00"}
    bids = f"/tenders/{TENDER_ID}/bids"
    fake_api.on_call("GET", "contracting", f"/tenders/{TENDER_ID}", lambda r: (200, state.tender, {}))
    fake_api.on_call("GET", "contracting", bids, lambda r: (200, {"tender_id": TENDER_ID, "bids": state.bids}, {}))
    fake_api.on("POST", "contracting", bids, 201, {"bid": _bid(), "receipt": receipt})
    fake_api.on("PUT", "contracting", f"{bids}/{BID_ID}", 200, {"bid": _bid(), "receipt": receipt})
    fake_api.on("POST", "contracting", f"{bids}/{BID_ID}/withdraw", 200, {"bid": _bid("withdrawn"), "receipt": receipt})
    fake_api.on_call("POST", "contracting", f"/tenders/{TENDER_ID}/documents", _stored)
    fake_api.on_call(
        "GET",
        "contracting",
        "/tenders",
        lambda r: (200, [state.tender] if r["params"]["status"] == "active.tendering" else [], {}),
    )
    fake_api.on("GET", "registry", "/providers/3", body={"id": 3, "legal_name": "AO Casa Speranței"})
    fake_api.on_call(
        "GET", "registry", "/accreditations/validity", lambda r: (200, {"valid": state.accredited, "reasons": []}, {})
    )
    return state


@pytest.fixture
def browser(client, fake_api, state):
    """A CSO signed in (English pages), with the CSRF token its forms carry."""
    signed_in(client, fake_api, "cso")
    client.set_cookie("sscp_lang", "en")
    client.csrf = csrf_of(text(client.get(NEW)))
    return client


def text(answer) -> str:
    return html.unescape(answer.get_data(as_text=True))


def sent_to(fake_api, method: str, path: str) -> list[dict]:
    return [request for request in fake_api.sent if request["method"] == method and request["path"] == path]


def post(browser, path: str, data: dict | None = None, **kwargs):
    return browser.post(path, data={"csrf_token": browser.csrf, **(data or {})}, **kwargs)


NEW = f"/cso/calls/{TENDER_ID}/bid"
TYPED = {
    "lot_id": "11",
    "places": "12",
    "unit_price": "45000,50",
    "quality_text": "Echipă calificată.",
    "quality_answer_1": "Plan individual",
    "quality_answer_2": "8 asistenți",
}


def _money(amount: str) -> str:
    return format_mdl(amount, "en")


def test_the_form_offers_each_lot_with_its_budget_and_asks_one_answer_per_quality_criterion(browser):
    page = text(browser.get(NEW))
    for field_id in (
        "lot_id-0",
        "lot_id-1",
        "places",
        "unit_price",
        "quality_text",
        "quality_answer_1",
        "quality_answer_2",
    ):
        assert f'id="{field_id}"' in page
    assert "Metodologia" in page and "Echipa" in page and "35 points out of 100" in page
    assert _money("1200000") in page and _money("500000") in page
    assert "one bid per lot" in page


def test_continue_shows_check_your_answers_with_the_total_against_the_lot_budget_and_sends_nothing(
    browser, state, fake_api
):
    answer = post(browser, NEW, {**TYPED, "step": "check"})
    page = text(answer)
    assert answer.status_code == 200
    assert "Check your answers" in page
    assert _money("540006.00") in page and "Within the lot's budget" in page
    assert 'name="quality_answer_2" value="8 asistenți"' in page
    assert not sent_to(fake_api, "POST", f"/tenders/{TENDER_ID}/bids")


def test_submitting_sends_the_offer_to_the_api_and_leads_to_adding_documents(browser, state, fake_api):
    answer = post(browser, NEW, {**TYPED, "step": "submit"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/documents")
    [sent] = sent_to(fake_api, "POST", f"/tenders/{TENDER_ID}/bids")
    assert sent["json"] == {
        "lot_id": 11,
        "unit_price": "45000.50",
        "places": 12,
        "quality_text": "Echipă calificată.",
        "quality_answers": [
            {"criterion_id": 2, "answer": "Plan individual"},
            {"criterion_id": 3, "answer": "8 asistenți"},
        ],
    }


def test_a_total_above_the_lot_budget_is_refused_beside_the_unit_price_before_anything_is_sent(
    browser, state, fake_api
):
    answer = post(browser, NEW, {**TYPED, "unit_price": "200000", "step": "check"})
    page = text(answer)
    assert answer.status_code == 422
    assert 'id="unit_price-error"' in page and "above the lot's budget" in page
    assert not sent_to(fake_api, "POST", f"/tenders/{TENDER_ID}/bids")


def test_an_api_field_refusal_is_shown_beside_its_field_with_what_was_typed_kept(browser, state, fake_api):
    fake_api.on(
        "POST",
        "contracting",
        f"/tenders/{TENDER_ID}/bids",
        422,
        {
            "code": 422,
            "message": "Invalid",
            "errors": {"quality_answers": {"1": {"answer": ["Missing data for required field."]}}},
        },
    )
    answer = post(browser, NEW, {**TYPED, "step": "submit"})
    page = text(answer)
    assert answer.status_code == 422
    assert '<p class="error-message" id="quality_answer_2-error">' in page
    assert "This field is required." in page.split('id="quality_answer_2-error"')[1][:200]
    assert 'value="45000,50"' in page and "Echipă calificată." in page


def test_a_bid_refused_after_the_deadline_says_so_and_keeps_what_was_typed(browser, state, fake_api):
    passed = (state.now - timedelta(seconds=5)).isoformat()
    fake_api.on(
        "POST",
        "contracting",
        f"/tenders/{TENDER_ID}/bids",
        409,
        {
            "code": 409,
            "message": "the submission deadline has passed; bids are closed",
            "submission_deadline": passed,
            "server_time": state.now.isoformat(),
        },
    )
    answer = post(browser, NEW, {**TYPED, "step": "submit"})
    page = text(answer)
    assert answer.status_code == 409
    assert "has passed" in page and "no bid was submitted" in page
    assert 'value="12"' in page


def test_a_second_bid_on_the_same_lot_points_to_the_bid_to_change(browser, state, fake_api):
    fake_api.on(
        "POST", "contracting", f"/tenders/{TENDER_ID}/bids", 409, {"code": 409, "message": "already", "bid_id": BID_ID}
    )
    page = text(post(browser, NEW, {**TYPED, "step": "submit"}))
    assert "You already have a bid on this lot" in page
    assert f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/edit" in page


def test_once_the_deadline_has_passed_the_form_is_not_offered(browser, state, fake_api):
    state.tender = _tender(state.now - timedelta(minutes=1))
    answer = browser.get(NEW)
    assert answer.status_code == 409
    assert "has passed" in text(answer)


def test_a_person_without_valid_accreditation_is_told_in_plain_words(browser, state, fake_api):
    state.accredited = False
    page = text(browser.get(NEW))
    assert "Your organisation has no valid accreditation for" in page and "Ask the operator" in page


def test_the_live_total_says_whether_it_is_within_the_lot_budget(browser):
    within = text(browser.get(f"{NEW}/total?lot_id=12&places=10&unit_price=50000"))
    assert _money("500000.00") in within and "Within the lot's budget" in within
    over = text(browser.get(f"{NEW}/total?lot_id=12&places=10&unit_price=50000,01"))
    assert "Above the lot's budget" in over and _money("0.10") in over


def test_changing_a_bid_starts_from_the_bid_and_puts_it_to_the_api(browser, state, fake_api):
    state.bids = [_bid()]
    edit = f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/edit"
    page = text(browser.get(edit))
    assert 'value="45000.50"' in page and "8 asistenți" in page
    answer = post(browser, edit, {**TYPED, "places": "15", "step": "submit"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/receipt")
    [sent] = sent_to(fake_api, "PUT", f"/tenders/{TENDER_ID}/bids/{BID_ID}")
    assert sent["json"]["places"] == 15


def test_withdrawing_asks_first_then_withdraws(browser, state, fake_api):
    state.bids = [_bid()]
    withdraw = f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/withdraw"
    assert "Are you sure you want to withdraw your bid?" in text(browser.get(withdraw))
    assert not sent_to(fake_api, "POST", f"/tenders/{TENDER_ID}/bids/{BID_ID}/withdraw")
    answer = post(browser, withdraw)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/receipt")
    assert len(sent_to(fake_api, "POST", f"/tenders/{TENDER_ID}/bids/{BID_ID}/withdraw")) == 1


def test_a_withdrawal_refused_at_the_deadline_says_the_bid_stays_as_it_was(browser, state, fake_api):
    state.bids = [_bid()]
    fake_api.on(
        "POST",
        "contracting",
        f"/tenders/{TENDER_ID}/bids/{BID_ID}/withdraw",
        409,
        {
            "code": 409,
            "message": "the submission deadline has passed",
            "submission_deadline": state.now.isoformat(),
        },
    )
    answer = post(browser, f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/withdraw")
    assert answer.status_code == 409
    assert "your bid stays as it was" in text(answer)


def test_after_a_withdrawal_the_receipt_offers_a_new_bid_on_the_lot(browser, state, fake_api):
    state.bids = [_bid("withdrawn")]
    page = text(browser.get(f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/receipt"))
    assert f"/cso/calls/{TENDER_ID}/bid?lot=11" in page
    assert 'id="withdraw-bid"' not in page
    new_bid = text(browser.get(NEW))
    assert 'id="lot_id-0"' in new_bid


def test_the_receipt_shows_the_bid_its_hashes_and_its_documents(browser, state, fake_api):
    state.bids = [_bid()]
    page = text(browser.get(f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/receipt"))
    assert RECEIPT in page and DOCUMENT_SHA in page and "propunere.pdf" in page
    assert "AO Casa Speranței" in page and _money("540006.00") in page and _money("45000.50") in page
    assert "2026-12-05T09:30:00.654321+00:00" in page
    assert 'id="print-receipt"' in page and " hidden " in page.split('id="print-receipt"')[0][-60:]


def test_an_upload_is_forwarded_to_the_api_as_multipart_of_kind_bid_for_the_bid(browser, state, fake_api):
    state.bids = [_bid()]
    content = b"%PDF-1.4\n1 0 obj\n"
    answer = post(
        browser,
        f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/documents",
        {"document_type": "qualificationDocuments", "files": [(io.BytesIO(content), "statut.pdf")]},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    [sent] = sent_to(fake_api, "POST", f"/tenders/{TENDER_ID}/documents")
    assert sent["data"]["kind"] == "bid" and sent["data"]["owner_id"] == str(BID_ID)
    assert sent["data"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert sent["data"]["document_type"] == "qualificationDocuments" and sent["data"]["title"] == "statut"
    assert sent["files"]["file"][:2] == ("statut.pdf", content)


def test_a_scripted_upload_answers_with_the_sha256_the_api_stated(browser, state, fake_api):
    state.bids = [_bid()]
    content = b"%PDF-1.4 two"
    answer = post(
        browser,
        f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/documents",
        {"files": [(io.BytesIO(content), "buget.pdf")]},
        content_type="multipart/form-data",
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert answer.status_code == 201
    assert hashlib.sha256(content).hexdigest() in text(answer)


def test_a_refused_upload_says_which_file_and_why(browser, state, fake_api):
    state.bids = [_bid()]
    fake_api.on(
        "POST",
        "contracting",
        f"/tenders/{TENDER_ID}/documents",
        422,
        {
            "code": 422,
            "message": "bad",
            "errors": {"file": ["the file's content is not an allowed format"]},
        },
    )
    answer = post(
        browser,
        f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/documents",
        {"files": [(io.BytesIO(b"MZ"), "virus.exe")]},
        content_type="multipart/form-data",
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert answer.status_code == 422
    assert "virus.exe was not added" in text(answer)


def test_removing_a_document_deletes_it_through_the_api(browser, state, fake_api):
    state.bids = [_bid()]
    fake_api.on("DELETE", "contracting", "/documents/70", 200, {"document": {"id": 70}})
    answer = post(browser, f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/documents/70/remove")
    assert answer.status_code == 302
    assert sent_to(fake_api, "DELETE", "/documents/70")


def test_my_bids_lists_each_bid_with_its_status_and_what_can_be_done(browser, state, fake_api):
    state.bids = [_bid()]
    page = text(browser.get("/cso/bids"))
    assert "Îngrijire la domiciliu, Chișinău" in page and "Submitted" in page
    for action in ("receipt", "edit", "withdraw"):
        assert f"/cso/calls/{TENDER_ID}/bids/{BID_ID}/{action}" in page


def test_another_role_does_not_find_the_bid_pages(browser):
    with browser.session_transaction() as session:
        session["user"] = {**session["user"], "role": "authority", "provider_id": None}
    assert browser.get(NEW).status_code == 404
