"""POST /auth/refresh: a valid token of an active account is renewed with the account as it is now, within the
session's longest life (SESSION_MAX_SECONDS); everything else is a 401 that sends the person back to sign in.

Tokens are stamped with real time (adapters/tokens.py), so old sessions and expired tokens are minted here with the
adapter and a past ``now``/``signed_in_at`` instead of moving the service's clock.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.registry.adapters.keys import KeyRing
from services.registry.adapters.orm import User
from services.registry.adapters.tokens import issue_access_token
from services.registry.config import RegistrySettings
from services.registry.entrypoints.api import create_app
from tests.registry.conftest import PASSWORD

REFRESH = "/api/v1/auth/refresh"
ISSUER, AUDIENCE = "sscp-registry", "sscp"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def mint(registry, account: str, issued_ago=timedelta(0), signed_in_ago=None, ttl_seconds: int = 900) -> str:
    """A token for a seeded account as the registry signs it, issued and signed in at moments in the past."""
    now = datetime.now(UTC)
    signed_in_at = now - signed_in_ago if signed_in_ago is not None else None
    with registry.context.session_factory() as session:
        user = session.get(User, registry.id(f"user_{account}"))
    key = KeyRing(registry.seed.keys_dir).signing_key()
    return issue_access_token(user, key, ttl_seconds, ISSUER, AUDIENCE, now=now - issued_ago, signed_in_at=signed_in_at)


def change_account(registry, account: str, **fields) -> None:
    with registry.context.session_factory() as session, session.begin():
        user = session.get(User, registry.id(f"user_{account}"))
        for name, value in fields.items():
            setattr(user, name, value)


def refresh(registry, token: str):
    return registry.client.post(REFRESH, json={}, headers=bearer(token))


def assert_sent_back_to_sign_in(response, says: str) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.is_json and response.json["code"] == 401
    assert says in response.json["message"]


def test_a_token_from_log_in_is_renewed_for_the_same_account_with_a_later_expiry_and_the_same_sign_in_time(registry):
    logged_in = registry.client.post("/api/v1/auth/token", json={"email": "cso@sscp.md", "password": PASSWORD}).json
    first = claims_of(logged_in["access_token"])
    assert first["auth_time"] == first["iat"], "a sign-in starts the session"
    # Issued five minutes ago, so the renewed token's expiry is later by the clock's seconds, not by luck.
    old = mint(registry, "cso", issued_ago=timedelta(minutes=5), signed_in_ago=timedelta(minutes=5))

    response = refresh(registry, old)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert set(response.json) == {"access_token", "token_type", "expires_in"}
    assert (response.json["token_type"], response.json["expires_in"]) == ("Bearer", 900)
    renewed, before = claims_of(response.json["access_token"]), claims_of(old)
    assert renewed["exp"] > before["exp"]
    assert (renewed["sub"], renewed["role"], renewed["provider_id"]) == (
        before["sub"],
        "cso",
        registry.id("provider_cu"),
    )
    assert renewed["auth_time"] == before["auth_time"], "a refresh does not restart the session"
    me = registry.client.get("/api/v1/users/me", headers=bearer(response.json["access_token"]))
    assert (me.status_code, me.json["email"]) == (200, "cso@sscp.md")


def test_a_renewed_token_can_itself_be_renewed_and_keeps_the_first_sign_in_time(registry):
    first = mint(registry, "evaluator", signed_in_ago=timedelta(hours=3))
    second = refresh(registry, first).json["access_token"]
    third = refresh(registry, second)
    assert third.status_code == 200
    assert claims_of(third.json["access_token"])["auth_time"] == claims_of(first)["auth_time"]


def test_a_deactivated_account_is_not_renewed_even_with_a_valid_token(registry):
    token = mint(registry, "cso")
    deactivated = registry.client.post(
        f"/api/v1/users/{registry.id('user_cso')}/deactivate", headers=registry.headers("operator")
    )
    assert deactivated.status_code == 200
    assert_sent_back_to_sign_in(refresh(registry, token), "deactivated")


def test_a_changed_role_is_what_the_renewed_token_carries_and_what_it_opens(registry):
    token = mint(registry, "authority")
    assert registry.client.get("/api/v1/users", headers=bearer(token)).status_code == 200
    change_account(registry, "authority", role="evaluator")

    response = refresh(registry, token)

    assert response.status_code == 200
    renewed = response.json["access_token"]
    assert (claims_of(renewed)["role"], claims_of(renewed)["district_code"]) == ("evaluator", "MD-CU")
    assert registry.client.get("/api/v1/users", headers=bearer(renewed)).status_code == 403


def test_a_cso_moved_to_another_provider_gets_the_new_provider_in_its_renewed_token(registry):
    token = mint(registry, "cso")
    change_account(registry, "cso", provider_id=registry.id("provider_ba"))
    renewed = claims_of(refresh(registry, token).json["access_token"])
    assert renewed["provider_id"] == registry.id("provider_ba")


def test_an_expired_token_is_refused_like_on_every_authenticated_endpoint(registry):
    expired = mint(registry, "cso", issued_ago=timedelta(hours=2), signed_in_ago=timedelta(hours=2))
    assert_sent_back_to_sign_in(refresh(registry, expired), "invalid token")


def test_a_token_signed_by_another_key_under_the_registrys_key_id_is_refused(registry):
    genuine = claims_of(mint(registry, "operator"))
    kid = KeyRing(registry.seed.keys_dir).signing_key().kid
    forged = jwt.encode(genuine, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid})
    assert_sent_back_to_sign_in(refresh(registry, forged), "invalid token")


def test_without_a_token_a_refresh_is_refused(registry):
    assert_sent_back_to_sign_in(registry.client.post(REFRESH), "needs a token")


def test_past_the_sessions_longest_life_a_valid_token_is_not_renewed_and_the_person_is_told_to_sign_in(registry):
    token = mint(registry, "cso", signed_in_ago=timedelta(hours=12, seconds=5))
    assert registry.client.get("/api/v1/users/me", headers=bearer(token)).status_code == 200, "the token still works"
    assert_sent_back_to_sign_in(refresh(registry, token), "sign in again")
    assert "12 hours" in refresh(registry, token).json["message"]


@pytest.fixture
def short_sessions(registry_seed, tmp_path, brokerless_bus_url):
    """A registry whose sessions last an hour and whose log-in allows two refusals a minute per address."""
    database = tmp_path / "registry.sqlite"
    shutil.copyfile(registry_seed.database, database)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "BUS_URL": brokerless_bus_url,
            "JWT_KEYS_DIR": str(registry_seed.keys_dir),
            "SESSION_MAX_SECONDS": "3600",
            "RATE_LIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT_PER_ADDRESS": "2 per minute",
        }
    )
    yield app
    app.extensions["service_context"].engine.dispose()


def test_near_the_end_of_the_session_the_renewed_token_expires_with_it_not_a_full_ttl_later(registry, short_sessions):
    token = mint(registry, "cso", signed_in_ago=timedelta(minutes=50))
    response = short_sessions.test_client().post(REFRESH, headers=bearer(token))
    assert response.status_code == 200
    assert 590 <= response.json["expires_in"] <= 600
    renewed = claims_of(response.json["access_token"])
    assert renewed["exp"] <= renewed["auth_time"] + 3600


def test_refused_refreshes_do_not_count_as_failed_log_ins(registry, short_sessions):
    client = short_sessions.test_client()
    too_old = mint(registry, "cso", signed_in_ago=timedelta(hours=2))
    for _ in range(3):
        assert client.post(REFRESH, headers=bearer(too_old)).status_code == 401
    log_in = client.post("/api/v1/auth/token", json={"email": "cso@sscp.md", "password": PASSWORD})
    assert log_in.status_code == 200
    wrong = {"email": "cso@sscp.md", "password": "not-the-password"}
    assert [client.post("/api/v1/auth/token", json=wrong).status_code for _ in range(3)] == [401, 401, 429], (
        "the log-in throttle is on: it just does not count refreshes"
    )


def test_the_sessions_longest_life_is_read_from_session_max_seconds_and_is_twelve_hours_by_default(monkeypatch):
    monkeypatch.delenv("SESSION_MAX_SECONDS", raising=False)
    assert RegistrySettings.from_env().session_max_seconds == 12 * 3600
    monkeypatch.setenv("SESSION_MAX_SECONDS", "1800")
    assert RegistrySettings.from_env().session_max_seconds == 1800
