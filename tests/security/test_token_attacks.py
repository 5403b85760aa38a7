"""Forged, expired and misdirected tokens are refused with 401 on every protected operation of every service.

The registry runs on loopback with its own key ring and is the only source of keys: contracting and
notifications fetch its JWKS over HTTP, as in production. A genuine token from its log-in opens all three
(the control); each forgery is built from that genuine token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from werkzeug.serving import make_server

from services.common.auth import InvalidToken, JwksKeySource, TokenVerifier
from services.registry.adapters.keys import KeyRing, SigningKey
from tests.security.fuzzing import INTERNALS
from tests.security.seeds import PASSWORD

JWKS_PATH = "/.well-known/jwks.json"


class CountingJwks:
    """WSGI middleware counting how often the JWKS was fetched."""

    def __init__(self, app) -> None:
        self.app, self.fetches = app, 0

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == JWKS_PATH:
            self.fetches += 1
        return self.app(environ, start_response)


@dataclass
class Platform:
    apps: dict
    registry: CountingJwks
    jwks_url: str
    key: SigningKey

    def log_in(self, name: str = "cso") -> str:
        body = {"email": f"{name}@sscp.md", "password": PASSWORD}
        response = self.apps["registry"].test_client().post("/api/v1/auth/token", json=body)
        assert response.status_code == 200, response.json
        return response.json["access_token"]


@pytest.fixture
def platform(make_service_app, monkeypatch):
    registry = make_service_app("registry", own_keys=True)
    counting = CountingJwks(registry)
    server = make_server("127.0.0.1", 0, counting, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    jwks_url = f"http://127.0.0.1:{server.server_port}{JWKS_PATH}"
    monkeypatch.setenv("JWKS_URL", jwks_url)
    apps = {"registry": registry}
    apps.update({name: make_service_app(name, own_keys=True) for name in ("contracting", "notifications")})
    key = KeyRing(registry.extensions["service_context"].own_settings.keys_dir).signing_key()
    yield Platform(apps, counting, jwks_url, key)
    server.shutdown()
    server.server_close()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(claims: dict, kid: str, secret: bytes) -> str:
    signing_input = (
        f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT', 'kid': kid}).encode())}.{b64(json.dumps(claims).encode())}"
    )
    return f"{signing_input}.{b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def forgeries(genuine: str, key: SigningKey) -> dict[str, str]:
    """Every way of getting in without the registry's say-so, each made from a genuine token."""
    claims = jwt.decode(genuine, options={"verify_signature": False})
    header, payload, signature = genuine.split(".")
    now = int(time.time())

    def signed(changes: dict, private_key=key.private_key, kid: str = key.kid, drop: str = "") -> str:
        body = {name: value for name, value in {**claims, **changes}.items() if name != drop}
        return jwt.encode(body, private_key, algorithm="EdDSA", headers={"kid": kid})

    public = key.public_key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    operator = {**claims, "role": "operator"}
    unsigned_header = b64(json.dumps({"alg": "none", "kid": key.kid}).encode())
    return {
        "alg none": f"{unsigned_header}.{b64(json.dumps(operator).encode())}.",
        "HS256 keyed with the raw public key": hs256(operator, key.kid, raw),
        "HS256 keyed with the PEM public key": hs256(operator, key.kid, pem),
        "HS256 keyed with the published JWK": hs256(operator, key.kid, json.dumps(key.public_jwk()).encode()),
        "expired": signed({"iat": now - 7200, "exp": now - 3600}),
        "issued in the future": signed({"iat": now + 3600, "exp": now + 7200}),
        "not valid before a future time": signed({"nbf": now + 3600}),
        "no expiry": signed({}, drop="exp"),
        "wrong issuer": signed({"iss": "https://evil.example/registry"}),
        "wrong audience": signed({"aud": "another-platform"}),
        "unknown role": signed({"role": "superuser"}),
        "claims edited after signing": f"{header}.{b64(json.dumps(operator).encode())}.{signature}",
        "signature stripped": f"{header}.{payload}.",
        "unknown key id": signed({}, private_key=Ed25519PrivateKey.generate(), kid="rogue-key"),
        "another key under the registry's key id": signed({}, private_key=Ed25519PrivateKey.generate()),
        "not a JWT": "bm90LmEudG9rZW4",
    }


