"""Who is signed in, as the portal's pages need it: role, bindings, and when the access token must be renewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ROLES = ("cso", "authority", "evaluator", "operator")


@dataclass(frozen=True)
class Person:
    user_id: int
    email: str
    full_name: str | None
    role: str
    district_code: str | None
    provider_id: int | None

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @classmethod
    def from_user(cls, user: dict) -> Person:
        return cls(
            user_id=int(user["id"]),
            email=user["email"],
            full_name=user.get("full_name"),
            role=user["role"],
            district_code=user.get("district_code"),
            provider_id=user.get("provider_id"),
        )

    def as_session(self) -> dict:
        return {
            "id": self.user_id,
            "email": self.email,
            "full_name": self.full_name,
            "role": self.role,
            "district_code": self.district_code,
            "provider_id": self.provider_id,
        }


def token_expiry(now: datetime, expires_in_seconds: int) -> datetime:
    return now + timedelta(seconds=int(expires_in_seconds))


def needs_refresh(now: datetime, expires_at: datetime, margin_seconds: int) -> bool:
    """Renew while the token still works, early enough that a form being filled in is not lost."""
    return expires_at - now <= timedelta(seconds=margin_seconds)


def is_expired(now: datetime, expires_at: datetime) -> bool:
    return now >= expires_at


def safe_next(target: str | None) -> str | None:
    """Only a path on this site is followed after sign-in: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
