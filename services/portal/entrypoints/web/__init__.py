"""The portal's Flask app: sessions, languages, CSRF, security headers, error pages, and the audiences' pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from services.common.metrics import init_metrics
from services.common.web import health_blueprint
from services.portal.adapters.session_cookie import EncryptedCookieSessionInterface
from services.portal.config import TIMEZONE, TRANSLATIONS_DIR, PortalSettings
from services.portal.entrypoints.web import (
    auth,
    bids,
    cso,
    department,
    errors,
    evaluator,
    filters,
    observatory,
    operator,
    public,
    requests,
    throttle,
)
from services.portal.entrypoints.web.requests import api_readiness_checks, choose_language

PORTAL_ROOT = Path(__file__).resolve().parents[2]
SESSION_HOURS = 12


def create_app(config: dict | None = None) -> Flask:
    settings = PortalSettings.from_env(config)
    app = Flask(
        "services.portal",
        template_folder=str(PORTAL_ROOT / "templates"),
        static_folder=str(PORTAL_ROOT / "static"),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="sscp_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        BABEL_DEFAULT_LOCALE="ro",
        BABEL_DEFAULT_TIMEZONE=TIMEZONE,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS_DIR),
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(days=1),
    )
    app.config.update(config or {})
    app.extensions["portal_settings"] = settings
    app.session_interface = EncryptedCookieSessionInterface()
    Babel(app, locale_selector=choose_language)
    CSRFProtect(app)
    throttle.limiter.init_app(app)
    requests.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    blueprints = (public.blp, observatory.blp, auth.blp, cso.blp, bids.blp, department.blp, evaluator.blp, operator.blp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(health_blueprint(api_readiness_checks(settings), []))
    init_metrics(app, "portal", [])
    if settings.trusted_proxies:
        # Behind a reverse proxy the person's address is in X-Forwarded-For (sign-in throttling needs it).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    return app