def protected_operations(app) -> list[tuple[str, str]]:
    """(method, path) of every operation the OpenAPI document marks with roles, path parameters filled in."""
    document = app.test_client().get("/api/v1/openapi.json").json
    operations = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "x-roles" in operation:
                filled = path.replace("{district_code}", "MD-CU")
                while "{" in filled:
                    start = filled.index("{")
                    filled = filled[:start] + "1" + filled[filled.index("}", start) + 1 :]
                operations.append((method.upper(), filled))
    return operations


def test_a_genuine_token_from_the_registry_opens_every_service(platform):
    headers = {"Authorization": f"Bearer {platform.log_in('cso')}"}
    assert platform.apps["registry"].test_client().get("/api/v1/users/me", headers=headers).json["role"] == "cso"
    assert platform.apps["contracting"].test_client().get("/api/v1/tenders/2/bids", headers=headers).status_code == 200
    inbox = platform.apps["notifications"].test_client().get("/api/v1/inbox", headers=headers)
    assert inbox.status_code == 200 and inbox.json, "the seeded CSO has notices"


FORGERIES = list(forgeries("e30.e30.e30", SigningKey("names-only", Ed25519PrivateKey.generate())))


@pytest.mark.parametrize("forgery", FORGERIES)
def test_every_protected_operation_of_every_service_refuses_the_token_with_401(platform, forgery):
    token = forgeries(platform.log_in("cso"), platform.key)[forgery]
    headers = {"Authorization": f"Bearer {token}"}
    wrong = []
    for name, app in platform.apps.items():
        client = app.test_client()
        operations = protected_operations(app)
        assert len(operations) > 5, f"{name} documents its protected operations (x-roles)"
        for method, path in operations:
            response = client.open(path, method=method, headers=headers, json={} if method != "GET" else None)
            body = response.get_json(silent=True) or {}
            refused = response.status_code == 401 and body.get("code") == 401 and "message" in body
            if not refused or INTERNALS.search(response.get_data(as_text=True)):
                wrong.append(f"{name} {method} {path}: {response.status_code} {response.get_data(as_text=True)[:200]}")
    assert not wrong, "\n".join(wrong)


def test_made_up_key_ids_cannot_make_a_service_hammer_the_registry_for_keys(platform):
    client = platform.apps["contracting"].test_client()
    genuine = platform.log_in("cso")
    assert client.get("/api/v1/tenders/2/bids", headers={"Authorization": f"Bearer {genuine}"}).status_code == 200
    fetched = platform.registry.fetches
    for number in range(30):
        rogue = jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": f"k{number}"})
        assert client.get("/api/v1/tenders/2/bids", headers={"Authorization": f"Bearer {rogue}"}).status_code == 401
    assert platform.registry.fetches - fetched <= 1


def test_while_the_registry_is_down_services_keep_verifying_with_the_keys_they_have(platform):
    keys = JwksKeySource(platform.jwks_url, ttl=0, min_refetch_interval=0)
    verifier = TokenVerifier(keys, issuer="sscp-registry", audience="sscp")
    genuine = platform.log_in("cso")
    assert verifier.verify(genuine).provider_id == 1
    keys.jwks_url = "http://127.0.0.1:9/.well-known/jwks.json"  # nothing listens on the discard port
    assert verifier.verify(genuine).role == "cso"
    rogue = jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "rogue"})
    with pytest.raises(InvalidToken, match="cannot fetch signing keys"):
        verifier.verify(rogue)
