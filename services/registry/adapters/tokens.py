"""Signed access tokens (EdDSA JWTs) for users and service accounts.

Tokens are stamped with the real time, not the service's injectable clock: every verifier checks ``exp``
against its own real clock, so a token minted on a moved clock would be refused (or accepted) wrongly.

Every token carries ``auth_time``: when the person signed in with their password. A refreshed token keeps it, so
the registry can refuse to refresh a session older than SESSION_MAX_SECONDS however often it was refreshed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from services.registry.adapters.keys import SigningKey
from services.registry.adapters.orm import User


def issue_access_token(
    user: User,
    key: SigningKey,
    ttl_seconds: int,
    issuer: str,
    audience: str,
    now: datetime | None = None,
    signed_in_at: datetime | None = None,
) -> str:
    """A token for ``user``'s current role and binding; ``signed_in_at`` (default: now, a fresh sign-in) is the
    session's start a refresh carries over."""
    now = now or datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        # A NumericDate (OpenID Connect's name for it): PyJWT converts datetimes only for exp, iat and nbf.
        "auth_time": int((signed_in_at or now).timestamp()),
    }
    if user.district_code:
        claims["district_code"] = user.district_code
    if user.provider_id:
        claims["provider_id"] = user.provider_id
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def session_start(verified_token: str) -> datetime | None:
    """When the session of a token the verifier has already accepted began: its ``auth_time``, else (a token from
    before the claim existed) its ``iat``; None when it carries neither.

    The signature is not checked again here: call this only with the very token the request was verified with."""
    claims = jwt.decode(verified_token, options={"verify_signature": False})
    for name in ("auth_time", "iat"):
        value = claims.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, UTC)
            except (OverflowError, OSError, ValueError):
                return None  # a time no calendar holds starts no session
    return None
