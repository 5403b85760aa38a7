"""What every request needs: the person's language, who is signed in, their API client, a fresh token, headers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from flask import Flask, current_app, g, redirect, request, session, url_for
from werkzeug.exceptions import NotFound

from services.portal.adapters.api_client import ApiClient, ApiRefusal, ServiceDown
from services.portal.config import DEFAULT_LANGUAGE, LANGUAGES, PortalSettings
from services.portal.domain.signed_in import Person, is_expired, needs_refresh, token_expiry

LANGUAGE_COOKIE = "sscp_lang"
# Nothing is loaded from another origin: scripts, styles, images and fonts come from the portal itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def settings() -> PortalSettings:
    return current_app.extensions["portal_settings"]


def choose_language() -> str:
    """The language the person chose (remembered in a cookie); Romanian until they choose."""
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def person() -> Person | None:
    user = session.get("user")
    return Person.from_user(user) if user else None


def api() -> ApiClient:
    """The API client of this request: the person's token when signed in, none for the public."""
    if "api" not in g:
        config = settings()
        g.api = ApiClient(
            {
                "registry": config.registry_url,
                "contracting": config.contracting_url,
                "notifications": config.notifications_url,
            },
            token=session.get("token"),
            timeout=config.api_timeout_seconds,
            accept_language=choose_language(),
        )
    return g.api


def public_api() -> ApiClient:
    """The same APIs without the person's token: what anyone may read (the public pages show only that)."""
    client = api()
    return ApiClient(client.base_urls, None, client.timeout, client.accept_language)


def sign_in(user: dict, token: str, expires_in: int) -> None:
    session.clear()
    session.permanent = True
    session["user"] = Person.from_user(user).as_session()
    _keep_token(token, expires_in)


def _keep_token(token: str, expires_in: int) -> None:
    session["token"] = token
    session["token_expires"] = token_expiry(datetime.now(UTC), expires_in).isoformat()
    g.pop("api", None)


def _renew_token_if_due() -> None:
    """Before the token runs out, swap it for a new one; if it cannot be renewed, the person signs in again."""
    if "token" not in session or request.endpoint in ("static", "health.healthz", "health.readyz"):
        return
    expires_at = datetime.fromisoformat(session["token_expires"])
    now = datetime.now(UTC)
    if not needs_refresh(now, expires_at, settings().refresh_margin_seconds):
        return
    if is_expired(now, expires_at):
        session.clear()
        return
    try:
        renewed = api().post("registry", "/auth/refresh", {})
    except ApiRefusal:
        session.clear()
        return
    except ServiceDown:
        return  # the token still works for a while; try again on the next page
    _keep_token(renewed["access_token"], renewed["expires_in"])


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if "user" in session or request.method != "GET":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _remember_language(response):
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", secure=settings().secure_cookies
        )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_renew_token_if_due)
    app.after_request(_security_headers)
    app.after_request(_remember_language)

    @app.context_processor
    def _signed_in():
        return {"person": person(), "languages": LANGUAGES, "current_language": choose_language()}


def signed_in_as(*roles: str) -> Callable:
    """A page for these roles: sign in first (then straight back here); another role sees a page not found."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            who = person()
            if who is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if who.role not in roles:
                raise NotFound()
            return view(*args, **kwargs)

        return guarded

    return decorate


def api_readiness_checks(config: PortalSettings) -> list[tuple[str, Callable[[], None]]]:
    """Ready when each API answers its /healthz (the portal has no database of its own to check)."""

    def check(url: str) -> Callable[[], None]:
        return lambda: httpx.get(f"{url}/healthz", timeout=3).raise_for_status()

    return [
        ("registry", check(config.registry_url)),
        ("contracting", check(config.contracting_url)),
        ("notifications", check(config.notifications_url)),
    ]
