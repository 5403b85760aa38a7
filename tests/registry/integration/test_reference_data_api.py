"""Reference data over HTTP: the 35 departments, their details, and service types operators add."""

from __future__ import annotations

LABELS = {
    "name_ro": "Angajare asistată",
    "name_ru": "Сопровождаемое трудоустройство",
    "name_en": "Supported employment",
}


def test_every_district_has_exactly_one_department_named_with_its_diacritics(registry):
    authorities = registry.client.get("/api/v1/authorities").json
    districts = {d["code"] for d in registry.client.get("/api/v1/districts").json}
    assert sorted(a["district_code"] for a in authorities) == sorted(districts)
    by_code = {a["district_code"]: a for a in authorities}
    assert by_code["MD-SV"]["name"] == "Direcția Asistență Socială și Protecție a Familiei Ștefan Vodă"
    assert by_code["MD-GA"]["address"] == "mun. Comrat"


def test_an_authority_fills_in_its_departments_contacts_but_not_another_districts(registry):
    headers = registry.headers("authority")
    body = {"email": "dgass@cmc.md", "phone": "+373 22 000 000"}
    response = registry.client.patch("/api/v1/authorities/MD-CU", json=body, headers=headers)
    assert (response.status_code, response.json["email"]) == (200, "dgass@cmc.md")
    assert registry.client.get("/api/v1/authorities/MD-CU").json["phone"] == "+373 22 000 000"
    other = registry.client.patch("/api/v1/authorities/MD-BA", json=body, headers=headers)
    assert (other.status_code, other.json["field"]) == (403, "district_code")


def test_a_department_edit_with_a_bad_email_is_422_naming_it(registry):
    response = registry.client.patch(
        "/api/v1/authorities/MD-CU", json={"email": "nope"}, headers=registry.headers("operator")
    )
    assert response.status_code == 422
    assert "email" in str(response.json["errors"])


def test_an_unknown_districts_department_is_404(registry):
    assert registry.client.get("/api/v1/authorities/MD-XX").status_code == 404


def test_an_operator_adds_a_service_type_that_can_then_be_accredited(registry):
    headers = registry.headers("operator")
    created = registry.client.post(
        "/api/v1/service-types", json={"code": "supported-employment", **LABELS}, headers=headers
    )
    assert created.status_code == 201
    assert "supported-employment" in {s["code"] for s in registry.client.get("/api/v1/service-types").json}
    grant = {
        "service_type": "supported-employment",
        "accrediting_body": "ANAS",
        "certificate_number": "SE-1",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
    }
    path = f"/api/v1/providers/{registry.id('provider_cu')}/accreditations"
    assert registry.client.post(path, json=grant, headers=headers).status_code == 201


def test_a_duplicate_or_malformed_service_type_code_is_refused_naming_code(registry):
    headers = registry.headers("operator")
    duplicate = registry.client.post("/api/v1/service-types", json={"code": "home-care", **LABELS}, headers=headers)
    assert (duplicate.status_code, duplicate.json["field"]) == (409, "code")
    malformed = registry.client.post("/api/v1/service-types", json={"code": "Home Care!", **LABELS}, headers=headers)
    assert malformed.status_code == 422
    assert "code" in str(malformed.json["errors"])
