"""Signed access tokens (EdDSA JWTs) for users and service accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from services.registry.adapters.keys import SigningKey
from services.registry.adapters.orm import User


def issue_access_token(user: User, key: SigningKey, ttl_seconds: int, issuer: str, audience: str) -> str:
    now = datetime.now(UTC)
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
