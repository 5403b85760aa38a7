"""Wiring shared by every service: settings -> engine -> sessions -> units of work -> Flask app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Blueprint, Flask, current_app
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from services.common.auth import JwksKeySource, TokenVerifier
from services.common.bus import connection as bus
from services.common.bus.outbox import OutboxMixin
from services.common.db import make_engine, make_session_factory
from services.common.settings import ServiceSettings
from services.common.unit_of_work import UnitOfWork
from services.common.web import create_service_app


@dataclass
class ServiceContext:
    """Everything a service's handlers need, built once per process."""

    settings: ServiceSettings
    outbox_model: type[OutboxMixin]
    # Injectable so tests and the demo can move time without sleeping.
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    engine: Engine = field(init=False)
    session_factory: sessionmaker = field(init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.database_url)
        self.session_factory = make_session_factory(self.engine)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.outbox_model, producer=self.settings.name)

    def check_database(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def check_bus(self) -> None:
        bus.ping(self.settings.bus_url)


def service_context() -> ServiceContext:
    """The running app's context (inside a request)."""
    return current_app.extensions["service_context"]


def build_app(
    context: ServiceContext,
    title: str,
    blueprints: Iterable[Blueprint],
    config: dict | None = None,
    token_verifier: TokenVerifier | None = None,
) -> Flask:
    checks = [("database", context.check_database), ("bus", context.check_bus)]
    app, _api = create_service_app(context.settings.name, title, blueprints, checks, config)
    app.extensions["service_context"] = context
    app.extensions["token_verifier"] = token_verifier or TokenVerifier(
        JwksKeySource(context.settings.jwks_url),
        issuer=context.settings.token_issuer,
        audience=context.settings.token_audience,
    )
    return app
