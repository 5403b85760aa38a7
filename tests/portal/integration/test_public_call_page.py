"""Anyone reads a call's page and a provider's page; a signed-in CSO also sees what it may do on the call now."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.portal.adapters import api_client, reference_cache
from services.portal.entrypoints.web import create_app
from services.portal.entrypoints.web.public import optional_url

PUBLISHED = "2026-03-02T08:00:00Z"
IN_AN_HOUR = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
IN_TWO_HOURS = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
SPERANTA = "MD-IDNO-1003600011111"
CONCORDIA = "MD-IDNO-1003600022222"


def pdf(number: int, title: str, kind: str = "tenderNotice") -> dict:
    return {
        "id": f"doc-{number}",
        "documentType": kind,
        "title": title,
        "description": f"SHA-256: {number:064x}",
        "format": "application/pdf",
        "datePublished": PUBLISHED,
        "url": f"http://127.0.0.1:5002/api/v1/documents/{number}/download",
    }


def open_call() -> dict:
    tender = {
        "id": "7",
        "title": "Îngrijire la domiciliu, Botanica",
        "status": "active",
        "enquiryPeriod": {"startDate": PUBLISHED, "endDate": IN_AN_HOUR},
        "tenderPeriod": {"startDate": PUBLISHED, "endDate": IN_TWO_HOURS},
        "awardCriteriaDetails": "Preț 40%, Calitate 60%",
        "items": [{"id": "lot-11", "description": "Lot 1: Botanica nord (12 months)", "quantity": 12}],
        "documents": [pdf(31, "Caietul de sarcini")],
        "enquiries": [
            {
                "id": "1",
                "description": "Se acceptă jumătate de normă?",
                "date": PUBLISHED,
                "answer": "Da, dacă.",
                "dateAnswered": PUBLISHED,
            },
            {"id": "2", "description": "Câte rapoarte lunare?", "date": PUBLISHED},
        ],
    }
    return {
        "tender_id": 7,
        "ocid": "ocds-sscp01-7",
        "title": tender["title"],
        "status": "active",
        "district_code": "MD-CU",
        "service_type": "home-care",
        "first_published": PUBLISHED,
        "compiled_release": {
            "ocid": "ocds-sscp01-7",
            "buyer": {"id": "MD-CU-DAS", "name": "Direcția Asistență Socială Chișinău"},
            "parties": [],
            "tender": tender,
        },
    }


def call_terms(status: str, **extra) -> dict:
    return {
        "id": 7,
        "status": status,
        "district_code": "MD-CU",
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, Botanica",
        "title_ru": "Уход на дому, Ботаника",
        "title_en": "Home care, Botanica",
        "enquiry_end": IN_AN_HOUR,
        "submission_deadline": IN_TWO_HOURS,
        "published_at": PUBLISHED,
        "lots": [
            {
                "id": 11,
                "number": 1,
                "title": "Botanica nord",
                "places": 12,
                "budget": "72000.00",
                "duration_months": 12,
                "max_awards": 2,
            }
        ],
        "criteria": [
            {"id": 21, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
            {"id": 22, "number": 2, "kind": "quality", "name": "Calitatea planului", "weight": 60, "minimum": "60.00"},
        ],
        **extra,
    }


def finished_call() -> dict:
    record = open_call()
    tender = record["compiled_release"]["tender"]
    tender.update(
        status="complete",
        numberOfTenderers=2,
        enquiries=[],
        awardPeriod={"startDate": "2026-03-20T10:00:00Z", "endDate": "2026-03-26T10:00:00Z"},
    )
    record["status"] = "complete"
    record["compiled_release"]["parties"] = [
        {"id": SPERANTA, "name": "AO Casa Speranței", "identifier": {"scheme": "MD-IDNO", "id": "1003600011111"}},
        {"id": CONCORDIA, "name": "AO Concordia", "identifier": {"scheme": "MD-IDNO", "id": "1003600022222"}},
    ]
    record["compiled_release"]["awards"] = [
        {
            "id": "1",
            "status": "active",
            "value": {"amount": 42000},
            "items": [{"id": "lot-11", "quantity": 6}],
            "suppliers": [{"id": SPERANTA, "name": "AO Casa Speranței"}],
        },
    ]
    record["compiled_release"]["contracts"] = [
        {
            "id": "1",
            "awardID": "1",
            "status": "active",
            "dateSigned": "2026-03-27T09:00:00Z",
            "value": {"amount": 42000},
            "items": [{"id": "lot-11", "quantity": 6}],
            "period": {"startDate": "2026-04-01T00:00:00Z", "endDate": "2027-03-31T00:00:00Z"},
            "documents": [pdf(39, "Contractul semnat", "contractSigned")],
        },
    ]
    return record


RANKING = {
    "decided_at": "2026-03-20T10:00:00+00:00",
    "criteria": call_terms("complete")["criteria"],
    "lots": [
        {
            "lot_id": 11,
            "number": 1,
            "title": "Botanica nord",
            "bids": [
                {
                    "provider_id": 2,
                    "legal_name": "AO Concordia",
                    "rank": 2,
                    "result": "ranked",
                    "price": "40000.00",
                    "places": 6,
                    "total_score": "91.00",
                    "criterion_scores": {"21": "100.00", "22": "85.00"},
                },
                {
                    "provider_id": 1,
                    "legal_name": "AO Casa Speranței",
                    "rank": 1,
                    "result": "ranked",
                    "price": "42000.00",
                    "places": 6,
                    "total_score": "93.30",
                    "criterion_scores": {"21": "95.24", "22": "92.00"},
                },
            ],
        },
    ],
}

PROVIDER = {
    "id": 1,
    "legal_name": "AO Casa Speranței",
    "idno": "1003600011111",
    "districts_served": ["MD-CU"],
    "status": "active",
    "accreditations": [
        {"service_type": "home-care", "valid_from": "2025-10-31", "valid_to": "2030-12-04", "status": "active"},
    ],
}


class FakeApi:
    """The three APIs as the pages see them: answers by (method, service, path); anything else is a 404."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str, str], tuple[int, object]] = {
            ("GET", "registry", "/districts"): (
                200,
                [{"code": "MD-CU", "name_ro": "mun. Chișinău", "name_ru": "мун. Кишинёв", "name_en": "Chișinău"}],
            ),
            ("GET", "registry", "/service-types"): (
                200,
                [{"code": "home-care", "name_ro": "Îngrijire la domiciliu", "name_en": "Home care"}],
            ),
        }
        self.seen: list[tuple[str, str, str, dict, str | None]] = []

    def answer(self, method: str, service: str, path: str, body: object, status: int = 200) -> None:
        self.answers[(method, service, path)] = (status, body)

    def request(self, client, method, service, path, **kwargs):
        self.seen.append((method, service, path, kwargs.get("params") or {}, client.token))
        status, body = self.answers.get((method, service, path), (404, {"code": 404, "message": "not found"}))
        response = httpx.Response(
            status, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        if status >= 400:
            raise api_client.ApiRefusal(status, body if isinstance(body, dict) else {})
        return response

    def asked(self, path: str) -> bool:
        return any(seen[2] == path for seen in self.seen)


@pytest.fixture
def fake_api(monkeypatch):
    fake = FakeApi()
    reference_cache.forget()
    monkeypatch.setattr(api_client.ApiClient, "request", lambda client, *args, **kw: fake.request(client, *args, **kw))
    return fake


@pytest.fixture
def app(fake_api):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PORTAL_SECRET_KEY": "k" * 48})
    # The CSO's pages are another helper's: stand in for any not built yet, so the links can be checked
    for endpoint, rule in (
        ("bids.new", "/test/bid/<int:tender_id>"),
        ("cso.ask_question", "/test/ask/<int:tender_id>"),
        ("cso.complain", "/test/complain/<int:tender_id>"),
    ):
        if endpoint not in app.view_functions:
            app.add_url_rule(rule, endpoint=endpoint, view_func=lambda tender_id: "")
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in_as_cso(client, provider_id: int = 1) -> None:
    with client.session_transaction() as session:
        session["user"] = {
            "id": 5,
            "email": "user@speranta.md",
            "full_name": None,
            "role": "cso",
            "district_code": None,
            "provider_id": provider_id,
        }
        session["token"] = "cso-token"
        session["token_expires"] = (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def an_open_call(fake_api, status: str = "active.tendering") -> None:
    fake_api.answer("GET", "contracting", "/public/calls/7", open_call())
    fake_api.answer("GET", "contracting", "/tenders/7", call_terms(status))
    fake_api.answer("GET", "contracting", "/tenders/7/documents", [{"id": 31, "size": 2048, "sha256": "ab" * 32}])


def a_finished_call(fake_api) -> None:
    fake_api.answer("GET", "contracting", "/public/calls/7", finished_call())
    fake_api.answer("GET", "contracting", "/tenders/7", call_terms("complete", decided_at="2026-03-20T10:00:00+00:00"))
    fake_api.answer("GET", "contracting", "/public/calls/7/ranking", RANKING)


def test_an_open_call_shows_its_lots_criteria_deadlines_documents_and_questions(client, fake_api):
    an_open_call(fake_api)
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "<h1>Home care, Botanica</h1>" in page
    assert "Open for bids" in page and "Direcția Asistență Socială Chișinău" in page
    assert "Lot 1: Botanica nord" in page and "MDL\u00a072,000.00" in page and "12 months" in page
    assert "Calitatea planului" in page and "60%" in page and "60.00" in page  # the weight and the minimum
    assert f'data-countdown="{IN_TWO_HOURS}"' in page  # the live countdown to the deadline
    assert 'href="/documents/31/download"' in page and "ab" * 32 in page and "2 KB" in page
    assert "Se acceptă jumătate de normă?" in page and "Da, dacă." in page and "Not answered yet." in page
    assert 'href="/calls/7/ocds.json"' in page


def test_the_public_is_asked_to_sign_in_to_bid_and_comes_back_to_the_call(client, fake_api):
    an_open_call(fake_api)
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert 'href="/sign-in?next=/calls/7">Sign in to bid</a>' in page
    assert "Submit a bid" not in page


def test_the_public_pages_read_the_apis_without_anyones_token(client, fake_api):
    an_open_call(fake_api)
    sign_in_as_cso(client)
    client.get("/calls/7")
    assert fake_api.seen and all(token is None for *_rest, token in fake_api.seen)


def test_a_signed_in_cso_may_bid_and_ask_during_the_questions_period(client, fake_api):
    an_open_call(fake_api, "active.enquiries")
    sign_in_as_cso(client)
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "Submit a bid" in page and "Ask a question" in page
    assert "Sign in to bid" not in page and "Lodge a complaint" not in page


def test_once_questions_close_a_cso_may_still_bid_but_not_ask(client, fake_api):
    an_open_call(fake_api, "active.tendering")
    sign_in_as_cso(client)
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "Submit a bid" in page and "Ask a question" not in page


def test_during_the_standstill_a_bidder_may_complain_and_another_cso_may_not(client, fake_api):
    a_finished_call(fake_api)
    fake_api.answer("GET", "contracting", "/tenders/7", call_terms("active.standstill", decided_at=PUBLISHED))
    sign_in_as_cso(client, provider_id=2)
    assert "Lodge a complaint" in client.get("/calls/7?lang=en").get_data(as_text=True)
    sign_in_as_cso(client, provider_id=99)
    assert "Lodge a complaint" not in client.get("/calls/7?lang=en").get_data(as_text=True)


def test_a_finished_call_shows_the_ranking_winners_and_contracts_with_links_to_the_providers(client, fake_api):
    a_finished_call(fake_api)
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "Ranking" in page and "93.30" in page and "95.24" in page and "85.00" in page
    assert page.index("AO Casa Speranței") < page.index("AO Concordia")  # best first
    assert 'href="/providers/1">AO Casa Speranței</a>' in page and 'href="/providers/2">AO Concordia</a>' in page
    assert "Winner" in page and "In force" in page and "MDL\u00a042,000.00" in page
    assert "Contracts" in page and 'href="/documents/39/download"' in page
    assert "Sign in to bid" not in page


def test_a_supplier_the_ranking_does_not_name_is_found_in_the_registry_by_idno(client, fake_api):
    a_finished_call(fake_api)
    fake_api.answer("GET", "contracting", "/public/calls/7/ranking", {"code": 404}, status=404)
    fake_api.answer("GET", "registry", "/providers", [{"id": 1, "idno": "1003600011111"}])
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert 'href="/providers/1">AO Casa Speranței</a>' in page
    assert ("GET", "registry", "/providers", {"idno": "1003600011111"}, None) in fake_api.seen


def test_before_the_decision_the_ranking_is_not_asked_for(client, fake_api):
    an_open_call(fake_api)
    client.get("/calls/7")
    assert not fake_api.asked("/public/calls/7/ranking")


def test_a_cancelled_call_says_so_with_the_departments_reason(client, fake_api):
    an_open_call(fake_api)
    fake_api.answer(
        "GET", "contracting", "/tenders/7", call_terms("cancelled", cancellation_reason="Bugetul a fost retras.")
    )
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "This call was cancelled." in page and "Bugetul a fost retras." in page
    assert "Sign in to bid" not in page
    assert "data-countdown" not in page  # its deadlines no longer count down


def test_an_unsuccessful_call_says_no_contract_was_awarded(client, fake_api):
    an_open_call(fake_api)
    fake_api.answer("GET", "contracting", "/tenders/7", call_terms("unsuccessful"))
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "No contract was awarded in this call." in page


def test_a_call_whose_own_view_is_refused_still_shows_what_its_ocds_release_says(client, fake_api):
    fake_api.answer("GET", "contracting", "/public/calls/7", open_call())
    response = client.get("/calls/7?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Îngrijire la domiciliu, Botanica" in page and "Lot 1: Botanica nord" in page and "Preț" in page
    assert "No documents" not in page and 'href="/documents/31/download"' in page


def test_a_call_without_documents_says_none_were_published(client, fake_api):
    record = open_call()
    del record["compiled_release"]["tender"]["documents"]
    fake_api.answer("GET", "contracting", "/public/calls/7", record)
    page = client.get("/calls/7?lang=en").get_data(as_text=True)
    assert "No documents have been published for this call." in page


def test_a_call_not_published_is_the_not_found_page(client, fake_api):
    response = client.get("/calls/404")
    assert response.status_code == 404


def test_a_link_to_a_page_not_built_yet_is_left_out_instead_of_failing(app):
    with app.test_request_context("/"):
        assert optional_url("nobody.builds_this", tender_id=7) is None
        assert optional_url("public.call", tender_id=7) == "/calls/7"


def test_a_provider_page_shows_its_districts_accreditations_and_only_its_own_contracts(client, fake_api):
    fake_api.answer("GET", "registry", "/public/providers/1", PROVIDER)
    fake_api.answer(
        "GET",
        "contracting",
        "/public/contracts",
        [
            {
                "tender_id": 7,
                "district_code": "MD-CU",
                "supplier": {"id": SPERANTA, "name": "AO Casa Speranței"},
                "contract": finished_call()["compiled_release"]["contracts"][0],
            },
            {
                "tender_id": 8,
                "district_code": "MD-CU",
                "supplier": {"id": CONCORDIA, "name": "AO Concordia"},
                "contract": {"value": {"amount": 1}, "status": "active"},
            },
        ],
    )
    fake_api.answer("GET", "contracting", "/tenders/7", call_terms("complete"))
    page = client.get("/providers/1?lang=en").get_data(as_text=True)
    assert "<h1>AO Casa Speranței</h1>" in page and "1003600011111" in page
    assert "Home care" in page and "Chișinău" in page and "Active" in page
    assert 'href="/calls/7">Home care, Botanica</a>' in page and "MDL\u00a042,000.00" in page
    assert "/calls/8" not in page
    assert not fake_api.asked("/tenders/8")


def test_a_provider_page_reads_the_registrys_older_view_while_the_public_one_is_missing(client, fake_api):
    fake_api.answer("GET", "registry", "/providers/1", PROVIDER)
    response = client.get("/providers/1?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "AO Casa Speranței" in page
    assert "This provider holds no published contract yet." in page


def test_an_unknown_provider_is_the_not_found_page(client, fake_api):
    assert client.get("/providers/999").status_code == 404
