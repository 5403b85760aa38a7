"""Tokens, without the web: who calls (Principal) and how a token is verified (the registry signs, everyone else
checks against its JWKS). The request side (current_principal, require_roles) is services/common/auth.py.

Tokens are EdDSA-signed JWTs with claims sub, role, district_code or provider_id, iss, aud, exp. The public
keys are fetched from the registry's /.well-known/jwks.json and cached; an unknown key id triggers one
refetch (at most one per 10 s), so a rotated key is picked up without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

ROLES = ("operator", "authority", "evaluator", "cso", "service")
ALGORITHMS = ["EdDSA"]


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the token says."""

    subject: str
    role: str
    district_code: str | None = None
    provider_id: int | None = None

    @classmethod
    def from_claims(cls, claims: dict) -> Principal:
        return cls(
            subject=str(claims["sub"]),
            role=claims["role"],
            district_code=claims.get("district_code"),
            provider_id=claims.get("provider_id"),
        )


class InvalidToken(Exception):
    pass


class JwksKeySource:
    """Public keys by key id from a JWKS URL, cached for ``ttl`` seconds.

    The registry is asked at most once per ``min_refetch_interval``: tokens with made-up key ids cannot turn
    each request into a call to the registry (and a wait on this lock). While the registry cannot be reached,
    the keys already fetched keep verifying, so a registry outage does not log everyone out.
    """

    def __init__(self, jwks_url: str, ttl: float = 300.0, min_refetch_interval: float = 10.0) -> None:
        self.jwks_url = jwks_url
        self.ttl = ttl
        self.min_refetch_interval = min_refetch_interval
        self._keys: dict[str, object] = {}
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._lock = threading.Lock()

    def key_for(self, kid: str):
        with self._lock:
            now = time.monotonic()
            wanted = kid not in self._keys or now - self._fetched_at > self.ttl
            if wanted and now - self._attempted_at >= self.min_refetch_interval:
                self._attempted_at = now
                try:
                    self._refresh()
                except InvalidToken:
                    if kid not in self._keys:
                        raise
                    log.warning("cannot refresh signing keys from %s; using the cached ones", self.jwks_url)
            if kid not in self._keys:
                raise InvalidToken(f"unknown signing key {kid!r}")
            return self._keys[kid]

    def _refresh(self) -> None:
        # Imported here and in verify(): only the web processes verify tokens, not the relays and consumers.
        import httpx
        import jwt

        try:
            document = httpx.get(self.jwks_url, timeout=5).raise_for_status().json()
        except (httpx.HTTPError, ValueError) as exc:
            raise InvalidToken(f"cannot fetch signing keys from the registry: {exc}") from exc
        self._keys = {jwk["kid"]: jwt.PyJWK(jwk).key for jwk in document.get("keys", [])}
        self._fetched_at = time.monotonic()


class StaticKeySource:
    """Keys handed over directly (the registry itself, and tests)."""

    def __init__(self, keys: dict[str, object]) -> None:
        self._keys = keys

    def key_for(self, kid: str):
        if kid not in self._keys:
            raise InvalidToken(f"unknown signing key {kid!r}")
        return self._keys[kid]


class TokenVerifier:
    """Checks a token's signature, issuer, audience and expiry, and names its caller.

    A token verified once is remembered until it expires (at most ``cache_size`` of them): a CSO's browser or
    client sends the same token with every request, and its signature check and claims parsing were 6 % of a bid
    under load (bench/README.md, "api"). A remembered token is still refused once it has expired, or once the key
    source no longer has its signing key (a key removed from the registry's ring)."""

    def __init__(self, key_source, issuer: str, audience: str, cache_size: int = 4096) -> None:
        self.key_source = key_source
        self.issuer = issuer
        self.audience = audience
        self.cache_size = cache_size
        self._verified: dict[str, _Verified] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and time.time() < known.expires_at and self._still_signing(known.kid):
            return known.principal
        verified = self._verify(token)
        with self._lock:
            if len(self._verified) >= self.cache_size:
                del self._verified[next(iter(self._verified))]  # the oldest first
            self._verified[token] = verified
        return verified.principal

    def _still_signing(self, kid: str) -> bool:
        try:
            self.key_source.key_for(kid)
        except InvalidToken:
            return False
        return True

    def _verify(self, token: str) -> _Verified:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALGORITHMS:
                raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
            kid = header.get("kid", "")
            key = self.key_source.key_for(kid)
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if claims.get("role") not in ROLES:
            raise InvalidToken("token has no known role")
        return _Verified(Principal.from_claims(claims), float(claims["exp"]), kid)


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    expires_at: float  # the token's exp, seconds since the epoch (PyJWT checks it against time.time() too)
    kid: str
