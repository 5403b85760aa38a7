"""A CSO's pages against a faked API: what each page shows, what it sends to the APIs, and how a refusal reads."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest

from services.common.quality_standards import checklist_for
from services.portal.entrypoints.web import create_app

NOW = datetime.now(UTC)
SOON = (NOW + timedelta(hours=1)).isoformat()
LATER = (NOW + timedelta(days=2)).isoformat()
PAST = (NOW - timedelta(days=40)).isoformat()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

SPERANTA = {
    "id": 1,
    "legal_name": "AO Casa Speranței",
    "status": "active",
    "districts_served": ["MD-CU"],
    "accreditations": [
        {"service_type": "home-care", "valid_from": "2025-01-01", "valid_to": "2030-12-04", "status": "active"}
    ],
}


def tender(tender_id: int, status="active.enquiries", district="MD-CU", **changes) -> dict:
    record = {
        "id": tender_id,
        "title": f"Îngrijire la domiciliu {tender_id}",
        "status": status,
        "district_code": district,
        "service_type": "home-care",
        "enquiry_end": SOON,
        "submission_deadline": LATER,
        "standstill_end": None,
        "lots": [{"id": 100 + tender_id, "number": 1, "title": "Lot unic", "budget": "60000.00"}],
    }
    return {**record, **changes}


@pytest.fixture
def cso(fake_api):
    """A signed-in CSO (AO Casa Speranței, provider 1) with CSRF off, as the brief's route tests use."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40})
    client = app.test_client()
    client.set_cookie("sscp_lang", "en")  # the assertions read the English source texts
    with client.session_transaction() as session:
        session["user"] = {
            "id": 19,
            "email": "user@speranta.md",
            "full_name": None,
            "role": "cso",
            "district_code": None,
            "provider_id": 1,
        }
        session["token"] = "token-cso"
        session["token_expires"] = (NOW + timedelta(hours=1)).isoformat()
    fake_api.on("GET", "registry", r"/providers/1", body=SPERANTA)
    return client


def text_of(response) -> str:
    return response.get_data(as_text=True)


# --- home -------------------------------------------------------------------------------------------------------


def calls_by_stage(stages: dict[str, list[dict]]):
    def answer(request):
        return 200, stages.get(request["params"].get("status"), []), {}

    return answer


def test_home_lists_the_open_calls_it_may_bid_for_its_bids_and_the_calls_it_may_not_with_why(cso, fake_api):
    stages = {"active.enquiries": [tender(8), tender(9, district="MD-OR")], "active.tendering": [tender(5)]}
    fake_api.on_call("GET", "contracting", "/tenders", calls_by_stage(stages))
    fake_api.on("GET", "contracting", r"/tenders/\d+/bids", body={"bids": []})
    bid = {"id": 31, "status": "active", "lot_id": 108, "price": "55000.00", "places": 10}
    fake_api.on("GET", "contracting", "/tenders/8/bids", body={"bids": [bid]})

    page = text_of(cso.get("/cso/"))

    assert "AO Casa Speranței" in page
    assert "2 open calls you can bid for" in page
    assert "1 bid on an open call" in page
    assert "/calls/8/bids/31/receipt" in page
    assert "/cso/calls/8/questions/new" in page
    assert "1 other open call your organisation cannot bid for" in page
    assert "Your organisation does not serve this district." in page
    # bids are looked up only in the districts the CSO serves
    assert not fake_api.requests_to("GET", "/tenders/9/bids")
    assert fake_api.requests_to("GET", "/tenders")[0]["token"] == "token-cso"


def test_home_with_nothing_open_says_so_in_plain_words(cso, fake_api):
    fake_api.on("GET", "contracting", "/tenders", body=[])

    page = text_of(cso.get("/cso/"))

    assert "You have no bid on a call that is still open." in page
    assert "No open call matches your organisation" in page


