"""Accreditations over HTTP: grant, renew, suspend, reinstate, revoke, the daily expiry check and validity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

ACCREDITATION = {
    "service_type": "day-centre",
    "accrediting_body": "Agenția Națională pentru Asistență Socială",
    "certificate_number": "DC-1",
    "valid_from": "2026-01-01",
    "valid_to": "2030-12-31",
}


def post(registry, path: str, body: dict | None = None, role: str = "operator"):
    return registry.client.post(f"/api/v1{path}", json=body or {}, headers=registry.headers(role))


def validity(registry, provider_id: int, on: str | None = None, district: str = "MD-CU", service: str = "home-care"):
    query = {"provider_id": provider_id, "service_type": service, "district_code": district}
    if on:
        query["on"] = on
    return registry.client.get("/api/v1/accreditations/validity", query_string=query)


def test_renewing_extends_the_term_and_emits_the_new_state_with_a_higher_version(registry):
    accreditation = registry.id("accreditation_cu")
    response = post(
        registry, f"/accreditations/{accreditation}/renew", {"valid_to": "2034-12-31", "certificate_number": "R-7"}
    )
    assert response.status_code == 200
    assert (response.json["valid_to"], response.json["certificate_number"], response.json["version"]) == (
        "2034-12-31",
        "R-7",
        2,
    )
    [event] = registry.events()
    assert event.type == "accreditation.renewed"
    assert event.payload["valid_to"] == "2034-12-31" and event.payload["version"] == 2
    assert validity(registry, registry.id("provider_cu"), on="2033-01-01").json["valid"] is True


def test_a_renewal_that_does_not_extend_the_term_is_refused_naming_valid_to_and_nothing_changes(registry):
    accreditation = registry.id("accreditation_cu")
    response = post(registry, f"/accreditations/{accreditation}/renew", {"valid_to": "2029-01-01"})
    assert response.status_code == 422
    assert "valid_to" in response.json["errors"]
    assert registry.events() == []
    assert registry.client.get(f"/api/v1/accreditations/{accreditation}").json["valid_to"] == "2029-12-31"


def test_a_suspension_makes_the_provider_invalid_with_the_reason_and_reinstating_restores_it(registry):
    accreditation, provider = registry.id("accreditation_cu"), registry.id("provider_cu")
    suspended = post(registry, f"/accreditations/{accreditation}/suspend", {"reason": "inspection found gaps"})
    assert (suspended.status_code, suspended.json["status"], suspended.json["status_reason"]) == (
        200,
        "suspended",
        "inspection found gaps",
    )
    answer = validity(registry, provider, on="2026-06-01").json
    assert answer["valid"] is False
    assert answer["reasons"] == ["no active accreditation for home-care valid on 2026-06-01"]
    assert post(registry, f"/accreditations/{accreditation}/reinstate").json["status"] == "active"
    assert validity(registry, provider, on="2026-06-01").json["valid"] is True
    assert registry.event_types() == ["accreditation.suspended", "accreditation.reinstated"]
    assert [event.payload["version"] for event in registry.events()] == [2, 3]


def test_a_suspension_without_a_reason_is_refused_naming_reason(registry):
    response = post(registry, f"/accreditations/{registry.id('accreditation_cu')}/suspend", {})
    assert response.status_code == 422
    assert "reason" in str(response.json["errors"])


def test_a_revoked_accreditation_cannot_come_back_and_the_409_names_its_status_and_allowed_next(registry):
    accreditation = registry.id("accreditation_cu")
    assert post(registry, f"/accreditations/{accreditation}/revoke", {"reason": "licence withdrawn"}).status_code == 200
    for action, body in (("reinstate", {}), ("renew", {"valid_to": "2035-01-01"}), ("suspend", {"reason": "again"})):
        response = post(registry, f"/accreditations/{accreditation}/{action}", body)
        assert response.status_code == 409
        assert response.json["current_status"] == "revoked" and response.json["allowed_transitions"] == []
    assert registry.event_types() == ["accreditation.revoked"]


def test_an_unknown_accreditation_is_404(registry):
    assert post(registry, "/accreditations/999/suspend", {"reason": "no such thing"}).status_code == 404


def test_the_expiry_check_expires_lapsed_accreditations_once_and_a_second_run_changes_nothing(registry):
    registry.clock.now = datetime(2030, 1, 2, 8, 0, tzinfo=UTC)
    first = post(registry, "/accreditations/expiry-check", role="service")
    assert first.status_code == 200
    # The suspended one lapses too: a suspension does not stop the clock on its term.
    assert first.json == {
        "checked_on": "2030-01-02",
        "expired": [registry.id("accreditation_cu"), registry.id("accreditation_ba")],
    }
    second = post(registry, "/accreditations/expiry-check", role="service")
    assert second.json["expired"] == []
    assert registry.event_types() == ["accreditation.expired", "accreditation.expired"]
    assert {event.payload["status"] for event in registry.events()} == {"expired"}


def test_on_the_last_valid_day_nothing_expires_but_just_after_midnight_in_chisinau_it_does(registry):
    registry.clock.now = datetime(2029, 12, 31, 21, 30, tzinfo=UTC)  # 23:30 in Chișinău
    assert post(registry, "/accreditations/expiry-check").json["expired"] == []
    registry.clock.now = datetime(2029, 12, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 January in Chișinău
    assert post(registry, "/accreditations/expiry-check").json["expired"] != []


def test_an_expired_accreditation_renewed_into_the_future_is_valid_again(registry):
    registry.clock.now = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
    post(registry, "/accreditations/expiry-check")
    accreditation, provider = registry.id("accreditation_cu"), registry.id("provider_cu")
    assert validity(registry, provider).json["valid"] is False
    renewed = post(registry, f"/accreditations/{accreditation}/renew", {"valid_to": "2034-12-31"})
    assert (renewed.status_code, renewed.json["status"]) == (200, "active")
    answer = validity(registry, provider).json
    assert answer["valid"] is True and answer["on"] == "2030-03-01"
    assert answer["accreditation"]["id"] == accreditation


def test_validity_says_why_a_provider_is_not_accredited_in_a_district_it_does_not_serve(registry):
    answer = validity(registry, registry.id("provider_cu"), on="2026-06-01", district="MD-BA").json
    assert answer["valid"] is False
    assert answer["reasons"] == ["provider does not serve district MD-BA"]
    assert answer["accreditation"]["id"] == registry.id("accreditation_cu"), "the service itself is covered"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"district": "MD-XX"}, "district_code"),
        ({"service": "astrology"}, "service_type"),
        ({"provider_id": 999}, "provider_id"),
    ],
)
def test_validity_for_an_unknown_district_service_or_provider_is_422_naming_the_field(registry, change, field):
    provider = change.pop("provider_id", registry.id("provider_cu"))
    response = validity(registry, provider, **change)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_validity_without_the_required_parameters_is_422_naming_them(registry):
    response = registry.client.get("/api/v1/accreditations/validity")
    assert response.status_code == 422
    assert {"provider_id", "service_type", "district_code"} <= set(response.json["errors"])


def test_a_second_live_accreditation_for_the_same_service_is_409_pointing_at_the_one_to_renew(registry):
    body = {**ACCREDITATION, "service_type": "home-care", "certificate_number": "HC-2"}
    response = post(registry, f"/providers/{registry.id('provider_cu')}/accreditations", body)
    assert response.status_code == 409
    assert response.json["field"] == "service_type"
    assert response.json["accreditation_id"] == registry.id("accreditation_cu")


def test_a_certificate_already_recorded_is_409_naming_certificate_number_not_a_server_error(registry):
    body = {
        **ACCREDITATION,
        "certificate_number": "ANAS-1",
        "accrediting_body": "Agenția Națională pentru Asistență Socială",
    }
    response = post(registry, f"/providers/{registry.id('provider_cu')}/accreditations", body)
    assert response.status_code == 409
    assert response.json["field"] == "certificate_number"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"service_type": "astrology"}, 422, "service_type"),
        ({"valid_to": "2025-12-31"}, 422, "valid_to"),
        ({"valid_from": "not-a-date"}, 422, "valid_from"),
    ],
)
def test_a_bad_grant_is_refused_naming_the_field_and_emits_nothing(registry, change, status, field):
    response = post(registry, f"/providers/{registry.id('provider_cu')}/accreditations", {**ACCREDITATION, **change})
    assert response.status_code == status
    assert field in str(response.json["errors"])
    assert registry.events() == []


def test_granting_for_a_provider_that_does_not_exist_is_404(registry):
    assert post(registry, "/providers/999/accreditations", ACCREDITATION).status_code == 404


def test_the_accreditation_list_filters_by_status_and_provider_and_reports_pagination(registry):
    response = registry.client.get("/api/v1/accreditations", query_string={"status": "suspended"})
    assert [a["id"] for a in response.json] == [registry.id("accreditation_ba")]
    assert '"total": 1' in response.headers["X-Pagination"]
    by_provider = registry.client.get(
        "/api/v1/accreditations", query_string={"provider_id": registry.id("provider_cu")}
    )
    assert [a["id"] for a in by_provider.json] == [registry.id("accreditation_cu")]
    assert registry.client.get("/api/v1/accreditations", query_string={"status": "dormant"}).status_code == 422
