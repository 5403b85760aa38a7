"""The registry's HTTP API: create_app and its blueprints."""

from __future__ import annotations

from flask import Flask, jsonify

from services.common.bootstrap import build_app
from services.registry.bootstrap import bootstrap
from services.registry.entrypoints.api import auth, providers, reference, users


def create_app(config: dict | None = None) -> Flask:
    """The registry app; ``config`` may override DATABASE_URL, BUS_URL and JWT_KEYS_DIR for tests."""
    config = dict(config or {})
    overrides = {
        key: config.pop(name)
        for key, name in (
            ("database_url", "DATABASE_URL"),
            ("bus_url", "BUS_URL"),
            ("keys_dir", "JWT_KEYS_DIR"),
        )
        if name in config
    }
    context = bootstrap(**overrides)
    app = build_app(
        context,
        "Registry — authorities, CSOs, accreditations, users",
        [reference.blp, providers.blp, users.blp, auth.blp],
        config,
        token_verifier=context.local_verifier(),
    )

    @app.get("/.well-known/jwks.json")
    def jwks():
        """Public keys that verify the registry's tokens (every key still valid after a rotation)."""
        return jsonify(context.key_ring.jwks())

    return app
