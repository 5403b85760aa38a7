"""A district department's call pages against a faked API: its home, the new-call form (rules checked before the
API is asked, the API's refusals beside the fields), the draft, preview and publication, answers, the committee,
amendments and cancellation; another district's call and another role see a page that does not exist."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.common.reference_costs import call_year
from services.portal.entrypoints.web import create_app

NOW = datetime.now(UTC)
CHISINAU = ZoneInfo("Europe/Chisinau")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def iso(delta: timedelta) -> str:
    return (NOW + delta).isoformat()


def local_input(delta: timedelta) -> str:
    """A datetime-local value (Chișinău wall-clock) ``delta`` from now."""
    return (NOW + delta).astimezone(CHISINAU).strftime("%Y-%m-%dT%H:%M")


def tender(tender_id: int = 41, status: str = "draft", district: str = "MD-CU", **changes) -> dict:
    record = {
        "id": tender_id,
        "ocid": f"ocds-test-{tender_id}",
        "title": f"Îngrijire la domiciliu {tender_id}",
        "description": "30 de locuri în sectorul Botanica.",
        "status": status,
        "district_code": district,
        "service_type": "home-care",
        "enquiry_end": iso(timedelta(days=6)),
        "submission_deadline": iso(timedelta(days=17)),
        "standstill_end": None,
        "published_at": None if status == "draft" else iso(timedelta(days=-1)),
        "committee_size": 3,
        "standstill_days": 6,
        "lots": [
            {
                "id": 900,
                "number": 1,
                "title": "Botanica",
                "places": 30,
                "budget": "180000.00",
                "duration_months": 12,
                "max_awards": 2,
            }
        ],
        "criteria": [
            {"id": 1, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
            {"id": 2, "number": 2, "kind": "quality", "name": "Calitate", "weight": 60, "minimum": "50.00"},
        ],
        "allowed_actions": ["publish", "cancel"] if status == "draft" else ["cancel"],
    }
    return {**record, **changes}


EVALUATORS = [
    {
        "id": 31,
        "email": "evaluator1@chisinau.md",
        "full_name": "Ana Rusu",
        "role": "evaluator",
        "district_code": "MD-CU",
        "active": True,
    },
    {
        "id": 32,
        "email": "evaluator2@chisinau.md",
        "full_name": "Ion Ceban",
        "role": "evaluator",
        "district_code": "MD-CU",
        "active": True,
    },
    {
        "id": 33,
        "email": "evaluator3@chisinau.md",
        "full_name": None,
        "role": "evaluator",
        "district_code": "MD-CU",
        "active": True,
    },
]


def empty_committee(tender_id: int = 41) -> dict:
    return {
        "tender_id": tender_id,
        "committee_size": 3,
        "sitting": 0,
        "scoring_blocked": "x",
        "members": [],
        "bidders": [],
    }


def make_client(fake_api, user: dict):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40})
    client = app.test_client()
    client.set_cookie("sscp_lang", "en")
    with client.session_transaction() as session:
        session["user"] = user
        session["token"] = f"token-{user['role']}"
        session["token_expires"] = (NOW + timedelta(hours=1)).isoformat()
    return client


@pytest.fixture
def department(fake_api):
    """The social assistance department of Chișinău, signed in, with CSRF off."""
    user = {
        "id": 21,
        "email": "das@chisinau.md",
        "full_name": "DAS Chișinău",
        "role": "authority",
        "district_code": "MD-CU",
        "provider_id": None,
    }
    fake_api.on("GET", "registry", "/users", body=EVALUATORS)
    fake_api.on("GET", "registry", r"/authorities/MD-CU", body={"district_code": "MD-CU", "name": "DAS Chișinău"})
    return make_client(fake_api, user)


def call_reads(fake_api, record: dict, questions=(), documents=(), committee=None, bids=0, amendments=()):
    tender_id = record["id"]
    fake_api.on("GET", "contracting", f"/tenders/{tender_id}", body=record)
    fake_api.on("GET", "contracting", f"/tenders/{tender_id}/questions", body=list(questions))
    fake_api.on("GET", "contracting", f"/tenders/{tender_id}/documents", body=list(documents))
    fake_api.on("GET", "contracting", f"/tenders/{tender_id}/committee", body=committee or empty_committee(tender_id))
    fake_api.on(
        "GET", "contracting", f"/tenders/{tender_id}/bids", body={"tender_id": tender_id, "count": bids, "bids": []}
    )
    fake_api.on("GET", "contracting", f"/tenders/{tender_id}/amendments", body=list(amendments))


# ---- home --------------------------------------------------------------------------------------------------


def test_home_lists_the_district_calls_by_stage_with_what_waits_and_the_continuity_risks_first(department, fake_api):
    calls = [
        tender(41, "draft"),
        tender(42, "active.enquiries"),
        tender(43, "active.standstill", standstill_end=iso(timedelta(days=3))),
        tender(44, "active.tendering", district="MD-OR"),  # another district's published call: not ours
    ]
    fake_api.on("GET", "contracting", "/tenders", body=calls, headers={"X-Pagination": '{"total": 4}'})
    fake_api.on(
        "GET",
        "contracting",
        "/tenders/42/questions",
        body=[{"id": 1, "question": "Câte vizite?", "answer": None}, {"id": 2, "question": "x", "answer": "y"}],
    )
    fake_api.on("GET", "contracting", r"/tenders/\d+/committee", body=empty_committee())
    fake_api.on("GET", "contracting", "/tenders/42/bids", body={"count": 2, "bids": []})
    fake_api.on("GET", "contracting", "/tenders/43/complaints", body=[{"id": 5, "status": "pending"}])
    fake_api.on("GET", "contracting", "/contracts", body=[])
    fake_api.on("GET", "contracting", "/renewals/due", body=[])
    fake_api.on(
        "GET",
        "contracting",
        "/coverage",
        body=[
            {
                "contract_id": 7,
                "tender_id": 3,
                "service_type": "respite-care",
                "end_at": iso(timedelta(days=20)),
                "days_left": 20,
                "covered": False,
                "successor": None,
                "risk": "critical",
                "provider_name": "AO Speranța",
            },
            {
                "contract_id": 8,
                "tender_id": 4,
                "service_type": "home-care",
                "end_at": iso(timedelta(days=200)),
                "days_left": 200,
                "covered": True,
                "successor": {"kind": "tender", "id": 42},
                "risk": "none",
            },
        ],
    )

    response = department.get("/department/")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert page.index("1 service at risk of a gap") < page.index("Drafts")
    assert "Respite care" in page and "Nothing yet" in page and "Critical" in page
    assert "Îngrijire la domiciliu 41" in page and "Not published: preview it and publish" in page
    assert "1 question unanswered" in page and "2 bids received" in page
    assert page.count("Committee not named") == 2  # the draft and the call taking questions
    assert "Award decided: the standstill ends" in page and "1 complaint to rule on" in page
    assert "Îngrijire la domiciliu 44" not in page
    assert fake_api.requests_to("GET", "/tenders")[0]["params"]["district_code"] == "MD-CU"


def test_home_without_risks_shows_no_risk_panel(department, fake_api):
    fake_api.on("GET", "contracting", "/tenders", body=[])
    for path in ("/contracts", "/renewals/due", "/coverage"):
        fake_api.on("GET", "contracting", path, body=[])
    page = department.get("/department/").get_data(as_text=True)
    assert "at risk of a gap" not in page
    assert "Create a new call" in page


def test_a_cso_does_not_see_the_department_pages(fake_api):
    cso = make_client(
        fake_api,
        {
            "id": 7,
            "email": "user@speranta.md",
            "full_name": None,
            "role": "cso",
            "district_code": None,
            "provider_id": 3,
        },
    )
    assert cso.get("/department/").status_code == 404
    assert cso.get("/department/calls/new").status_code == 404
    assert cso.get("/department/calls/41").status_code == 404


# ---- a new call -------------------------------------------------------------------------------------------------


def call_form(**changes) -> dict:
    data = {
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, Botanica",
        "title_ru": "",
        "title_en": "Home care, Botanica",
        "description": "30 de locuri.",
        "enquiry_end": local_input(timedelta(days=6)),
        "submission_deadline": local_input(timedelta(days=17)),
        "committee_size": "3",
        "lots-0-title": "Botanica",
        "lots-0-places": "30",
        "lots-0-budget": "180000",
        "lots-0-duration_months": "12",
        "lots-0-max_awards": "2",
        "criteria-0-kind": "price",
        "criteria-0-name": "Preț",
        "criteria-0-weight": "40",
        "criteria-0-minimum": "",
        "criteria-1-kind": "quality",
        "criteria-1-name": "Calitate",
        "criteria-1-weight": "60",
        "criteria-1-minimum": "50",
        "document_type": "tenderNotice",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_new_call_form_offers_the_nomenclature_default_criteria_and_the_rules_as_data(department, fake_api):
    page = department.get("/department/calls/new").get_data(as_text=True)
    assert "Home care" in page and "Respite care" in page
    assert 'data-min-enquiry-seconds="432000"' in page and 'data-min-tendering-seconds="864000"' in page
    assert 'id="criteria-0-weight"' in page and 'id="criteria-1-weight"' in page
    assert 'id="weights-total"' in page and ">100</output>" in page
    assert 'type="datetime-local"' in page


def test_a_valid_call_is_saved_as_a_draft_with_its_documents_and_the_times_sent_in_utc(department, fake_api):
    fake_api.on("POST", "contracting", "/tenders", status=201, body=tender(41))
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/41/documents",
        status=201,
        body={"document": {"id": 3, "title": "caiet.pdf", "sha256": "a" * 64}},
    )
    data = call_form(documents=(io.BytesIO(PDF), "caiet.pdf"))

    response = department.post("/department/calls/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 302 and response.headers["Location"].endswith("/department/calls/41")
    (sent,) = fake_api.requests_to("POST", "/tenders")[:1]
    body = sent["json"]
    assert body["district_code"] == "MD-CU" and body["service_type"] == "home-care"
    assert body["lots"] == [
        {"title": "Botanica", "places": 30, "budget": "180000.00", "duration_months": 12, "max_awards": 2}
    ]
    assert [c["weight"] for c in body["criteria"]] == [40, 60] and body["criteria"][1]["minimum"] == "50.00"
    assert body["title_en"] == "Home care, Botanica" and "title_ru" not in body
    assert body["enquiry_end"].endswith("+00:00")
    upload = fake_api.requests_to("POST", "/tenders/41/documents")[0]
    assert upload["data"]["kind"] == "tender" and upload["data"]["document_type"] == "tenderNotice"


def test_weights_that_do_not_add_up_to_100_are_refused_before_the_api_is_asked(department, fake_api):
    response = department.post("/department/calls/new", data=call_form(**{"criteria-1-weight": "50"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The weights must add up to 100 (now they add up to 90)." in page
    assert ">90</output>" in page
    assert not fake_api.requests_to("POST", "/tenders")


def test_periods_shorter_than_the_rules_are_explained_beside_their_fields(department, fake_api):
    data = call_form(enquiry_end=local_input(timedelta(days=2)), submission_deadline=local_input(timedelta(days=5)))
    response = department.post("/department/calls/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The questions period must last at least 5 days from now." in page
    assert "Bids must be taken for at least 10 days after the questions period ends." in page
    assert 'href="#enquiry_end"' in page
    assert not fake_api.requests_to("POST", "/tenders")


def test_more_winners_than_places_is_refused_on_the_lot(department, fake_api):
    response = department.post("/department/calls/new", data=call_form(**{"lots-0-places": "1"}))
    assert response.status_code == 422
    assert "A lot cannot have more winners than places." in response.get_data(as_text=True)


def test_the_api_refusal_lands_on_the_lot_field_it_names(department, fake_api):
    refusal = {
        "code": 422,
        "message": "Unprocessable",
        "errors": {"json": {}, "lots": {"0": {"budget": ["at most two decimal places"]}}},
    }
    fake_api.on("POST", "contracting", "/tenders", status=422, body=refusal)
    response = department.post("/department/calls/new", data=call_form())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at most two decimal places" in page
    assert 'id="lots-0-budget-error"' in page


def test_adding_a_lot_returns_the_form_with_another_row_and_sends_nothing(department, fake_api):
    response = department.post("/department/calls/new", data=call_form(add_lot="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="lots-1-title"' in page and 'value="Botanica"' in page
    assert not fake_api.requests_to("POST", "/tenders")


def test_a_new_draft_from_an_old_one_is_prefilled_and_the_old_one_withdrawn_on_saving(department, fake_api):
    call_reads(fake_api, tender(41))
    page = department.get("/department/calls/new?from=41").get_data(as_text=True)
    assert 'value="Îngrijire la domiciliu 41"' in page and 'name="replaces" type="hidden" value="41"' in page

    fake_api.on("POST", "contracting", "/tenders", status=201, body=tender(45))
    fake_api.on("POST", "contracting", "/tenders/41/cancel", body=tender(41, "cancelled"))
    response = department.post("/department/calls/new", data=call_form(replaces="41"))
    assert response.status_code == 302
    assert fake_api.requests_to("POST", "/tenders/41/cancel")[0]["json"]["reason"] == "Replaced by draft 45."


# ---- one call -------------------------------------------------------------------------------------------------


def test_the_draft_page_offers_preview_publish_documents_and_the_district_evaluators(department, fake_api):
    call_reads(
        fake_api,
        tender(41),
        documents=[
            {
                "id": 3,
                "kind": "tender",
                "title": "Caietul de sarcini",
                "document_type": "tenderNotice",
                "size": 2048,
                "sha256": "b" * 64,
            }
        ],
    )
    page = department.get("/department/calls/41").get_data(as_text=True)
    assert 'id="publish-call"' in page and "/department/calls/41/preview" in page
    assert "Caietul de sarcini" in page and "b" * 64 in page
    assert "Ana Rusu" in page and "evaluator3@chisinau.md" in page
    assert "Committee not named" in page
    users = fake_api.requests_to("GET", "/users")[0]["params"]
    assert users["role"] == "evaluator" and users["district_code"] == "MD-CU"


def test_another_district_call_is_a_page_that_does_not_exist(department, fake_api):
    call_reads(fake_api, tender(50, "active.tendering", district="MD-OR"))
    assert department.get("/department/calls/50").status_code == 404
    assert department.get("/department/calls/50/preview").status_code == 404
    assert department.post("/department/calls/50/publish").status_code == 404
    assert not fake_api.requests_to("POST", "/tenders/50/publish")


def test_a_call_the_api_does_not_show_is_not_found(department, fake_api):
    fake_api.on("GET", "contracting", "/tenders/77", status=404, body={"code": 404, "message": "no"})
    assert department.get("/department/calls/77").status_code == 404


def test_the_preview_shows_the_draft_as_the_public_page_does_under_a_banner(department, fake_api):
    call_reads(
        fake_api,
        tender(41),
        documents=[
            {
                "id": 3,
                "kind": "tender",
                "title": "Caietul de sarcini",
                "document_type": "tenderNotice",
                "size": 2048,
                "sha256": "b" * 64,
                "format": "application/pdf",
            }
        ],
    )
    year = call_year(datetime.fromisoformat(tender(41)["submission_deadline"]))  # the year the call is measured in
    costs = [{"service_type": "home-care", "district_code": "*", "year": year, "amount": "9000.00", "currency": "MDL",
              "source": "HG nr. 800/2026", "version": 1, "updated_at": "2026-11-01T09:00:00Z"}]  # fmt: skip
    fake_api.on("GET", "registry", "/reference-costs", body=costs)
    page = department.get("/department/calls/41/preview").get_data(as_text=True)
    assert "Preview: this is how the public will see the call" in page
    assert "Caietul de sarcini" in page and "DAS Chișinău" in page
    assert "How bids are scored" in page and "180" in page
    assert 'id="publish-from-preview"' in page
    # Each lot's budget against places x the reference cost that applies, before the department publishes.
    assert 'id="reference-cost"' in page and "HG nr. 800/2026" in page and 'id="reference-check-1"' in page


def test_publishing_sends_the_step_and_says_the_call_is_public(department, fake_api):
    call_reads(fake_api, tender(41))
    fake_api.on("POST", "contracting", "/tenders/41/publish", body=tender(41, "active.enquiries"))
    response = department.post("/department/calls/41/publish")
    assert response.status_code == 302
    assert "The call is published" in department.get("/department/calls/41").get_data(as_text=True)


def test_a_refused_publication_says_the_stage_and_what_is_allowed(department, fake_api):
    call_reads(fake_api, tender(41))
    refusal = {
        "code": 409,
        "message": "tender is 'cancelled': cannot publish",
        "current_status": "cancelled",
        "allowed_transitions": [],
    }
    fake_api.on("POST", "contracting", "/tenders/41/publish", status=409, body=refusal)
    department.post("/department/calls/41/publish")
    page = department.get("/department/calls/41").get_data(as_text=True)
    assert "This can no longer be done: the call is now at the stage “Cancelled”." in page


def test_a_draft_whose_dates_passed_is_told_to_start_a_new_draft(department, fake_api):
    call_reads(fake_api, tender(41))
    refusal = {"code": 422, "message": "invalid", "errors": {"enquiry_end": ["the enquiry period has already ended"]}}
    fake_api.on("POST", "contracting", "/tenders/41/publish", status=422, body=refusal)
    department.post("/department/calls/41/publish")
    page = department.get("/department/calls/41").get_data(as_text=True)
    assert "no longer meet the rules" in page and "Start a new draft from it" in page


def test_a_question_is_answered_in_public(department, fake_api):
    call_reads(
        fake_api,
        tender(42, "active.enquiries"),
        questions=[
            {"id": 9, "question": "Câte vizite pe săptămână?", "asked_at": iso(timedelta(hours=-2)), "answer": None}
        ],
        bids=2,
    )
    page = department.get("/department/calls/42").get_data(as_text=True)
    assert "Câte vizite pe săptămână?" in page and 'id="q9-answer"' in page
    assert 'id="bids-count">2' in page and "sealed" in page
    fake_api.on("POST", "contracting", "/tenders/42/questions/9/answer", body={"id": 9, "answer": "Trei."})
    response = department.post("/department/calls/42/questions/9/answer", data={"q9-answer": "Trei vizite."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#questions")
    assert fake_api.requests_to("POST", "/answer")[0]["json"] == {"answer": "Trei vizite."}


def test_an_empty_answer_is_explained_beside_its_field(department, fake_api):
    call_reads(
        fake_api,
        tender(42, "active.enquiries"),
        questions=[{"id": 9, "question": "Câte vizite?", "asked_at": iso(timedelta(hours=-2)), "answer": None}],
    )
    response = department.post("/department/calls/42/questions/9/answer", data={"q9-answer": ""})
    assert response.status_code == 422
    assert 'id="q9-answer-error"' in response.get_data(as_text=True)
    assert not fake_api.requests_to("POST", "/answer")


def test_the_committee_is_named_from_the_district_evaluators(department, fake_api):
    call_reads(fake_api, tender(42, "active.enquiries"))
    fake_api.on("POST", "contracting", "/tenders/42/committee", body=[])
    response = department.post("/department/calls/42/committee", data={"evaluators": ["31", "32", "33"]})
    assert response.status_code == 302
    assert fake_api.requests_to("POST", "/committee")[0]["json"] == {"evaluators": [31, 32, 33]}


def test_naming_nobody_is_refused_on_the_page(department, fake_api):
    call_reads(fake_api, tender(42, "active.enquiries"))
    response = department.post("/department/calls/42/committee", data={})
    assert response.status_code == 422
    assert "Choose at least one evaluator." in response.get_data(as_text=True)


def test_an_amendment_moves_the_deadline_and_says_bidders_must_confirm_again(department, fake_api):
    record = tender(42, "active.tendering")
    call_reads(fake_api, record)
    page = department.get("/department/calls/42/amend").get_data(as_text=True)
    assert "must confirm its bid again" in page and 'id="earliest-deadline"' in page
    new_deadline = iso(timedelta(days=25))
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/42/amendments",
        status=201,
        body={"id": 1, "rationale": "x", "submission_deadline": new_deadline},
    )
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/42/documents",
        status=201,
        body={"document": {"id": 4, "title": "caiet-v2.pdf", "sha256": "c" * 64}},
    )
    data = {
        "rationale": "Bugetul lotului a crescut.",
        "submission_deadline": local_input(timedelta(days=25)),
        "document_type": "tenderNotice",
        "documents": (io.BytesIO(PDF), "caiet-v2.pdf"),
    }
    response = department.post("/department/calls/42/amend", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    sent = fake_api.requests_to("POST", "/amendments")[0]["json"]
    assert sent["rationale"] == "Bugetul lotului a crescut." and sent["submission_deadline"].endswith("+00:00")
    upload = fake_api.requests_to("POST", "/tenders/42/documents")[0]["data"]
    assert (upload["kind"], upload["owner_id"]) == ("amendment", "1")


def test_an_amendment_that_moves_the_deadline_too_little_is_refused_before_the_api(department, fake_api):
    call_reads(fake_api, tender(42, "active.tendering"))
    data = {"rationale": "O schimbare.", "submission_deadline": local_input(timedelta(days=18))}
    response = department.post("/department/calls/42/amend", data=data)
    assert response.status_code == 422
    assert "An amendment moves the deadline out by at least 4 days." in response.get_data(as_text=True)
    assert not fake_api.requests_to("POST", "/amendments")


def test_a_call_past_its_deadline_cannot_be_amended(department, fake_api):
    call_reads(fake_api, tender(42, "active.evaluation"))
    response = department.post("/department/calls/42/amend", data={"rationale": "O schimbare."})
    assert response.status_code == 409
    assert "can no longer be amended" in response.get_data(as_text=True)


def test_a_call_is_cancelled_with_its_reason(department, fake_api):
    call_reads(fake_api, tender(42, "active.tendering"))
    fake_api.on("POST", "contracting", "/tenders/42/cancel", body=tender(42, "cancelled"))
    response = department.post("/department/calls/42/cancel", data={"reason": "Bugetul a fost retras."})
    assert response.status_code == 302
    assert fake_api.requests_to("POST", "/cancel")[0]["json"] == {"reason": "Bugetul a fost retras."}


def test_a_refused_cancellation_shows_the_stage_and_keeps_the_reason(department, fake_api):
    call_reads(fake_api, tender(42, "active.contract_pending"))
    refusal = {
        "code": 409,
        "message": "tender is 'complete': cannot cancel",
        "current_status": "complete",
        "allowed_transitions": [],
    }
    fake_api.on("POST", "contracting", "/tenders/42/cancel", status=409, body=refusal)
    response = department.post("/department/calls/42/cancel", data={"reason": "Bugetul a fost retras."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "the call is now at the stage “Complete”" in page
