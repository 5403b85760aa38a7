"""Every registry endpoint called by every role and by an anonymous caller, with the status each must get."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.registry.conftest import PASSWORD

ROLES = ("operator", "authority", "evaluator", "cso", "service", "anonymous")
PUBLIC = dict.fromkeys(ROLES, 200)


def only(allowed: dict[str, int]) -> dict[str, int]:
    """The allowed roles get their status; the other roles 403, an anonymous caller 401."""
    return {role: allowed.get(role, 401 if role == "anonymous" else 403) for role in ROLES}


@dataclass(frozen=True)
class Call:
    method: str
    rule: str
    path: str
    expected: dict[str, int]
    body: dict | None = None


def calls(ids: dict[str, int]) -> list[Call]:
    provider, accreditation, suspended = ids["provider_cu"], ids["accreditation_cu"], ids["accreditation_ba"]
    evaluator, idle = ids["user_evaluator"], ids["user_evaluator_idle"]
    labels = {"name_ro": "Angajare asistată", "name_ru": "Сопровождаемое трудоустройство", "name_en": "Supported job"}
    new_provider = {"idno": "1003600099999", "legal_name": "AO Nou", "districts_served": ["MD-CU"]}
    new_accreditation = {
        "service_type": "day-centre",
        "accrediting_body": "ANAS",
        "certificate_number": "DC-9",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
    }
    new_evaluator = {
        "email": "new.evaluator@cu.md",
        "password": PASSWORD,
        "role": "evaluator",
        "district_code": "MD-CU",
    }
    validity = f"provider_id={provider}&service_type=home-care&district_code=MD-CU&on=2026-06-01"
    return [
        Call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", PUBLIC),
        Call("GET", "/.well-known/jwks.json", "/.well-known/jwks.json", PUBLIC),
        Call(
            "POST", "/api/v1/auth/token", "/api/v1/auth/token", PUBLIC, {"email": "cso@sscp.md", "password": PASSWORD}
        ),
        Call("POST", "/api/v1/auth/refresh", "/api/v1/auth/refresh", {**dict.fromkeys(ROLES, 200), "anonymous": 401}),
        Call("GET", "/api/v1/districts", "/api/v1/districts", PUBLIC),
        Call("GET", "/api/v1/service-types", "/api/v1/service-types", PUBLIC),
        Call(
            "POST",
            "/api/v1/service-types",
            "/api/v1/service-types",
            only({"operator": 201}),
            {"code": "supported-job", **labels},
        ),
        Call("GET", "/api/v1/reference-costs", "/api/v1/reference-costs", PUBLIC),
        Call(
            "PUT",
            "/api/v1/reference-costs/<service_type>/<district_code>/<int:year>",
            "/api/v1/reference-costs/home-care/*/2027",
            only({"operator": 200}),
            {"amount": "9500.00", "source": "Decizia nr. 5/12 din 14.11.2026"},
        ),
        Call("GET", "/api/v1/authorities", "/api/v1/authorities", PUBLIC),
        Call("GET", "/api/v1/authorities/<district_code>", "/api/v1/authorities/MD-CU", PUBLIC),
        Call(
            "PATCH",
            "/api/v1/authorities/<district_code>",
            "/api/v1/authorities/MD-CU",
            only({"operator": 200, "authority": 200}),
            {"phone": "+373 22 000 000"},
        ),
        Call("GET", "/api/v1/providers", "/api/v1/providers", PUBLIC),
        Call("POST", "/api/v1/providers", "/api/v1/providers", only({"operator": 201}), new_provider),
        Call("GET", "/api/v1/providers/<int:provider_id>", f"/api/v1/providers/{provider}", PUBLIC),
        Call(
            "PATCH",
            "/api/v1/providers/<int:provider_id>",
            f"/api/v1/providers/{provider}",
            only({"operator": 200, "cso": 200}),
            {"phone": "+373 69 000 000"},
        ),
        Call(
            "POST",
            "/api/v1/providers/<int:provider_id>/accreditations",
            f"/api/v1/providers/{provider}/accreditations",
            only({"operator": 201}),
            new_accreditation,
        ),
        Call("GET", "/api/v1/accreditations", "/api/v1/accreditations", PUBLIC),
        Call(
            "GET",
            "/api/v1/accreditations/<int:accreditation_id>",
            f"/api/v1/accreditations/{accreditation}",
            PUBLIC,
        ),
        Call("GET", "/api/v1/accreditations/validity", f"/api/v1/accreditations/validity?{validity}", PUBLIC),
        Call(
            "POST",
            "/api/v1/accreditations/<int:accreditation_id>/renew",
            f"/api/v1/accreditations/{accreditation}/renew",
            only({"operator": 200}),
            {"valid_to": "2031-12-31"},
        ),
        Call(
            "POST",
            "/api/v1/accreditations/<int:accreditation_id>/suspend",
            f"/api/v1/accreditations/{accreditation}/suspend",
            only({"operator": 200}),
            {"reason": "inspection found gaps"},
        ),
        Call(
            "POST",
            "/api/v1/accreditations/<int:accreditation_id>/reinstate",
            f"/api/v1/accreditations/{suspended}/reinstate",
            only({"operator": 200}),
            {},
        ),
        Call(
            "POST",
            "/api/v1/accreditations/<int:accreditation_id>/revoke",
            f"/api/v1/accreditations/{accreditation}/revoke",
            only({"operator": 200}),
            {"reason": "licence withdrawn"},
        ),
        Call(
            "POST",
            "/api/v1/accreditations/expiry-check",
            "/api/v1/accreditations/expiry-check",
            only({"operator": 200, "service": 200}),
        ),
        Call("GET", "/api/v1/users", "/api/v1/users", only({"operator": 200, "authority": 200})),
        Call("POST", "/api/v1/users", "/api/v1/users", only({"operator": 201, "authority": 201}), new_evaluator),
        Call("GET", "/api/v1/users/me", "/api/v1/users/me", {**dict.fromkeys(ROLES, 200), "anonymous": 401}),
        Call(
            "GET",
            "/api/v1/users/<int:user_id>",
            f"/api/v1/users/{evaluator}",
            only({"operator": 200, "authority": 200}),
        ),
        Call(
            "POST",
            "/api/v1/users/<int:user_id>/deactivate",
            f"/api/v1/users/{evaluator}/deactivate",
            only({"operator": 200, "authority": 200}),
        ),
        Call(
            "POST",
            "/api/v1/users/<int:user_id>/reactivate",
            f"/api/v1/users/{idle}/reactivate",
            only({"operator": 200, "authority": 200}),
        ),
    ]


# Ids are fixed by the seed's order of creation; the matrix is built from them at collection time.
SEED_IDS = {
    "provider_cu": 1,
    "provider_ba": 2,
    "accreditation_cu": 1,
    "accreditation_ba": 2,
    "user_evaluator": 5,
    "user_evaluator_idle": 6,
}
CELLS = [(call, role) for call in calls(SEED_IDS) for role in ROLES]


def test_the_matrix_covers_every_api_endpoint_of_the_registry(registry):
    assert {name: registry.id(name) for name in SEED_IDS} == SEED_IDS
    served = {
        (method, rule.rule)
        for rule in registry.app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v1/", "/.well-known/"))
        and not rule.rule.startswith(("/api/v1/docs", "/api/v1/openapi.json"))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(call.method, call.rule) for call in calls(SEED_IDS)} - {("GET", "/api/v1/openapi.json")}
    assert served == covered


@pytest.mark.parametrize(
    ("call", "role"), CELLS, ids=[f"{call.method} {call.path.split('?')[0]} as {role}" for call, role in CELLS]
)
def test_each_endpoint_answers_each_role_with_its_status(registry, call, role):
    response = registry.client.open(call.path, method=call.method, json=call.body, headers=registry.headers(role))
    assert response.status_code == call.expected[role], response.get_data(as_text=True)
    assert response.is_json
