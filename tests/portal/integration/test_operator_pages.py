"""An operator's pages against a faked API (and a faked flow server): what each page shows, what it sends to the
APIs, how a refusal reads, and that other roles find nothing here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.portal.adapters import prefect_runs
from services.portal.entrypoints.web import create_app
from services.portal.entrypoints.web.operator_blueprint import today_in_chisinau
from tests.portal.conftest import csrf_of

NOW = datetime.now(UTC)
TODAY = today_in_chisinau()  # the pages' own day: the machine's UTC date differs after 22:00 UTC

SPERANTA = {
    "id": 1,
    "idno": "1003600011111",
    "legal_name": "AO Casa Speranței",
    "legal_form": "asociație obștească",
    "email": "office@speranta.md",
    "phone": None,
    "address": None,
    "status": "active",
    "districts_served": ["MD-CU"],
    "languages": ["ro"],
    "version": 1,
    "accreditations": [
        {
            "id": 11,
            "provider_id": 1,
            "service_type": "home-care",
            "accrediting_body": "ANAS",
            "certificate_number": "C-11",
            "valid_from": "2024-01-01",
            "valid_to": (TODAY + timedelta(days=20)).isoformat(),
            "status": "active",
            "status_reason": None,
        }
    ],
}
ACCREDITATION = SPERANTA["accreditations"][0]
REVOKED = {**ACCREDITATION, "id": 12, "status": "revoked", "status_reason": "fraud"}
CALL = {
    "id": 5,
    "ocid": "ocds-sscp-5",
    "title": "Îngrijire la domiciliu",
    "status": "active.tendering",
    "district_code": "MD-CU",
    "service_type": "home-care",
}
DEAD = {
    "id": 31,
    "event_id": "e-1",
    "event_type": "tender.published",
    "correlation_id": "ocds-sscp-5",
    "recipient": "webhook:4",
    "channel": "webhook",
    "address": "http://127.0.0.1:9/hook",
    "language": "ro",
    "priority": "low",
    "status": "dead",
    "attempts": 2,
    "last_error": "ConnectError: connection refused",
    "subject": "Apel nou",
    "created_at": NOW.isoformat(),
    "updated_at": NOW.isoformat(),
}
USERS = [
    {
        "id": 1,
        "email": "operator@sscp.md",
        "role": "operator",
        "active": True,
        "district_code": None,
        "provider_id": None,
    },
    {"id": 7, "email": "user@speranta.md", "role": "cso", "active": True, "district_code": None, "provider_id": 1},
    {
        "id": 8,
        "email": "old@orhei.md",
        "role": "evaluator",
        "active": False,
        "district_code": "MD-OR",
        "provider_id": None,
    },
]


def client_as(role: str, csrf: bool = False):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": csrf,
            "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40,
            "PREFECT_API_URL": "http://prefect.test/api",
        }
    )
    client = app.test_client()
    client.set_cookie("sscp_lang", "en")
    with client.session_transaction() as session:
        session["user"] = {
            "id": 1,
            "email": f"{role}@sscp.md",
            "full_name": None,
            "role": role,
            "district_code": "MD-CU" if role == "authority" else None,
            "provider_id": 1 if role == "cso" else None,
        }
        session["token"] = f"token-{role}"
        session["token_expires"] = (NOW + timedelta(hours=1)).isoformat()
    return client


@pytest.fixture
def operator(fake_api):
    fake_api.on("GET", "registry", r"/providers", body=[SPERANTA], headers={"X-Pagination": '{"total": 1}'})
    fake_api.on("GET", "registry", r"/providers/1", body=SPERANTA)
    fake_api.on("GET", "registry", r"/accreditations/11", body=ACCREDITATION)
    fake_api.on("GET", "registry", r"/accreditations/12", body=REVOKED)
    return client_as("operator")


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def flow_server(monkeypatch):
    """Prefect's /flow_runs/filter, answering ``runs`` (or failing to connect when ``down``)."""
    state = {"runs": [], "down": False, "asked": []}

    def post(url, json, timeout):
        state["asked"].append((url, json))
        if state["down"]:
            raise httpx.ConnectError("connection refused")
        return httpx.Response(200, json=state["runs"])

    monkeypatch.setattr(prefect_runs.httpx, "post", post)
    return state


