"""The registry's HTTP API on its real migrated database: the register, log-in, and refusals with clear errors."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from services.common.call import Call
from services.registry.adapters.orm import OutboxMessage
from services.registry.entrypoints.api import create_app
from services.registry.service_layer.commands import CreateUser
from services.registry.service_layer.handlers import create_user
from tests.conftest import migrated_sqlite_url

OPERATOR = {"email": "operator@example.md", "password": "correct-horse-battery", "role": "operator"}
PROVIDER = {"idno": "1003600012345", "legal_name": "AO Casa Speranței", "districts_served": ["MD-CU", "MD-BA"]}


@pytest.fixture
def app(tmp_path, brokerless_bus_url):
    url = migrated_sqlite_url("registry", tmp_path)
    app = create_app({"DATABASE_URL": url, "BUS_URL": brokerless_bus_url, "JWT_KEYS_DIR": str(tmp_path / "keys")})
    context = app.extensions["service_context"]
    with context.session_factory.begin() as session:
        # The migrations announce the nomenclature (service_type.added); each test asserts on its own events.
        session.execute(delete(OutboxMessage))
    create_user(Call(context.uow(), None, context.clock()), CreateUser(**OPERATOR))
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def operator(client):
    response = client.post("/api/v1/auth/token", json={"email": OPERATOR["email"], "password": OPERATOR["password"]})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def outbox_types(app) -> list[str]:
    with app.extensions["service_context"].session_factory() as session:
        return list(session.scalars(select(OutboxMessage.event_type).order_by(OutboxMessage.id)))


def test_the_35_districts_are_public_with_romanian_diacritics_intact(client):
    response = client.get("/api/v1/districts")
    assert response.status_code == 200
    names = {district["code"]: district["name_ro"] for district in response.json}
    assert len(names) == 35
    assert names["MD-CU"] == "Chișinău" and names["MD-SV"] == "Ștefan Vodă" and names["MD-GA"] == "Găgăuzia"


def test_registering_a_provider_commits_it_with_its_provider_registered_event(app, client, operator):
    response = client.post("/api/v1/providers", json=PROVIDER, headers=operator)
    assert response.status_code == 201
    assert response.json["idno"] == PROVIDER["idno"]
    assert outbox_types(app) == ["provider.registered"]


def test_granting_an_accreditation_emits_accreditation_granted(app, client, operator):
    provider = client.post("/api/v1/providers", json=PROVIDER, headers=operator).json
    body = {
        "service_type": "home-care",
        "accrediting_body": "ANAS",
        "certificate_number": "A-1",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
    }
    response = client.post(f"/api/v1/providers/{provider['id']}/accreditations", json=body, headers=operator)
    assert response.status_code == 201
    assert outbox_types(app) == ["provider.registered", "accreditation.granted"]
    assert client.get(f"/api/v1/providers/{provider['id']}").json["accreditations"][0]["certificate_number"] == "A-1"


def test_a_duplicate_idno_is_refused_with_409_naming_the_field_and_nothing_is_written(app, client, operator):
    client.post("/api/v1/providers", json=PROVIDER, headers=operator)
    response = client.post("/api/v1/providers", json={**PROVIDER, "legal_name": "Alt nume"}, headers=operator)
    assert response.status_code == 409
    assert response.json["field"] == "idno"
    assert outbox_types(app) == ["provider.registered"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"idno": "12345"}, "idno"),
        ({"districts_served": ["MD-XX"]}, "districts_served"),
    ],
)
def test_malformed_provider_input_is_refused_with_422_naming_the_field(client, operator, change, field):
    response = client.post("/api/v1/providers", json={**PROVIDER, **change}, headers=operator)
    assert response.status_code == 422
    assert field in str(response.json["errors"])


def test_an_accreditation_ending_before_it_starts_is_refused_with_422(client, operator):
    provider = client.post("/api/v1/providers", json=PROVIDER, headers=operator).json
    body = {
        "service_type": "home-care",
        "accrediting_body": "ANAS",
        "certificate_number": "A-2",
        "valid_from": "2026-01-01",
        "valid_to": "2025-01-01",
    }
    response = client.post(f"/api/v1/providers/{provider['id']}/accreditations", json=body, headers=operator)
    assert response.status_code == 422
    assert "valid_to" in response.json["errors"]


def test_writes_without_a_token_are_401_and_with_the_wrong_role_403(client, app):
    assert client.post("/api/v1/providers", json=PROVIDER).status_code == 401
    assert client.post("/api/v1/providers", json=PROVIDER, headers={"Authorization": "Bearer x.y.z"}).status_code == 401
    context = app.extensions["service_context"]
    create_user(
        Call(context.uow(), None, context.clock()),
        CreateUser(email="a@cu.md", password="authority-pass-1", role="authority", district_code="MD-CU"),
    )
    token = client.post("/api/v1/auth/token", json={"email": "a@cu.md", "password": "authority-pass-1"}).json
    response = client.post(
        "/api/v1/providers", json=PROVIDER, headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert response.status_code == 403
    assert "operator" in response.json["message"]


def test_a_wrong_password_gets_401_without_saying_which_part_was_wrong(client):
    response = client.post("/api/v1/auth/token", json={"email": OPERATOR["email"], "password": "nope"})
    assert response.status_code == 401
    assert response.json["message"] == "wrong e-mail or password"


def test_the_jwks_publishes_the_key_that_signed_the_token(client, operator):
    import jwt

    keys = client.get("/.well-known/jwks.json").json["keys"]
    kid = jwt.get_unverified_header(operator["Authorization"].split()[1])["kid"]
    assert kid in {key["kid"] for key in keys}
    assert all("d" not in key for key in keys), "a private key component must never be published"


def test_health_readiness_and_the_openapi_document_answer(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == ["database", "bus"]
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/api/v1/providers" in spec["paths"]


def test_readiness_is_503_naming_the_database_when_it_is_unreachable(tmp_path, brokerless_bus_url):
    app = create_app(
        {
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
            "BUS_URL": brokerless_bus_url,
            "JWT_KEYS_DIR": str(tmp_path),
        }
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "database" in response.json["failures"] and "bus" not in response.json["failures"]


def test_unknown_routes_answer_json_not_html(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404 and response.is_json
