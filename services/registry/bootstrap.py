"""Builds the registry: its context (database, outbox), its key ring and the tokens it signs with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from services.common.bootstrap import ServiceContext
from services.common.tokens import InvalidToken, TokenVerifier
from services.registry.adapters import throttle_storage  # noqa: F401 (registers the log-in throttle's sqla+… stores)
from services.registry.adapters.orm import OutboxMessage, User
from services.registry.config import RegistrySettings, registry_settings

if TYPE_CHECKING:
    from services.registry.adapters.keys import KeyRing

# The key ring and the token issuer (cryptography, PyJWT: ~20 MB) are imported where they are used: the registry's
# API and CLI sign tokens, its outbox relay builds this context too and never does.


@dataclass
class RegistryContext(ServiceContext):
    own_settings: RegistrySettings = field(kw_only=True)

    @property
    def key_ring(self) -> KeyRing:
        from services.registry.adapters.keys import KeyRing

        return KeyRing(self.own_settings.keys_dir)

    def access_token(self, user: User, signed_in_at: datetime | None = None, ttl_seconds: int | None = None) -> str:
        """A signed access token for ``user``, valid for ``ttl_seconds`` (default: the configured TTL), with the
        current signing key; ``signed_in_at`` is a refreshed session's start (default: now, a fresh sign-in)."""
        from services.registry.adapters.tokens import issue_access_token

        settings = self.settings
        ttl = self.own_settings.token_ttl_seconds if ttl_seconds is None else ttl_seconds
        return issue_access_token(
            user,
            self.key_ring.signing_key(),
            ttl,
            settings.token_issuer,
            settings.token_audience,
            signed_in_at=signed_in_at,
        )

    def session_start(self, verified_token: str) -> datetime | None:
        """When the session of an already verified token began (its auth_time), for POST /auth/refresh."""
        from services.registry.adapters.tokens import session_start

        return session_start(verified_token)

    def local_verifier(self) -> TokenVerifier:
        """The registry checks its own tokens against its own keys, without an HTTP round trip."""
        return TokenVerifier(KeyRingKeySource(self.key_ring), self.settings.token_issuer, self.settings.token_audience)


class KeyRingKeySource:
    """Reads the key directory on each lookup, so a rotation is seen at once by every worker."""

    def __init__(self, key_ring: KeyRing) -> None:
        self.key_ring = key_ring

    def key_for(self, kid: str):
        for key in self.key_ring.all_keys():
            if key.kid == kid:
                return key.public_key
        raise InvalidToken(f"unknown signing key {kid!r}")


def bootstrap(clock: Callable[[], datetime] | None = None, **overrides) -> RegistryContext:
    own = {name: overrides.pop(name) for name in RegistrySettings.__dataclass_fields__ if name in overrides}
    own_settings = RegistrySettings.from_env(**own)
    context = RegistryContext(registry_settings(**overrides), OutboxMessage, own_settings=own_settings)
    if clock is not None:
        context.clock = clock
    return context
