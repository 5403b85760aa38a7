"""Provider profiles over HTTP: a CSO edits its own, operators also set the status; each change is one event."""

from __future__ import annotations

import pytest


def patch(registry, provider_id: int, body: dict, role: str = "cso"):
    return registry.client.patch(f"/api/v1/providers/{provider_id}", json=body, headers=registry.headers(role))


def test_a_cso_extends_its_districts_served_and_the_event_carries_the_full_state_with_a_new_version(registry):
    provider = registry.id("provider_cu")
    response = patch(registry, provider, {"districts_served": ["MD-IA", "MD-CU", "MD-IA"], "languages": ["ro", "ru"]})
    assert response.status_code == 200
    assert (response.json["districts_served"], response.json["version"]) == (["MD-CU", "MD-IA"], 2)
    [event] = registry.events()
    assert event.type == "provider.updated"
    assert event.payload == {
        "provider_id": provider,
        "idno": "1003600012345",
        "legal_name": "AO Casa Speranței",
        "districts_served": ["MD-CU", "MD-IA"],
        "languages": ["ro", "ru"],
        "email": None,
        "phone": None,
        "address": None,
        "status": "active",
        "version": 2,
    }
    served = registry.client.get("/api/v1/providers", query_string={"district_code": "MD-IA"}).json
    assert [p["id"] for p in served] == [provider]


def test_saving_a_profile_unchanged_emits_nothing_and_keeps_the_version(registry):
    response = patch(
        registry, registry.id("provider_cu"), {"districts_served": ["MD-CU"], "legal_name": "AO Casa Speranței"}
    )
    assert (response.status_code, response.json["version"]) == (200, 1)
    assert registry.events() == []


def test_a_cso_cannot_edit_another_providers_profile_and_nothing_is_written(registry):
    response = patch(registry, registry.id("provider_ba"), {"phone": "+373 231 00000"})
    assert response.status_code == 403
    assert response.json["field"] == "provider_id"
    assert registry.events() == []


def test_a_cso_cannot_lift_its_own_suspension_naming_the_status_field(registry):
    response = patch(registry, registry.id("provider_cu"), {"status": "suspended"})
    assert response.status_code == 403
    assert response.json["field"] == "status"


def test_an_operator_suspending_a_provider_makes_it_invalid_everywhere_with_that_reason(registry):
    provider = registry.id("provider_cu")
    response = patch(registry, provider, {"status": "suspended"}, role="operator")
    assert (response.status_code, response.json["status"]) == (200, "suspended")
    assert registry.events()[0].payload["status"] == "suspended"
    query = {"provider_id": provider, "service_type": "home-care", "district_code": "MD-CU", "on": "2026-06-01"}
    answer = registry.client.get("/api/v1/accreditations/validity", query_string=query).json
    assert answer["valid"] is False and answer["reasons"] == ["provider is suspended"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"idno": "1003600099999"}, "idno"),
        ({"districts_served": ["MD-XX"]}, "districts_served"),
        ({"languages": ["fr"]}, "languages"),
        ({"email": "not-an-address"}, "email"),
        ({"status": "dormant"}, "status"),
        ({}, "_schema"),
    ],
)
def test_a_bad_profile_change_is_422_naming_the_field_and_nothing_is_written(registry, body, field):
    response = patch(registry, registry.id("provider_cu"), body, role="operator")
    assert response.status_code == 422
    assert field in str(response.json["errors"])
    assert registry.events() == []


def test_editing_a_provider_that_does_not_exist_is_404_for_an_operator(registry):
    assert patch(registry, 999, {"phone": "1"}, role="operator").status_code == 404


def test_the_register_filters_by_district_service_type_and_status_and_paginates(registry):
    listing = registry.client.get("/api/v1/providers", query_string={"service_type": "home-care"})
    # Only the Chișinău provider's home-care accreditation is active; the Bălți one is suspended.
    assert [p["id"] for p in listing.json] == [registry.id("provider_cu")]
    by_district = registry.client.get("/api/v1/providers", query_string={"district_code": "MD-BA"}).json
    assert [p["id"] for p in by_district] == [registry.id("provider_ba")]
    patch(registry, registry.id("provider_ba"), {"status": "suspended"}, role="operator")
    suspended = registry.client.get("/api/v1/providers", query_string={"status": "suspended"}).json
    assert [p["id"] for p in suspended] == [registry.id("provider_ba")]
    page = registry.client.get("/api/v1/providers", query_string={"page": 2, "page_size": 1})
    assert [p["id"] for p in page.json] == [registry.id("provider_ba")]
    assert '"total": 2' in page.headers["X-Pagination"]


def test_registering_a_provider_with_a_duplicate_idno_is_409_naming_idno(registry):
    body = {"idno": "1003600012345", "legal_name": "Alt nume", "districts_served": ["MD-CU"]}
    response = registry.client.post("/api/v1/providers", json=body, headers=registry.headers("operator"))
    assert (response.status_code, response.json["field"]) == (409, "idno")
