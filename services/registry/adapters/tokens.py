"""Signed access tokens (EdDSA JWTs) for users and service accounts.

Tokens are stamped with the real time, not the service's injectable clock: every verifier checks ``exp``
against its own real clock, so a token minted on a moved clock would be refused (or accepted) wrongly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from services.registry.adapters.keys import SigningKey
from services.registry.adapters.orm import User


def issue_access_token(
    user: User, key: SigningKey, ttl_seconds: int, issuer: str, audience: str, now: datetime | None = None
) -> str:
    now = now or datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
    }
    if user.district_code:
        claims["district_code"] = user.district_code
    if user.provider_id:
        claims["provider_id"] = user.provider_id
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