def run(run_id, tender_id, stage, state_type, started):
    return {
        "id": run_id,
        "name": f"ocds-sscp-{tender_id}/{stage}",
        "tags": [f"tender:{tender_id}", f"stage:{stage}", "district:MD-CU"],
        "state_type": state_type,
        "state_name": state_type.title(),
        "expected_start_time": started,
        "start_time": started,
    }


def with_calls_and_deliveries(fake_api):
    fake_api.on("GET", "contracting", r"/tenders", body=[CALL], headers={"X-Pagination": '{"total": 1}'})
    fake_api.on_call(
        "GET",
        "notifications",
        r"/deliveries",
        lambda request: (
            200,
            [DEAD],
            {"X-Pagination": f'{{"total": {1 if request["params"]["status"] == "dead" else 0}}}'},
        ),
    )


# --- operations --------------------------------------------------------------------------------------------------


def test_home_shows_each_calls_stage_runs_with_links_into_the_flow_server(operator, fake_api, flow_server):
    with_calls_and_deliveries(fake_api)
    flow_server["runs"] = [
        run("r-old", 5, "tender-stage", "FAILED", (NOW - timedelta(hours=2)).isoformat()),
        run("r-new", 5, "tender-stage", "COMPLETED", (NOW - timedelta(hours=1)).isoformat()),
        run("r-eval", 5, "evaluation-stage", "SCHEDULED", (NOW + timedelta(hours=1)).isoformat()),
    ]
    page = text_of(operator.get("/operator/"))
    url, body = flow_server["asked"][0]
    assert url == "http://prefect.test/api/flow_runs/filter"
    assert body["flow_runs"]["tags"]["any_"] == ["tender:5"]
    assert "Completed" in page and "Scheduled" in page
    assert "r-old" not in page  # only the latest run of each stage is summed up
    assert 'href="http://prefect.test/runs/flow-run/r-new"' in page
    assert 'href="http://prefect.test/runs?tag=tender%3A5"' in page
    assert "1 delivery gave up (dead letter)." in page
    assert "A stage failed" not in page


def test_a_call_whose_latest_run_failed_is_flagged(operator, fake_api, flow_server):
    with_calls_and_deliveries(fake_api)
    flow_server["runs"] = [run("r-1", 5, "award-stage", "CRASHED", NOW.isoformat())]
    page = text_of(operator.get("/operator/"))
    assert "A stage failed: look at its run." in page and "Crashed" in page


def test_home_says_when_the_flow_server_cannot_be_reached(operator, fake_api, flow_server):
    with_calls_and_deliveries(fake_api)
    flow_server["down"] = True
    response = operator.get("/operator/")
    assert response.status_code == 200
    assert "The flow server cannot be reached." in text_of(response)
    assert "Îngrijire la domiciliu" in text_of(response)


def test_dead_letters_are_listed_and_sent_again(operator, fake_api):
    with_calls_and_deliveries(fake_api)
    fake_api.on("POST", "notifications", r"/deliveries/31/retry", body={**DEAD, "status": "queued"})
    page = text_of(operator.get("/operator/deliveries"))
    assert "ConnectError: connection refused" in page and "Send delivery 31 again" in page
    assert fake_api.requests_to("GET", "/deliveries")[-1]["params"]["status"] == "dead"
    response = operator.post("/operator/deliveries/31/retry", data={"status": "dead"}, follow_redirects=True)
    assert "Delivery 31 will be sent again" in text_of(response)
    assert fake_api.requests_to("POST", "/deliveries/31/retry")


