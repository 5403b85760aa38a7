"""The notifications HTTP API: create_app and its blueprints."""

from __future__ import annotations

from flask import Flask

from services.common.app import build_app
from services.notifications.bootstrap import bootstrap
from services.notifications.config import OPTIONS
from services.notifications.entrypoints.api import contacts, deliveries, inbox, preferences, webhooks

OPTION_NAMES = (*OPTIONS, "MAIL_DIR", "TEMPLATES_DIR")


def create_app(config: dict | None = None, token_verifier=None, clock=None) -> Flask:
    """The notifications app; ``config`` may override DATABASE_URL, BUS_URL and any notifications option
    (e.g. NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS, SMTP_HOST) for tests."""
    config = dict(config or {})
    overrides = {
        key: config.pop(name)
        for key, name in (("database_url", "DATABASE_URL"), ("bus_url", "BUS_URL"))
        if name in config
    }
    options = {name: config.pop(name) for name in OPTION_NAMES if name in config}
    context = bootstrap(options, **overrides)
    if clock is not None:
        context.clock = clock
    return build_app(
        context,
        "Notifications — e-mail, inbox, webhooks",
        [deliveries.blp, inbox.blp, preferences.blp, webhooks.blp, contacts.blp],
        config,
        token_verifier,
    )
