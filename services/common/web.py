"""The Flask app shape every service shares: OpenAPI, JSON errors, health and readiness."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from services.common.errors import DomainError

log = logging.getLogger(__name__)

ReadinessCheck = tuple[str, Callable[[], None]]


def create_service_app(
    name: str,
    title: str,
    blueprints: Iterable[Blueprint],
    readiness_checks: Iterable[ReadinessCheck],
    config: dict | None = None,
) -> tuple[Flask, Api]:
    app = Flask(f"services.{name}")
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config or {})
    api = Api(app)
    for blueprint in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")
    app.register_blueprint(_health_blueprint(list(readiness_checks)))
    _register_error_handlers(app)
    return app, api


def _health_blueprint(checks: list[ReadinessCheck]) -> Blueprint:
    health = Blueprint("health", __name__)

    @health.get("/healthz")
    def healthz():
        """Alive: the process answers. Restart it if this fails."""
        return jsonify(status="ok")

    @health.get("/readyz")
    def readyz():
        """Ready: its database and the bus answer. Take it out of the load balancer if this fails."""
        failures = {}
        for check_name, check in checks:
            try:
                check()
            except Exception as exc:  # report what is down; never crash the probe
                failures[check_name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        if failures:
            return jsonify(status="unavailable", failures=failures), 503
        return jsonify(status="ready", checks=[check_name for check_name, _ in checks])

    return health


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body = {"code": exc.code, "status": exc.name, "message": exc.description}
        extra = getattr(exc, "data", None) or {}
        if isinstance(extra, dict):
            if "messages" in extra:
                body["errors"] = extra["messages"]
            if "message" in extra:
                body["message"] = extra["message"]
            for key, value in extra.items():
                if key not in {"messages", "message", "exc", "headers", "schema"}:
                    body[key] = value
        return jsonify(body), exc.code

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        body = {"code": exc.status_code, "message": exc.message, **exc.details}
        return jsonify(body), exc.status_code

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        # The stack trace goes to the log, never to the caller.
        log.exception("unhandled error")
        return jsonify(code=500, status="Internal Server Error", message="unexpected error; it was logged"), 500
