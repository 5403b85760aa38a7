"""Access tokens: what the registry accepts, what it refuses with 401, and key rotation without a refused token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.registry.adapters.keys import KeyRing
from services.registry.entrypoints.api import create_app
from tests.registry.conftest import PASSWORD

ME = "/api/v1/users/me"


@pytest.fixture
def keys(registry_seed, tmp_path) -> KeyRing:
    """A private copy of the seed's keys: these tests rotate and remove them."""
    directory = tmp_path / "keys"
    shutil.copytree(registry_seed.keys_dir, directory)
    return KeyRing(directory)


@pytest.fixture
def client(registry_seed, keys, tmp_path, brokerless_bus_url):
    database = tmp_path / "registry.sqlite"
    shutil.copyfile(registry_seed.database, database)
    config = {"DATABASE_URL": f"sqlite:///{database}", "BUS_URL": brokerless_bus_url}
    app = create_app({**config, "JWT_KEYS_DIR": str(keys.keys_dir)})
    yield app.test_client()
    app.extensions["service_context"].engine.dispose()


def log_in(client, email: str = "cso@sscp.md") -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    return response.json["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**overrides) -> dict:
    now = datetime.now(UTC)
    body = {"sub": "8", "role": "cso", "provider_id": 1, "iss": "sscp-registry", "aud": "sscp"}
    return {**body, "iat": int(now.timestamp()), "exp": int((now + timedelta(minutes=5)).timestamp()), **overrides}


def assert_refused(client, token: str) -> None:
    response = client.get(ME, headers=bearer(token))
    assert response.status_code == 401, response.get_data(as_text=True)
    assert "invalid token" in response.json["message"]


def test_a_token_from_log_in_opens_the_callers_own_account(client):
    response = client.get(ME, headers=bearer(log_in(client)))
    assert (response.status_code, response.json["email"]) == (200, "cso@sscp.md")


def test_an_expired_token_is_refused(client, keys):
    key = keys.signing_key()
    past = datetime.now(UTC) - timedelta(hours=2)
    expired = jwt.encode(
        claims(iat=int(past.timestamp()), exp=int((past + timedelta(minutes=15)).timestamp())),
        key.private_key,
        algorithm="EdDSA",
        headers={"kid": key.kid},
    )
    assert_refused(client, expired)


def test_a_token_signed_by_another_key_under_the_registrys_key_id_is_refused(client, keys):
    forged = jwt.encode(
        claims(), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": keys.signing_key().kid}
    )
    assert_refused(client, forged)


def test_a_token_whose_claims_were_edited_after_signing_is_refused(client):
    header, _payload, signature = log_in(client).split(".")
    promoted = b64(json.dumps(claims(role="operator")).encode())
    assert_refused(client, f"{header}.{promoted}.{signature}")


def test_an_unsigned_token_with_alg_none_is_refused(client):
    unsigned = f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims()).encode())}."
    assert_refused(client, unsigned)


@pytest.mark.parametrize("secret_form", ["pem", "raw"])
def test_an_hs256_token_keyed_with_the_published_public_key_is_refused(client, keys, secret_form):
    key = keys.signing_key()
    if secret_form == "pem":
        secret = key.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    else:
        secret = key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": key.kid}).encode())
    signing_input = f"{header}.{b64(json.dumps(claims(role='operator')).encode())}"
    signature = b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
    assert_refused(client, f"{signing_input}.{signature}")


@pytest.mark.parametrize("header", ["Bearer", "Basic b3BlcmF0b3I6eA==", "Bearer not.a.token"])
def test_a_missing_or_malformed_authorization_header_is_401(client, header):
    assert client.get(ME, headers={"Authorization": header}).status_code == 401
    assert client.get(ME).status_code == 401


def test_after_a_rotation_old_tokens_still_work_new_ones_use_the_new_key_and_both_keys_are_published(client, keys):
    old_token = log_in(client)
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    new_kid = keys.rotate().kid
    assert client.get(ME, headers=bearer(old_token)).status_code == 200
    new_token = log_in(client)
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    published = [key["kid"] for key in client.get("/.well-known/jwks.json").json["keys"]]
    assert published == [old_kid, new_kid]


def test_once_the_old_key_is_removed_its_tokens_are_refused_and_it_is_no_longer_published(client, keys):
    old_token = log_in(client)
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    keys.rotate()
    keys.remove(old_kid)
    assert_refused(client, old_token)
    assert old_kid not in {key["kid"] for key in client.get("/.well-known/jwks.json").json["keys"]}
    assert client.get(ME, headers=bearer(log_in(client))).status_code == 200


def test_the_current_signing_key_cannot_be_removed(keys):
    with pytest.raises(ValueError, match="current signing key"):
        keys.remove(keys.signing_key().kid)


def test_a_deactivated_account_gets_no_new_token(client):
    operator = bearer(log_in(client, "operator@sscp.md"))
    assert client.post("/api/v1/users/8/deactivate", headers=operator).status_code == 200
    response = client.post("/api/v1/auth/token", json={"email": "cso@sscp.md", "password": PASSWORD})
    assert (response.status_code, response.json["message"]) == (401, "wrong e-mail or password")


def test_removing_a_key_the_ring_does_not_hold_is_refused_and_removes_nothing(keys):
    before = [key.kid for key in keys.all_keys()]
    with pytest.raises(KeyError):
        keys.remove("../../etc/passwd")
    assert [key.kid for key in keys.all_keys()] == before