def test_a_retry_the_service_refuses_says_the_deliverys_state(operator, fake_api):
    with_calls_and_deliveries(fake_api)
    refusal = {"code": 409, "message": "delivery is 'sent'", "current_status": "sent", "allowed_transitions": []}
    fake_api.on("POST", "notifications", r"/deliveries/31/retry", status=409, body=refusal)
    response = operator.post("/operator/deliveries/31/retry", data={"status": "dead"}, follow_redirects=True)
    assert "Delivery 31 cannot be sent again: it is now “Sent”." in text_of(response)


# --- providers and accreditations ------------------------------------------------------------------------------


def test_providers_list_and_one_provider_with_its_accreditations(operator, fake_api):
    page = text_of(operator.get("/operator/providers?district_code=MD-CU"))
    assert "AO Casa Speranței" in page and "1 provider" in page
    assert fake_api.requests_to("GET", "/providers")[0]["params"]["district_code"] == "MD-CU"
    page = text_of(operator.get("/operator/providers/1"))
    assert "C-11" in page and "Grant an accreditation" in page


def test_registering_a_provider_sends_its_details_and_a_duplicate_idno_lands_on_the_field(operator, fake_api):
    fake_api.on("POST", "registry", r"/providers", body={**SPERANTA, "id": 2})
    form = {
        "idno": "1003600099990",
        "legal_name": "AO Nouă",
        "legal_form": "asociație obștească",
        "districts_served": ["MD-CU", "MD-OR"],
        "languages": ["ro", "ru"],
    }
    response = operator.post("/operator/providers/new", data=form)
    assert response.status_code == 302
    sent = fake_api.requests_to("POST", "/providers")[0]["json"]
    assert sent["districts_served"] == ["MD-CU", "MD-OR"] and sent["languages"] == ["ro", "ru"]
    refusal = {"code": 409, "message": "IDNO 1003600099990 is already registered", "field": "idno"}
    fake_api.on("POST", "registry", r"/providers", status=409, body=refusal)
    response = operator.post("/operator/providers/new", data=form)
    assert response.status_code == 409
    assert 'id="idno-error"' in text_of(response)


def test_a_provider_form_with_a_bad_idno_is_not_sent(operator, fake_api):
    response = operator.post("/operator/providers/new", data={"idno": "12", "legal_name": "X", "languages": ["ro"]})
    assert response.status_code == 422
    assert "The IDNO has exactly 13 digits." in text_of(response)
    assert not fake_api.requests_to("POST", "/providers")


def test_editing_a_provider_patches_it(operator, fake_api):
    fake_api.on("PATCH", "registry", r"/providers/1", body=SPERANTA)
    page = text_of(operator.get("/operator/providers/1/edit"))
    assert 'value="AO Casa Speranței"' in page
    form = {
        "legal_name": "AO Casa Speranței",
        "legal_form": "asociație obștească",
        "districts_served": ["MD-OR"],
        "languages": ["ro"],
        "status": "suspended",
    }
    assert operator.post("/operator/providers/1/edit", data=form).status_code == 302
    sent = fake_api.requests_to("PATCH", "/providers/1")[0]["json"]
    assert sent["districts_served"] == ["MD-OR"] and sent["status"] == "suspended"


def test_granting_sends_the_term_and_updates_the_districts_served(operator, fake_api):
    fake_api.on("POST", "registry", r"/providers/1/accreditations", status=201, body={**ACCREDITATION, "id": 13})
    fake_api.on("PATCH", "registry", r"/providers/1", body=SPERANTA)
    page = text_of(operator.get("/operator/providers/1/accreditations/new"))
    assert f'value="{TODAY.isoformat()}"' in page
    form = {
        "service_type": "respite-care",
        "accrediting_body": "ANAS",
        "certificate_number": "R-1",
        "valid_from": "2026-01-01",
        "valid_to": "2028-12-31",
        "districts_served": ["MD-CU", "MD-OR"],
    }
    response = operator.post("/operator/providers/1/accreditations/new", data=form, follow_redirects=True)
    assert "Accreditation no. 13 was granted." in text_of(response)
    sent = fake_api.requests_to("POST", "/providers/1/accreditations")[0]["json"]
    assert sent == {
        "service_type": "respite-care",
        "accrediting_body": "ANAS",
        "certificate_number": "R-1",
        "valid_from": "2026-01-01",
        "valid_to": "2028-12-31",
    }
    assert fake_api.requests_to("PATCH", "/providers/1")[0]["json"] == {"districts_served": ["MD-CU", "MD-OR"]}