def test_a_call_in_its_standstill_where_the_cso_bid_offers_a_complaint(cso, fake_api):
    standstill = tender(4, status="active.standstill", standstill_end=LATER)
    fake_api.on_call("GET", "contracting", "/tenders", calls_by_stage({"active.standstill": [standstill]}))
    fake_api.on("GET", "contracting", "/tenders/4/bids", body={"bids": [{"id": 2, "status": "active"}]})

    page = text_of(cso.get("/cso/"))

    assert "1 award decision you can contest" in page
    assert "/cso/calls/4/complaints/new" in page


def test_a_visitor_is_sent_to_sign_in_first(fake_api):
    app = create_app({"TESTING": True, "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40})

    answer = app.test_client().get("/cso/contracts")

    assert answer.status_code == 302
    assert "/sign-in?next=/cso/contracts" in answer.headers["Location"]


def test_a_department_user_does_not_see_the_cso_pages(cso):
    with cso.session_transaction() as session:
        session["user"] = {**session["user"], "role": "authority", "provider_id": None, "district_code": "MD-CU"}

    assert cso.get("/cso/notices").status_code == 404


# --- questions --------------------------------------------------------------------------------------------------


def test_a_question_is_sent_and_the_person_is_taken_back_to_the_call(cso, fake_api):
    fake_api.on("GET", "contracting", "/tenders/8", body=tender(8))
    fake_api.on("POST", "contracting", "/tenders/8/questions", status=201, body={"id": 1})

    answer = cso.post("/cso/calls/8/questions/new", data={"question": "  Se acceptă jumătate de normă?  "})

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/calls/8")
    assert fake_api.requests_to("POST", "/questions")[0]["json"] == {"question": "Se acceptă jumătate de normă?"}
    with cso.session_transaction() as session:
        assert "answer will be public" in session["_flashes"][0][1]


def test_a_question_after_the_period_ended_is_refused_with_what_happened(cso, fake_api):
    fake_api.on("GET", "contracting", "/tenders/8", body=tender(8))
    refusal = {
        "code": 409,
        "message": "questions were taken until the enquiry end",
        "current_status": "active.enquiries",
    }
    fake_api.on("POST", "contracting", "/tenders/8/questions", status=409, body=refusal)
    fake_api.on("GET", "contracting", "/tenders/8/questions", body=[])

    answer = cso.post("/cso/calls/8/questions/new", data={"question": "Se acceptă jumătate de normă?"})

    assert answer.status_code == 409
    assert "The questions period for this call ended" in text_of(answer)


def test_the_question_page_of_a_call_past_its_questions_period_shows_no_form(cso, fake_api):
    fake_api.on("GET", "contracting", "/tenders/5", body=tender(5, status="active.tendering"))
    fake_api.on("GET", "contracting", "/tenders/5/questions", body=[{"question": "Câte rapoarte?", "answer": "Unul."}])

    page = text_of(cso.get("/cso/calls/5/questions/new"))

    assert 'id="question"' not in page
    assert "You can no longer ask a question" in page
    assert "Unul." in page


def test_a_too_short_question_is_kept_and_explained_beside_the_field(cso, fake_api):
    fake_api.on("GET", "contracting", "/tenders/8", body=tender(8))
    fake_api.on("GET", "contracting", "/tenders/8/questions", body=[])

    answer = cso.post("/cso/calls/8/questions/new", data={"question": "Da?"})

    assert answer.status_code == 422
    assert "Da?</textarea>" in text_of(answer)
    assert not fake_api.requests_to("POST", "/questions")


# --- complaints -------------------------------------------------------------------------------------------------


def standstill_call(fake_api, complaints=()):
    fake_api.on("GET", "contracting", "/tenders/4", body=tender(4, status="active.standstill", standstill_end=LATER))
    award = {"id": 12, "lot_id": 104, "provider_id": 2, "value": "40000.00", "status": "active"}
    fake_api.on("GET", "contracting", "/tenders/4/awards", body=[award])
    fake_api.on("GET", "registry", "/providers/2", body={"id": 2, "legal_name": "AO Concordia"})
    fake_api.on("GET", "contracting", "/tenders/4/complaints", body=list(complaints))


def test_the_complaint_form_names_each_award_and_lists_the_cso_complaints_with_their_resolution(cso, fake_api):
    ruled = {
        "id": 3,
        "award_id": 12,
        "title": "Punctaj greșit",
        "description": "…",
        "status": "rejected",
        "filed_at": PAST,
        "resolution": "Punctajul a fost verificat.",
        "resolved_at": PAST,
    }
    standstill_call(fake_api, [ruled])

    page = text_of(cso.get("/cso/calls/4/complaints/new"))

    assert "Lot 1: award to AO Concordia" in page
    assert 'id="description"' in page
    assert "Rejected" in page
    assert "Punctajul a fost verificat." in page


def test_a_complaint_is_lodged_about_one_award_and_its_document_attached_with_its_hash(cso, fake_api):
    standstill_call(fake_api)
    fake_api.on("POST", "contracting", "/tenders/4/complaints", status=201, body={"id": 7})
    stored = {"id": 70, "title": "dovada.pdf", "sha256": hashlib.sha256(PDF).hexdigest()}
    fake_api.on("POST", "contracting", "/tenders/4/documents", status=201, body={"document": stored})

    answer = cso.post(
        "/cso/calls/4/complaints/new",
        data={
            "award_id": "12",
            "title": "Punctaj greșit la preț",
            "description": "Prețul nostru a fost mai mic.",
            "evidence": (io.BytesIO(PDF), "dovada.pdf"),
        },
        content_type="multipart/form-data",
    )

    assert answer.status_code == 302
    sent = fake_api.requests_to("POST", "/complaints")[0]["json"]
    assert sent == {"award_id": 12, "title": "Punctaj greșit la preț", "description": "Prețul nostru a fost mai mic."}
    upload = fake_api.requests_to("POST", "/documents")[0]
    assert upload["data"]["kind"] == "complaint" and upload["data"]["owner_id"] == "7"
    assert upload["data"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    with cso.session_transaction() as session:
        assert any(hashlib.sha256(PDF).hexdigest() in text for _, text in session["_flashes"])


def test_a_complaint_from_an_organisation_that_did_not_bid_is_refused_in_plain_words(cso, fake_api):
    standstill_call(fake_api)
    refusal = {"code": 403, "message": "only bidders of this tender may complain about it"}
    fake_api.on("POST", "contracting", "/tenders/4/complaints", status=403, body=refusal)

    answer = cso.post(
        "/cso/calls/4/complaints/new",
        data={"award_id": "", "title": "Decizie greșită", "description": "Motivele noastre sunt acestea."},
    )

    assert answer.status_code == 403
    assert "Only organisations that bid for this call may complain" in text_of(answer)
    assert fake_api.requests_to("POST", "/complaints")[0]["json"]["award_id"] is None


def test_a_complaint_after_the_standstill_says_the_period_ended(cso, fake_api):
    fake_api.on("GET", "contracting", "/tenders/1", body=tender(1, status="complete", standstill_end=PAST))
    fake_api.on("GET", "contracting", "/tenders/1/awards", body=[])
    fake_api.on("GET", "contracting", "/tenders/1/complaints", body=[])

    page = text_of(cso.get("/cso/calls/1/complaints/new"))

    assert "that period has ended" in page
    assert 'id="title"' not in page


# --- notices ----------------------------------------------------------------------------------------------------


def inbox(fake_api, unread=1):
    rows = [
        {
            "id": 1,
            "subject": "Ofertă primită",
            "body": "Bună ziua",
            "event_type": "bid.submitted",
            "correlation_id": "ocds-sscp01-8",
            "created_at": PAST,
            "read_at": PAST,
        },
        {
            "id": 2,
            "subject": "Invitație",
            "body": "Sunteți invitați",
            "event_type": "tender.invitation_sent",
            "correlation_id": "ocds-sscp01-9",
            "created_at": PAST,
            "read_at": None,
        },
    ]
    fake_api.on("GET", "notifications", "/inbox", body=rows, headers={"X-Pagination": '{"total": 2}'})
    fake_api.on("GET", "notifications", "/inbox/unread-count", body={"unread": unread})
    return rows


def test_the_notices_page_puts_unread_first_counts_them_and_links_each_to_its_call(cso, fake_api):
    inbox(fake_api)

    page = text_of(cso.get("/cso/notices"))

    assert "(1 unread)" in page
    assert page.index("Invitație") < page.index("Ofertă primită")
    assert 'href="/calls/9"' in page and 'href="/calls/8"' in page
    assert 'id="mark-read-2"' in page and 'id="mark-read-1"' not in page
    assert 'id="mark-all-read"' in page


def test_marking_a_notice_read_without_javascript_goes_back_to_the_notice(cso, fake_api):
    fake_api.on("POST", "notifications", "/inbox/2/read", body={"id": 2, "read_at": PAST})

    answer = cso.post("/cso/notices/2/read")

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/cso/notices#notice-2")
    assert fake_api.requests_to("POST", "/inbox/2/read")


def test_marking_a_notice_read_with_htmx_answers_just_that_notice_and_the_new_count(cso, fake_api):
    marked = {
        "id": 2,
        "subject": "Invitație",
        "body": "Text",
        "correlation_id": "ocds-sscp01-9",
        "created_at": PAST,
        "read_at": PAST,
    }
    fake_api.on("POST", "notifications", "/inbox/2/read", body=marked)
    fake_api.on("GET", "notifications", "/inbox/unread-count", body={"unread": 0})

    fragment = text_of(cso.post("/cso/notices/2/read", headers={"HX-Request": "true"}))

    assert fragment.lstrip().startswith('<li id="notice-2"')
    assert 'hx-swap-oob="true"' in fragment and "(0 unread)" in fragment
    assert "<html" not in fragment


def test_marking_every_notice_read_says_how_many(cso, fake_api):
    fake_api.on("POST", "notifications", "/inbox/read-all", body={"marked": 3})

    answer = cso.post("/cso/notices/read-all")

    assert answer.status_code == 302
    with cso.session_transaction() as session:
        assert session["_flashes"][0][1] == "3 notices marked as read."


# --- notification settings --------------------------------------------------------------------------------------


def settings(fake_api, webhooks=()):
    chosen = {
        "channels": {"email": True, "inbox": True, "webhook": False},
        "digest": True,
        "language": "ru",
        "events": {},
        "legal_notices": ["award.decided"],
    }
    fake_api.on("GET", "notifications", "/preferences", body=chosen)
    fake_api.on("GET", "notifications", "/webhooks", body=list(webhooks))


def test_the_settings_page_shows_the_preferences_as_the_api_has_them(cso, fake_api):
    hook = {"id": 4, "url": "https://crm.example.md/hook", "event_types": [], "active": True, "created_at": PAST}
    settings(fake_api, [hook])

    page = text_of(cso.get("/cso/settings/notifications"))

    assert 'id="channel_email" name="channel_email" type="checkbox" value="y"' in page
    assert (
        'checked id="channel_webhook"' not in page
        and 'id="channel_webhook" name="channel_webhook" type="checkbox" value="y">' in page
    )
    assert 'checked id="digest-1"' in page
    assert '<option selected value="ru">' in page
    assert "Award decisions on calls you bid for" in page
    assert "https://crm.example.md/hook" in page and 'id="remove-webhook-4"' in page


def test_saving_the_preferences_sends_channels_digest_and_language(cso, fake_api):
    settings(fake_api)
    fake_api.on("PUT", "notifications", "/preferences", body={})

    answer = cso.post("/cso/settings/notifications", data={"channel_email": "y", "digest": "no", "language": ""})

    assert answer.status_code == 302
    sent = fake_api.requests_to("PUT", "/preferences")[0]["json"]
    assert sent == {"channels": {"email": True, "inbox": False, "webhook": False}, "digest": False, "language": None}


def test_a_new_webhook_shows_its_secret_once(cso, fake_api):
    created = {"id": 5, "url": "https://crm.example.md/hook", "secret": "s3cr3t-once", "event_types": []}
    fake_api.on("POST", "notifications", "/webhooks", status=201, body=created)

    answer = cso.post(
        "/cso/settings/webhooks",
        data={"webhook_url": "https://crm.example.md/hook", "webhook_event_types": "award.decided, tender.published"},
    )

    assert answer.status_code == 201
    assert "s3cr3t-once" in text_of(answer)
    assert answer.headers["Cache-Control"] == "no-store"
    sent = fake_api.requests_to("POST", "/webhooks")[0]["json"]
    assert sent == {
        "url": "https://crm.example.md/hook",
        "description": None,
        "event_types": ["award.decided", "tender.published"],
    }


def test_a_webhook_address_the_platform_refuses_is_explained_beside_the_field(cso, fake_api):
    settings(fake_api)
    refusal = {"code": 422, "message": "invalid", "errors": {"url": ["127.0.0.1 is a private address"]}}
    fake_api.on("POST", "notifications", "/webhooks", status=422, body=refusal)

    answer = cso.post("/cso/settings/webhooks", data={"webhook_url": "http://127.0.0.1:9/x"})

    assert answer.status_code == 422
    page = text_of(answer)
    assert 'id="webhook_url-error"' in page and "The platform cannot send notices to this address" in page
    assert 'value="http://127.0.0.1:9/x"' in page


def test_a_webhook_is_tested_and_removed(cso, fake_api):
    fake_api.on("POST", "notifications", "/webhooks/4/ping", body={"ok": False, "status_code": 500, "error": None})
    fake_api.on("DELETE", "notifications", "/webhooks/4", status=204, body=b"")

    cso.post("/cso/settings/webhooks/4/test")
    cso.post("/cso/settings/webhooks/4/remove")

    assert fake_api.requests_to("DELETE", "/webhooks/4")
    with cso.session_transaction() as session:
        said = [text for _, text in session["_flashes"]]
    assert said == [
        "The test notice did not reach your system: 500",
        "The webhook was removed; nothing more will be sent to it.",
    ]


# --- contracts --------------------------------------------------------------------------------------------------


def a_contract(**changes) -> dict:
    record = {
        "id": 1,
        "tender_id": 1,
        "provider_id": 1,
        "ocid": "ocds-sscp01-1",
        "title": "Îngrijire la domiciliu",
        "status": "active",
        "district_code": "MD-CU",
        "service_type": "home-care",
        "places": 10,
        "unit_price": "8400.00",
        "value": "84000.00",
        "start_at": PAST,
        "end_at": LATER,
        "milestone_frequency": "monthly",
        "kpis": [
            {"code": "beneficiaries_served", "name": "Beneficiari", "target": "10", "unit": "persons"},
            {"code": "home_visits", "name": "Vizite la domiciliu", "target": "120", "unit": "vizite"},
        ],
        "signatures": {"authority": {"signed_at": PAST}, "provider": {"signed_at": PAST}},
        "allowed_actions": ["terminate", "amend", "report"],
        "milestones": [
            {
                "number": 1,
                "period_start": PAST,
                "period_end": PAST,
                "report_due_at": PAST,
                "amount": "42000.00",
                "status": "planned",
                "report_status": "returned",
                "late": True,
            },
            {
                "number": 2,
                "period_start": LATER,
                "period_end": LATER,
                "report_due_at": LATER,
                "amount": "42000.00",
                "status": "planned",
                "report_status": None,
                "late": False,
            },
        ],
    }
    return {**record, **changes}


def test_the_contracts_page_lists_only_the_cso_own_contracts_with_what_is_due(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts", body=[a_contract()])

    page = text_of(cso.get("/cso/contracts"))

    assert fake_api.requests_to("GET", "/contracts")[0]["params"] == {"provider_id": 1}
    assert "In force" in page and "Period 1, due" in page
    assert "84,000.00" in page or "84\u00a0000,00" in page


def test_a_contract_shows_its_periods_its_returned_report_with_the_note_and_its_evidence_hashes(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())
    returned = {
        "id": 6,
        "milestone_number": 1,
        "status": "returned",
        "comments": "Lipsesc fișele de prezență.",
        "beneficiaries_served": 9,
        "kpi_values": {"home_visits": "100"},
        "narrative": "Text",
        "submitted_at": PAST,
        "decided_at": PAST,
        "late": True,
    }
    fake_api.on("GET", "contracting", "/contracts/1/reports", body=[returned])
    evidence = {
        "id": 40,
        "kind": "report",
        "owner_id": 6,
        "title": "fise.pdf",
        "file_name": "fise.pdf",
        "size": 2048,
        "sha256": "ab" * 32,
        "status": "active",
    }
    fake_api.on("GET", "contracting", "/tenders/1/documents", body=[evidence, {**evidence, "kind": "tender", "id": 1}])

    page = text_of(cso.get("/cso/contracts/1"))

    assert "Report returned: file a new one" in page
    assert "Lipsesc fișele de prezență." in page
    assert "Vizite la domiciliu" in page
    assert "ab" * 32 in page and "/documents/40/download" in page
    assert "/cso/contracts/1/reports/new?period=1" in page
    assert 'id="sign-contract"' not in page


def test_another_organisation_contract_is_not_found(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/3", body=a_contract(id=3, provider_id=7))

    assert cso.get("/cso/contracts/3").status_code == 404


def test_a_contract_waiting_for_the_cso_signature_is_signed_from_its_page(cso, fake_api):
    pending = a_contract(
        status="pending",
        allowed_actions=["sign", "edit", "cancel"],
        signatures={"authority": {"signed_at": PAST}, "provider": {"signed_at": None}},
    )
    fake_api.on("GET", "contracting", "/contracts/1", body=pending)
    fake_api.on("GET", "contracting", "/contracts/1/reports", body=[])
    fake_api.on("GET", "contracting", "/tenders/1/documents", body=[])
    fake_api.on("POST", "contracting", "/contracts/1/sign", body={**pending, "status": "active"})

    assert 'id="sign-contract"' in text_of(cso.get("/cso/contracts/1"))
    answer = cso.post("/cso/contracts/1/sign")

    assert answer.status_code == 302
    with cso.session_transaction() as session:
        assert "it is now in force" in session["_flashes"][0][1]


HOME_CARE = checklist_for("home-care").codes


def answers_met(**changes: tuple[str, str]) -> dict:
    """The report form's answers to home care's standards: every one met, except ``changes`` (HC_03=(status, note))."""
    data = {}
    for code in HOME_CARE:
        status, note = changes.get(code.replace("-", "_"), ("met", ""))
        stem = "std_" + code.lower().replace("-", "_")
        data.update({f"{stem}_status": status, f"{stem}_note": note})
    return data


def test_a_report_is_filed_with_its_kpis_then_its_evidence_uploaded_as_the_report_documents(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())
    fake_api.on("POST", "contracting", "/contracts/1/reports", status=201, body={"id": 9})
    stored = {"id": 71, "title": "fise.pdf", "sha256": hashlib.sha256(PDF).hexdigest()}
    fake_api.on("POST", "contracting", "/tenders/1/documents", status=201, body={"document": stored})

    answer = cso.post(
        "/cso/contracts/1/reports/new",
        data={
            "milestone_number": "1",
            "beneficiaries_served": "9",
            "kpi_home_visits": "100.5",
            "narrative": "Am deservit nouă persoane.",
            "evidence_type": "financialProgressReport",
            "evidence": [(io.BytesIO(PDF), "fise.pdf")],
            **answers_met(HC_03=("partly", "  Două vizite amânate.  ")),
        },
        content_type="multipart/form-data",
    )

    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/cso/contracts/1#report-9")
    sent = fake_api.requests_to("POST", "/reports")[0]["json"]
    assert sent == {
        "milestone_number": 1,
        "beneficiaries_served": 9,
        "kpi_values": {"home_visits": "100.5"},
        "narrative": "Am deservit nouă persoane.",
        "standards": [
            {"code": code, "status": "partly" if code == "HC-03" else "met", "note": ""} for code in HOME_CARE
        ][:2]
        + [{"code": "HC-03", "status": "partly", "note": "Două vizite amânate."}]
        + [{"code": code, "status": "met", "note": ""} for code in HOME_CARE[3:]],
    }
    upload = fake_api.requests_to("POST", "/documents")[0]
    assert upload["data"] == {
        "kind": "report",
        "owner_id": "9",
        "title": "fise.pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "document_type": "financialProgressReport",
    }


def test_a_refused_evidence_file_is_said_and_the_page_opens_at_the_top_where_that_message_is(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())
    refusal = {"code": 422, "errors": {"file": ["the file's content is not an allowed format (PDF), whatever"]}}
    fake_api.on("POST", "contracting", "/tenders/1/documents", status=422, body=refusal)

    answer = cso.post(
        "/cso/contracts/1/reports/6/evidence",
        data={
            "report-6-evidence_type": "physicalProgressReport",
            "report-6-evidence": [(io.BytesIO(b"text"), "note.txt")],
        },
        content_type="multipart/form-data",
    )

    assert answer.headers["Location"].endswith("/cso/contracts/1")
    with cso.session_transaction() as session:
        assert "note.txt was not attached: its content is not an allowed format" in session["_flashes"][0][1]


def test_a_second_report_for_a_period_under_review_is_refused_in_plain_words_and_the_text_kept(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())
    refusal = {"code": 409, "message": "period 1 already has a report submitted", "current_status": "submitted"}
    fake_api.on("POST", "contracting", "/contracts/1/reports", status=409, body=refusal)

    answer = cso.post(
        "/cso/contracts/1/reports/new",
        data={"milestone_number": "1", "beneficiaries_served": "9", "narrative": "Textul raportului.", **answers_met()},
    )

    assert answer.status_code == 409
    page = text_of(answer)
    assert "This period already has a report under review or accepted." in page
    assert "Textul raportului.</textarea>" in page


def test_the_report_page_of_a_contract_with_no_period_waiting_says_so(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract(status="pending"))

    page = text_of(cso.get("/cso/contracts/1/reports/new"))

    assert "No reporting period is waiting for a report now" in page
    assert 'id="narrative"' not in page


def test_the_report_form_asks_each_quality_standard_of_the_contract_s_service_in_the_person_s_language(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())

    page = text_of(cso.get("/cso/contracts/1/reports/new?lang=ru"))

    assert page.count('class="standard field') == len(HOME_CARE) == 7
    assert "Частота и продолжительность посещений на дому соответствуют плану" in page
    assert "Hotărârea Guvernului nr. 1034 din 31.12.2014" in page  # the regulation the checklist comes from
    assert 'name="std_hc_03_status" required type="radio" value="partly"' in page
    assert 'id="std_hc_03_note"' in page


def test_a_standard_left_unanswered_or_not_met_without_a_note_is_refused_on_its_field(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())
    data = {"milestone_number": "1", "beneficiaries_served": "9", "narrative": "Am deservit nouă persoane."}
    answers = answers_met(HC_05=("not_met", "   "))
    del answers["std_hc_01_status"]

    answer = cso.post("/cso/contracts/1/reports/new", data={**data, **answers})

    assert answer.status_code == 422 and fake_api.requests_to("POST", "/reports") == []
    page = text_of(answer)
    assert 'id="std_hc_01_status-error"' in page and "Choose met, partly met or not met." in page
    assert 'id="std_hc_05_note-error"' in page and "Say why this standard was not fully met." in page
    assert '<a href="#std_hc_05_note">' in page  # the error summary links to the field
    assert '<input checked id="std_hc_05_status-2"' in page  # the answer given is kept


def test_the_cso_contract_page_shows_each_report_s_answers_to_the_standards(cso, fake_api):
    fake_api.on("GET", "contracting", "/contracts/1", body=a_contract())
    standards = [{"code": c, "status": "met", "note": ""} for c in HOME_CARE]
    standards[4] = {"code": "HC-05", "status": "not_met", "note": "Registrul de sesizări nu a fost ținut."}
    report = {"id": 6, "milestone_number": 1, "status": "submitted", "beneficiaries_served": 9, "kpi_values": {},
              "narrative": "Text", "submitted_at": PAST, "late": False, "standards": standards}  # fmt: skip
    fake_api.on("GET", "contracting", "/contracts/1/reports", body=[report])
    fake_api.on("GET", "contracting", "/tenders/1/documents", body=[])

    page = text_of(cso.get("/cso/contracts/1"))

    assert "Minimum quality standards: 6 of 7 met" in page
    assert "Registrul de sesizări nu a fost ținut." in page and "tag-standard-not_met" in page
