"""Portal settings from the environment: where the three APIs are, the session's secret and cookie, languages.

The embedded mode (no PORTAL_SECRET_KEY in the environment) keeps a generated secret under VAR_DIR/secrets and
sends its cookie over plain http on 127.0.0.1; a deployment passes PORTAL_SECRET_KEY, and then the cookie is
``Secure`` unless PORTAL_SECURE_COOKIES=0 says otherwise (a TLS-terminating proxy in front is assumed).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from services.common.settings import embedded_secret, prefect_api_url, service_url

LANGUAGES = ("ro", "ru", "en")
DEFAULT_LANGUAGE = "ro"
TIMEZONE = "Europe/Chisinau"


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class PortalSettings:
    """Read once at start; ``options`` (tests) win over the environment, with the same names."""

    registry_url: str
    contracting_url: str
    notifications_url: str
    secret_key: str
    secure_cookies: bool
    api_timeout_seconds: float
    # A token is renewed when fewer seconds than this are left, so a person is not signed out mid-form.
    refresh_margin_seconds: int
    # Larger than the API's own document limit, so the API (not the portal) says what the limit is.
    max_upload_bytes: int
    public_url: str
    trusted_proxies: int
    # Operators' pages (issue 19): Prefect's REST API (the platform's PREFECT_API_URL) for the stage runs' states,
    # and its UI for links (PREFECT_UI_URL; by default the API's host without /api).
    prefect_api_url: str = ""
    prefect_ui_url: str = ""
    # The public observatory (issue 20) reads contracting's OCDS feed again at most this often.
    observatory_refresh_seconds: float = 60.0

    @classmethod
    def from_env(cls, options: Mapping | None = None) -> PortalSettings:
        def get(name: str, default: str = "") -> str:
            given = dict(options or {})
            return str(given[name]) if name in given else os.environ.get(name, default)

        secret_from_environment = get("PORTAL_SECRET_KEY")
        secure_default = "1" if secret_from_environment else "0"
        return cls(
            registry_url=get("REGISTRY_URL") or service_url("registry"),
            contracting_url=get("CONTRACTING_URL") or service_url("contracting"),
            notifications_url=get("NOTIFICATIONS_URL") or service_url("notifications"),
            secret_key=secret_from_environment or embedded_secret("portal-secret-key"),
            secure_cookies=_flag(get("PORTAL_SECURE_COOKIES", secure_default)),
            api_timeout_seconds=float(get("PORTAL_API_TIMEOUT_SECONDS", "15")),
            refresh_margin_seconds=int(get("PORTAL_REFRESH_MARGIN_SECONDS", "300")),
            max_upload_bytes=int(get("PORTAL_MAX_UPLOAD_BYTES", str(40 * 1024 * 1024))),
            public_url=get("PORTAL_PUBLIC_URL") or f"http://127.0.0.1:{get('PORTAL_PORT', '5000')}",
            trusted_proxies=int(get("PORTAL_TRUSTED_PROXIES", "0")),
            prefect_api_url=(get("PREFECT_API_URL") or prefect_api_url()).rstrip("/"),
            prefect_ui_url=(get("PREFECT_UI_URL") or _ui_of(get("PREFECT_API_URL") or prefect_api_url())).rstrip("/"),
            observatory_refresh_seconds=float(get("PORTAL_OBSERVATORY_REFRESH_SECONDS", "60")),
        )


def _ui_of(api_url: str) -> str:
    """Prefect serves its UI at the API's host: http://host:4200/api -> http://host:4200."""
    base = api_url.rstrip("/")
    return base[: -len("/api")] if base.endswith("/api") else base


TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
