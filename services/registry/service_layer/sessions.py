"""Token refresh: a valid token of an active account is renewed with the account's current role and binding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from services.common.errors import DomainError
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import User
from services.registry.config import RegistrySettings
from services.registry.domain.sessions import SessionTooOld, refreshed_token_ttl


class SessionRefused(DomainError):
    """The token was valid but cannot be renewed (401): the person must sign in again."""

    status_code = 401


@dataclass(frozen=True)
class RenewedSession:
    """What the new token is signed for: the account as it is now, the session's original start, its lifetime."""

    user: User
    signed_in_at: datetime
    ttl_seconds: int


def renew_session(
    uow: UnitOfWork,
    subject: str,
    signed_in_at: datetime | None,
    settings: RegistrySettings,
    now: datetime | None = None,
) -> RenewedSession:
    """Re-read the token's account, so a deactivated account or a changed role is never renewed into old claims.

    ``now`` is real time by default, not the service's clock: tokens are stamped and checked on real time."""
    now = now or datetime.now(UTC)
    if signed_in_at is None:
        raise SessionRefused("the token does not say when its session began: sign in again with your password")
    with uow:
        user = uow.session.get(User, int(subject)) if subject.isdecimal() else None
        if user is None or not user.active:
            raise SessionRefused("the account is deactivated or does not exist: its token cannot be renewed")
        try:
            ttl = refreshed_token_ttl(signed_in_at, now, settings.token_ttl_seconds, settings.session_max_seconds)
        except SessionTooOld as exc:
            raise SessionRefused(str(exc)) from exc
        return RenewedSession(user, signed_in_at, ttl)