def test_a_second_live_accreditation_is_refused_beside_the_service(operator, fake_api):
    refusal = {
        "code": 409,
        "message": "provider 1 already holds accreditation 11 for home-care (active); renew that one",
        "field": "service_type",
        "accreditation_id": 11,
    }
    fake_api.on("POST", "registry", r"/providers/1/accreditations", status=409, body=refusal)
    form = {
        "service_type": "home-care",
        "accrediting_body": "ANAS",
        "certificate_number": "R-2",
        "valid_from": "2026-01-01",
        "valid_to": "2028-12-31",
        "districts_served": ["MD-CU"],
    }
    response = operator.post("/operator/providers/1/accreditations/new", data=form)
    assert response.status_code == 409
    assert 'id="service_type-error"' in text_of(response)


def test_the_accreditations_page_lists_the_ones_ending_soon(operator, fake_api):
    later = {**ACCREDITATION, "id": 14, "valid_to": (TODAY + timedelta(days=900)).isoformat()}
    fake_api.on(
        "GET", "registry", r"/accreditations", body=[later, ACCREDITATION], headers={"X-Pagination": '{"total": 2}'}
    )
    page = text_of(operator.get("/operator/accreditations"))
    assert "1 accreditation ends within 60 days" in page
    assert "20 days left" in page
    assert "2 accreditations" in page


def test_the_expiry_check_runs_and_says_what_it_expired(operator, fake_api):
    fake_api.on(
        "POST", "registry", r"/accreditations/expiry-check", body={"checked_on": "2026-12-05", "expired": [3, 4]}
    )
    fake_api.on("GET", "registry", r"/accreditations", body=[], headers={"X-Pagination": '{"total": 0}'})
    response = operator.post("/operator/accreditations/expiry-check", follow_redirects=True)
    assert "marked 2 accreditations expired: 3, 4." in text_of(response)


def test_an_active_accreditation_offers_renew_suspend_and_revoke_and_renews(operator, fake_api):
    page = text_of(operator.get("/operator/accreditations/11"))
    assert 'id="renew"' in page and 'id="suspend"' in page and 'id="revoke"' in page and 'id="reinstate"' not in page
    fake_api.on("POST", "registry", r"/accreditations/11/renew", body=ACCREDITATION)
    response = operator.post("/operator/accreditations/11/renew", data={"valid_to": "2031-01-31"})
    assert response.status_code == 302
    assert fake_api.requests_to("POST", "/renew")[0]["json"] == {"valid_to": "2031-01-31"}


def test_a_renewal_the_registry_refuses_shows_its_reason_beside_the_date(operator, fake_api):
    refusal = {
        "code": 422,
        "message": "valid_to: a renewal must end after the current valid_to",
        "errors": {"valid_to": ["a renewal must end after the current valid_to 2030-01-01"]},
    }
    fake_api.on("POST", "registry", r"/accreditations/11/renew", status=422, body=refusal)
    response = operator.post("/operator/accreditations/11/renew", data={"valid_to": "2026-01-01"})
    assert response.status_code == 422
    assert 'id="valid_to-error"' in text_of(response)


def test_revoking_needs_a_reason_and_sends_it(operator, fake_api):
    response = operator.post("/operator/accreditations/11/revoke", data={"revoke-reason": ""})
    assert response.status_code == 422 and not fake_api.requests_to("POST", "/revoke")
    fake_api.on("POST", "registry", r"/accreditations/11/revoke", body=REVOKED)
    response = operator.post("/operator/accreditations/11/revoke", data={"revoke-reason": "certificate withdrawn"})
    assert response.status_code == 302
    assert fake_api.requests_to("POST", "/revoke")[0]["json"] == {"reason": "certificate withdrawn"}


