"""The notifications HTTP API: create_app and its blueprints."""

from __future__ import annotations

from flask import Flask

from services.common.bootstrap import build_app
from services.notifications.bootstrap import bootstrap
from services.notifications.entrypoints.api import deliveries


def create_app(config: dict | None = None, token_verifier=None) -> Flask:
    """The notifications app; ``config`` may override DATABASE_URL and BUS_URL for tests."""
    config = dict(config or {})
    overrides = {
        key: config.pop(name)
        for key, name in (("database_url", "DATABASE_URL"), ("bus_url", "BUS_URL"))
        if name in config
    }
    context = bootstrap(**overrides)
    return build_app(context, "Notifications — e-mail, inbox, webhooks", [deliveries.blp], config, token_verifier)
