"""A service's Flask app around its context (services/common/bootstrap.py): the APIs' side of the wiring.

Only the web entry points import this module, so a relay or a consumer builds its context without loading Flask,
marshmallow or flask-smorest.
"""

from __future__ import annotations

from collections.abc import Iterable

# Token verification's libraries: services/common/tokens.py imports them on first use, for the processes without a
# web server; an API loads them with its app, so the workers gunicorn forks from a preloaded app share one copy.
import httpx  # noqa: F401
import jwt  # noqa: F401
from flask import Blueprint, Flask, current_app

from services.common.auth import JwksKeySource, TokenVerifier, current_principal
from services.common.bootstrap import ServiceContext
from services.common.bus.topology import CONSUMER_BINDINGS
from services.common.metrics import init_metrics
from services.common.web import create_service_app


def service_context() -> ServiceContext:
    """The running app's context (inside a request)."""
    return current_app.extensions["service_context"]


def build_app(
    context: ServiceContext,
    title: str,
    blueprints: Iterable[Blueprint],
    config: dict | None = None,
    token_verifier: TokenVerifier | None = None,
    gauges: list | None = None,
) -> Flask:
    checks = [("database", context.check_database), ("bus", context.check_bus)]
    app, _api = create_service_app(
        context.settings.name, title, blueprints, checks, config, readiness_warnings=context.readiness_warnings()
    )
    own_queues = [queue for queue in CONSUMER_BINDINGS if queue.startswith(f"{context.settings.name}.")]
    sources = [context.outbox_gauges, *(gauges or [])]
    if own_queues:
        sources.append(context.consumer_lag_gauges(own_queues))
    init_metrics(app, context.settings.name, sources)
    context.current_principal = current_principal
    app.extensions["service_context"] = context
    app.extensions["token_verifier"] = token_verifier or TokenVerifier(
        JwksKeySource(context.settings.jwks_url),
        issuer=context.settings.token_issuer,
        audience=context.settings.token_audience,
    )
    return app