def test_a_refused_transition_shows_the_current_state_and_what_it_allows(operator, fake_api):
    refusal = {
        "code": 409,
        "message": "accreditation is 'suspended': cannot suspend",
        "current_status": "suspended",
        "allowed_transitions": ["reinstate", "revoke"],
    }
    fake_api.on("POST", "registry", r"/accreditations/11/suspend", status=409, body=refusal)
    response = operator.post("/operator/accreditations/11/suspend", data={"suspend-reason": "late reports"})
    assert response.status_code == 409
    assert "it is now “Suspended”. Allowed now: Reinstate, Revoke." in text_of(response)


def test_a_revoked_accreditation_offers_nothing(operator, fake_api):
    page = text_of(operator.get("/operator/accreditations/12"))
    assert 'id="renew"' not in page and 'id="revoke"' not in page and "fraud" in page


# --- users and the nomenclature ----------------------------------------------------------------------------------


def test_users_are_listed_with_their_roles_and_can_be_deactivated(operator, fake_api):
    fake_api.on("GET", "registry", r"/users", body=USERS, headers={"X-Pagination": '{"total": 3}'})
    page = text_of(operator.get("/operator/users"))
    assert "user@speranta.md" in page and "AO Casa Speranței" in page and "No, deactivated" in page
    assert 'id="deactivate-1"' not in page  # not oneself
    assert 'id="reactivate-8"' in page
    fake_api.on("POST", "registry", r"/users/7/deactivate", body={**USERS[1], "active": False})
    response = operator.post("/operator/users/7/deactivate", follow_redirects=True)
    assert "user@speranta.md can no longer sign in." in text_of(response)


def test_creating_an_account_sends_it_and_a_taken_email_lands_on_the_field(operator, fake_api):
    fake_api.on("POST", "registry", r"/users", status=201, body=USERS[1])
    form = {
        "email": "new@speranta.md",
        "role": "cso",
        "provider_id": "1",
        "district_code": "",
        "language": "ro",
        "password": "a-long-password",
    }
    assert operator.post("/operator/users/new", data=form).status_code == 302
    sent = fake_api.requests_to("POST", "/users")[0]["json"]
    assert sent["provider_id"] == 1 and sent["district_code"] is None and sent["password"] == "a-long-password"
    fake_api.on(
        "POST",
        "registry",
        r"/users",
        status=409,
        body={"code": 409, "message": "user new@speranta.md exists", "field": "email"},
    )
    response = operator.post("/operator/users/new", data=form)
    assert response.status_code == 409 and "An account with this e-mail exists." in text_of(response)


def test_service_types_are_listed_and_added(operator, fake_api):
    fake_api.on("POST", "registry", r"/service-types", status=201, body={})
    page = text_of(operator.get("/operator/service-types"))
    assert "home-care" in page and "Уход на дому" in page
    form = {
        "code": "supported-employment",
        "name_ro": "Angajare asistată",
        "name_ru": "Трудоустройство",
        "name_en": "Supported employment",
    }
    assert operator.post("/operator/service-types", data=form).status_code == 302
    assert fake_api.requests_to("POST", "/service-types")[0]["json"]["code"] == "supported-employment"


# --- who may see these pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["cso", "authority", "evaluator"])
@pytest.mark.parametrize(
    "path",
    ["/operator/", "/operator/providers", "/operator/accreditations/11", "/operator/users", "/operator/deliveries"],
)
def test_other_roles_find_no_operator_page(fake_api, role, path):
    assert client_as(role).get(path).status_code == 404
    assert not [sent for sent in fake_api.sent if sent["path"] not in ("/districts", "/service-types")]


