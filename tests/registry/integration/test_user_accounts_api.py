"""Accounts over HTTP: operators manage all, an authority its own district's evaluators; inactive ones cannot log in."""

from __future__ import annotations

import jwt
import pytest

from tests.registry.conftest import PASSWORD


def create(registry, body: dict, role: str = "authority"):
    return registry.client.post("/api/v1/users", json=body, headers=registry.headers(role))


def log_in(registry, email: str, password: str = PASSWORD):
    return registry.client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_an_authority_creates_an_evaluator_of_its_district_who_can_log_in_with_that_district_in_the_token(registry):
    response = create(registry, {"email": "Ion.Popescu@cu.md", "password": PASSWORD, "role": "evaluator"})
    assert response.status_code == 201
    assert (response.json["email"], response.json["district_code"]) == ("ion.popescu@cu.md", "MD-CU")
    token = log_in(registry, "ion.popescu@cu.md").json["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["role"], claims["district_code"]) == ("evaluator", "MD-CU")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "operator"}, "role"),
        ({"role": "evaluator", "district_code": "MD-BA"}, "district_code"),
    ],
)
def test_an_authority_cannot_create_other_roles_or_evaluators_of_another_district(registry, body, field):
    response = create(registry, {"email": "x@cu.md", "password": PASSWORD, **body})
    assert (response.status_code, response.json["field"]) == (403, field)


def test_an_authority_lists_only_its_own_districts_evaluators(registry):
    listing = registry.client.get("/api/v1/users", headers=registry.headers("authority")).json
    assert {user["id"] for user in listing} == {registry.id("user_evaluator"), registry.id("user_evaluator_idle")}
    active = registry.client.get("/api/v1/users?active=true", headers=registry.headers("authority")).json
    assert [user["id"] for user in active] == [registry.id("user_evaluator")]


def test_an_operator_filters_accounts_by_role_and_district_and_gets_pagination(registry):
    response = registry.client.get(
        "/api/v1/users",
        query_string={"role": "evaluator", "district_code": "MD-BA"},
        headers=registry.headers("operator"),
    )
    assert [user["id"] for user in response.json] == [registry.id("user_evaluator_ba")]
    assert '"total": 1' in response.headers["X-Pagination"]


def test_another_districts_evaluator_does_not_exist_for_an_authority(registry):
    other = registry.id("user_evaluator_ba")
    headers = registry.headers("authority")
    assert registry.client.get(f"/api/v1/users/{other}", headers=headers).status_code == 404
    assert registry.client.post(f"/api/v1/users/{other}/deactivate", headers=headers).status_code == 404
    assert registry.client.get(f"/api/v1/users/{registry.id('user_operator')}", headers=headers).status_code == 404


def test_a_deactivated_evaluator_cannot_log_in_until_reactivated_and_a_second_deactivation_is_409(registry):
    evaluator, headers = registry.id("user_evaluator"), registry.headers("authority")
    assert registry.client.post(f"/api/v1/users/{evaluator}/deactivate", headers=headers).json["active"] is False
    assert log_in(registry, "evaluator@sscp.md").status_code == 401
    again = registry.client.post(f"/api/v1/users/{evaluator}/deactivate", headers=headers)
    assert again.status_code == 409
    assert (again.json["current_status"], again.json["allowed_transitions"]) == ("inactive", ["reactivate"])
    assert registry.client.post(f"/api/v1/users/{evaluator}/reactivate", headers=headers).json["active"] is True
    assert log_in(registry, "evaluator@sscp.md").status_code == 200


def test_an_operator_cannot_lock_themself_out(registry):
    me = registry.id("user_operator")
    response = registry.client.post(f"/api/v1/users/{me}/deactivate", headers=registry.headers("operator"))
    assert (response.status_code, response.json["field"]) == (409, "user_id")


def test_an_operator_creates_a_service_account_which_is_platform_wide(registry):
    body = {"email": "worker@sscp.md", "password": PASSWORD, "role": "service"}
    assert create(registry, body, role="operator").status_code == 201
    bound = create(registry, {**body, "email": "w2@sscp.md", "district_code": "MD-CU"}, role="operator")
    assert bound.status_code == 422
    assert "district_code" in bound.json["errors"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "operator@sscp.md"}, 409, "email"),
        ({"role": "cso", "provider_id": 999}, 422, "provider_id"),
        ({"role": "authority", "district_code": "MD-XX"}, 422, "district_code"),
        ({"role": "cso"}, 422, "provider_id"),
        ({"role": "wizard"}, 422, "role"),
        ({"password": "short"}, 422, "password"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field(registry, body, status, field):
    response = create(registry, {"email": "new@sscp.md", "password": PASSWORD, "role": "operator", **body}, "operator")
    assert response.status_code == status
    assert field in str(response.json.get("errors", response.json.get("field")))


def test_users_me_answers_with_the_callers_own_account(registry):
    response = registry.client.get("/api/v1/users/me", headers=registry.headers("cso"))
    assert (response.json["email"], response.json["provider_id"]) == ("cso@sscp.md", registry.id("provider_cu"))
