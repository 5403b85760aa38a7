"""Notifications settings from the environment: SMTP, retries, webhooks' reach, digests.

Each option is read from the environment variable of the same name; create_app's config (tests) may set the
same names. With SMTP_HOST unset (the embedded mode) e-mail is written as .eml files under VAR_DIR/mail/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _optional(value) -> str | None:
    return str(value) if value not in (None, "") else None


# environment variable -> (settings.extra key, parser, default)
OPTIONS: dict[str, tuple[str, Callable, object]] = {
    "SMTP_HOST": ("smtp_host", _optional, None),
    "SMTP_PORT": ("smtp_port", int, 25),
    "SMTP_FROM": ("smtp_from", str, "no-reply@sscp.md"),
    "SMTP_USERNAME": ("smtp_username", _optional, None),
    "SMTP_PASSWORD": ("smtp_password", _optional, None),
    "SMTP_STARTTLS": ("smtp_starttls", _flag, False),
    "SMTP_TIMEOUT_SECONDS": ("smtp_timeout", float, 20.0),
    "NOTIFICATIONS_MAX_ATTEMPTS": ("max_attempts", int, 5),
    "NOTIFICATIONS_RETRY_BASE_SECONDS": ("retry_base_seconds", float, 30.0),
    "NOTIFICATIONS_RETRY_CAP_SECONDS": ("retry_cap_seconds", float, 3600.0),
    "NOTIFICATIONS_LEASE_SECONDS": ("lease_seconds", float, 300.0),
    "NOTIFICATIONS_BATCH_SIZE": ("batch_size", int, 20),
    "NOTIFICATIONS_WEBHOOK_TIMEOUT_SECONDS": ("webhook_timeout", float, 10.0),
    "NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS": ("allow_private_webhooks", _flag, False),
    "NOTIFICATIONS_DIGEST_HOURS": ("digest_hours", float, 24.0),
    "NOTIFICATIONS_OPERATOR_EMAIL": ("operator_email", _optional, None),
}

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def notifications_settings(options: Mapping | None = None, **overrides) -> ServiceSettings:
    """``options`` (names as in OPTIONS) win over the environment."""
    settings = ServiceSettings.from_env("notifications", **overrides)
    options = dict(options or {})
    for name, (key, parse, default) in OPTIONS.items():
        raw = options[name] if name in options else os.environ.get(name)
        settings.extra[key] = default if raw in (None, "") else parse(raw)
    settings.extra["mail_dir"] = Path(options.get("MAIL_DIR") or var_dir() / "mail")
    settings.extra["templates_dir"] = Path(options.get("TEMPLATES_DIR") or TEMPLATES_DIR)
    return settings
