"""The registry's HTTP API: create_app and its blueprints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, jsonify

from services.common.app import build_app
from services.common.auth import TokenVerifier
from services.registry.bootstrap import bootstrap
from services.registry.entrypoints.api import (
    accreditations,
    auth,
    authorities,
    providers,
    reference,
    reference_costs,
    users,
)
from services.registry.entrypoints.api.throttle import throttle_log_in

CONFIG_OVERRIDES = (
    ("database_url", "DATABASE_URL"),
    ("bus_url", "BUS_URL"),
    ("keys_dir", "JWT_KEYS_DIR"),
    ("token_ttl_seconds", "ACCESS_TOKEN_TTL_SECONDS"),
    ("session_max_seconds", "SESSION_MAX_SECONDS"),
    ("rate_limit_storage_uri", "RATE_LIMIT_STORAGE_URI"),
    ("login_limit_per_account", "LOGIN_RATE_LIMIT_PER_ACCOUNT"),
    ("login_limit_per_address", "LOGIN_RATE_LIMIT_PER_ADDRESS"),
)


def create_app(
    config: dict | None = None,
    token_verifier: TokenVerifier | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Flask:
    """The registry app; ``config`` may override DATABASE_URL, BUS_URL, JWT_KEYS_DIR, the token TTL, the session's
    longest life (SESSION_MAX_SECONDS) and the log-in throttle (RATE_LIMIT_STORAGE_URI,
    LOGIN_RATE_LIMIT_PER_ACCOUNT/_PER_ADDRESS, RATELIMIT_ENABLED) for tests.

    By default the registry verifies tokens against its own key ring; ``clock`` moves the service's time.
    """
    config = dict(config or {})
    overrides = {key: config.pop(name) for key, name in CONFIG_OVERRIDES if name in config}
    context = bootstrap(clock=clock, **overrides)
    app = build_app(
        context,
        "Registry — authorities, CSOs, accreditations, users",
        [
            reference.blp,
            reference_costs.blp,
            authorities.blp,
            providers.blp,
            accreditations.blp,
            users.blp,
            auth.blp,
            auth.refresh_blp,
        ],
        config,
        token_verifier=token_verifier or context.local_verifier(),
    )
    throttle_log_in(app, auth.blp, context.own_settings)

    @app.get("/.well-known/jwks.json")
    def jwks():
        """Public keys that verify the registry's tokens (every key still valid after a rotation)."""
        return jsonify(context.key_ring.jwks())

    return app
