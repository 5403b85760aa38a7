"""The token verifier remembers a token it has verified, and still refuses it once it expires or its key goes."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.common.tokens import InvalidToken, StaticKeySource, TokenVerifier

KID = "k1"


class RemovableKeys(StaticKeySource):
    """Static keys, any of which can be taken away (as the registry removes a key from its ring)."""

    def __init__(self, keys: dict) -> None:
        super().__init__(keys)
        self.removed: set[str] = set()

    def key_for(self, kid: str):
        if kid in self.removed:
            raise InvalidToken(f"unknown signing key {kid!r}")
        return super().key_for(kid)


@pytest.fixture
def signing():
    private_key = Ed25519PrivateKey.generate()
    keys = RemovableKeys({KID: private_key.public_key()})
    return private_key, keys


def token(private_key, exp: float, **claims) -> str:
    body = {"sub": "7", "role": "cso", "provider_id": 7, "iss": "iss", "aud": "aud", "exp": int(exp)} | claims
    return jwt.encode(body, private_key, algorithm="EdDSA", headers={"kid": KID})


def test_a_token_is_checked_once_and_then_named_from_memory(signing, monkeypatch):
    private_key, keys = signing
    verifier = TokenVerifier(keys, "iss", "aud")
    genuine = token(private_key, time.time() + 300)
    decoded = []
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decoded.append(1) or jwt.api_jwt.decode(*a, **k))
    principals = {verifier.verify(genuine) for _ in range(5)}
    assert len(decoded) == 1 and {(p.role, p.provider_id) for p in principals} == {("cso", 7)}


def test_a_remembered_token_is_refused_once_it_has_expired(signing):
    private_key, keys = signing
    verifier = TokenVerifier(keys, "iss", "aud")
    expires = int(time.time()) + 1
    short_lived = token(private_key, expires)
    assert verifier.verify(short_lived).subject == "7"
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(short_lived)


def test_a_remembered_token_is_refused_once_its_signing_key_is_removed(signing):
    private_key, keys = signing
    verifier = TokenVerifier(keys, "iss", "aud")
    genuine = token(private_key, time.time() + 300)
    assert verifier.verify(genuine).role == "cso"
    keys.removed.add(KID)
    with pytest.raises(InvalidToken, match="unknown signing key"):
        verifier.verify(genuine)


def test_a_forged_token_is_never_remembered_and_the_memory_keeps_to_its_size(signing):
    private_key, keys = signing
    verifier = TokenVerifier(keys, "iss", "aud", cache_size=3)
    forged = token(Ed25519PrivateKey.generate(), time.time() + 300)
    for _ in range(2):
        with pytest.raises(InvalidToken, match="Signature verification failed"):
            verifier.verify(forged)
    for subject in range(5):
        verifier.verify(token(private_key, time.time() + 300, sub=str(subject)))
    assert len(verifier._verified) == 3
