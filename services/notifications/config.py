"""Notifications settings from the environment: SMTP, retries, webhooks' reach, digests.

Each option is read from the environment variable of the same name; create_app's config (tests) may set the
same names. With SMTP_HOST unset (the embedded mode) e-mail is written as .eml files under VAR_DIR/mail/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _optional(value) -> str | None:
    return str(value) if value not in (None, "") else None


# environment variable -> (NotificationsSettings field, parser, default)
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
    # Where people open the portal: every notice links to the page where its recipient acts on it.
    "PORTAL_PUBLIC_URL": ("portal_url", str, None),
}

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class NotificationsSettings:
    """Notifications' own settings, parsed once from the environment (see OPTIONS for each one's variable)."""

    smtp_host: str | None
    smtp_port: int
    smtp_from: str
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    smtp_timeout: float
    max_attempts: int
    retry_base_seconds: float
    retry_cap_seconds: float
    lease_seconds: float
    batch_size: int
    webhook_timeout: float
    allow_private_webhooks: bool
    digest_hours: float
    operator_email: str | None
    portal_url: str
    mail_dir: Path
    templates_dir: Path

    @classmethod
    def from_env(cls, options: Mapping | None = None) -> NotificationsSettings:
        """``options`` (names as in OPTIONS, plus MAIL_DIR and TEMPLATES_DIR) win over the environment."""
        options = dict(options or {})
        values = {}
        for name, (key, parse, default) in OPTIONS.items():
            raw = options[name] if name in options else os.environ.get(name)
            values[key] = default if raw in (None, "") else parse(raw)
        # Without PORTAL_PUBLIC_URL, the portal of this machine (the embedded mode's, on PORTAL_PORT).
        values["portal_url"] = values["portal_url"] or f"http://127.0.0.1:{os.environ.get('PORTAL_PORT', '5000')}"
        return cls(
            **values,
            mail_dir=Path(options.get("MAIL_DIR") or var_dir() / "mail"),
            templates_dir=Path(options.get("TEMPLATES_DIR") or TEMPLATES_DIR),
        )


def notifications_settings(**overrides) -> ServiceSettings:
    return ServiceSettings.from_env("notifications", **overrides)