def test_an_accreditation_the_registry_does_not_know_is_a_page_not_found(operator, fake_api):
    fake_api.on("GET", "registry", r"/accreditations/99", status=404, body={"code": 404, "message": "no such"})
    assert operator.get("/operator/accreditations/99").status_code == 404


def test_the_forms_carry_a_csrf_token(fake_api):
    fake_api.on("GET", "registry", r"/providers/1", body=SPERANTA)
    page = text_of(client_as("operator", csrf=True).get("/operator/providers/1/accreditations/new"))
    assert csrf_of(page)


def test_districts_are_checkboxes_with_the_providers_own_ticked(operator, fake_api):
    page = text_of(operator.get("/operator/providers/1/accreditations/new"))
    assert '<input checked id="districts_served-0" name="districts_served" type="checkbox" value="MD-CU">' in page
    assert '<input id="districts_served-1" name="districts_served" type="checkbox" value="MD-OR">' in page


def test_a_provider_needs_at_least_one_language(operator, fake_api):
    form = {"idno": "1003600099990", "legal_name": "AO Nouă", "legal_form": "asociație obștească"}
    response = operator.post("/operator/providers/new", data=form)
    assert response.status_code == 422 and "Choose at least one." in text_of(response)
    assert not fake_api.requests_to("POST", "/providers")


def test_reinstating_without_a_note_sends_no_reason(operator, fake_api):
    suspended = {**ACCREDITATION, "status": "suspended", "status_reason": "late reports"}
    fake_api.on("GET", "registry", r"/accreditations/11", body=suspended)
    page = text_of(operator.get("/operator/accreditations/11"))
    assert 'id="reinstate"' in page and 'id="revoke"' in page and 'id="renew"' not in page
    fake_api.on("POST", "registry", r"/accreditations/11/reinstate", body=ACCREDITATION)
    response = operator.post("/operator/accreditations/11/reinstate", data={"reinstate-reason": ""})
    assert response.status_code == 302
    assert fake_api.requests_to("POST", "/reinstate")[0]["json"] == {}


def test_an_unknown_district_the_registry_refuses_lands_on_the_districts(operator, fake_api):
    refusal = {"code": 422, "message": "unknown district", "errors": {"districts_served": ["unknown district(s): X"]}}
    fake_api.on("PATCH", "registry", r"/providers/1", status=422, body=refusal)
    form = {
        "legal_name": "AO Casa Speranței",
        "legal_form": "asociație obștească",
        "districts_served": ["MD-OR"],
        "languages": ["ro"],
        "status": "active",
    }
    response = operator.post("/operator/providers/1/edit", data=form)
    assert response.status_code == 422
    assert "unknown district(s): X" in text_of(response)


def test_a_service_type_code_that_exists_is_refused_beside_the_code(operator, fake_api):
    fake_api.on(
        "POST",
        "registry",
        r"/service-types",
        status=409,
        body={"code": 409, "message": "service type home-care exists", "field": "code"},
    )
    form = {"code": "home-care", "name_ro": "Îngrijire", "name_ru": "Уход", "name_en": "Care"}
    response = operator.post("/operator/service-types", data=form)
    assert response.status_code == 409 and "A service type with this code exists." in text_of(response)


def test_a_short_first_password_is_not_sent(operator, fake_api):
    form = {"email": "new@speranta.md", "role": "cso", "provider_id": "1", "language": "ro", "password": "short"}
    response = operator.post("/operator/users/new", data=form)
    assert response.status_code == 422 and not fake_api.requests_to("POST", "/users")


def test_deactivating_oneself_is_refused_with_words(operator, fake_api):
    fake_api.on(
        "POST",
        "registry",
        r"/users/1/deactivate",
        status=409,
        body={"code": 409, "message": "you cannot deactivate your own account", "field": "user_id"},
    )
    fake_api.on("GET", "registry", r"/users", body=USERS, headers={"X-Pagination": '{"total": 3}'})
    response = operator.post("/operator/users/1/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in text_of(response)
