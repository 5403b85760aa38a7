"""Wiring shared by every service: settings -> engine -> sessions -> units of work.

No web framework here: the relays, consumers and dispatcher build the same context without Flask. The Flask app
around a context is services/common/app.py (``build_app``), which the APIs' entry points import.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import sessionmaker

from services.common.bus import connection as bus
from services.common.bus.outbox import OutboxMixin
from services.common.call import Call, as_utc
from services.common.db import make_engine, make_session_factory
from services.common.runtime import BACKGROUND_PROCESSES, stale_heartbeat
from services.common.settings import ServiceSettings
from services.common.tokens import Principal
from services.common.unit_of_work import UnitOfWork


def _outside_a_request() -> Principal | None:
    raise RuntimeError("ServiceContext.call() is for a request of an app built by build_app; use system_call()")


@dataclass
class ServiceContext:
    """Everything a service's handlers need, built once per process."""

    settings: ServiceSettings
    outbox_model: type[OutboxMixin]
    # Injectable so tests and the demo can move time without sleeping.
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # The caller of the request being served: build_app (services/common/app.py) sets it to read the token.
    current_principal: Callable[[], Principal | None] = field(default=_outside_a_request, repr=False)
    engine: Engine = field(init=False)
    session_factory: sessionmaker = field(init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.database_url)
        self.session_factory = make_session_factory(self.engine)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.outbox_model, producer=self.settings.name)

    def call(self) -> Call:
        """The request's call (services/common/call.py): a fresh unit of work, the token's caller, the time now,
        and the clock to read again under a lock. Inside a request only."""
        return Call(self.uow(), self.current_principal(), as_utc(self.clock()), clock=self.clock)

    def system_call(self) -> Call:
        """A call the platform makes itself (the CLI, a seed, a scheduled job): no caller, the time now."""
        return Call(self.uow(), None, as_utc(self.clock()), clock=self.clock)

    def check_database(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def check_bus(self) -> None:
        bus.ping(self.settings.bus_url)

    def outbox_gauges(self):
        """Unpublished events and the age of the oldest: the relay's lag."""
        model = self.outbox_model
        with self.session_factory() as session:
            pending, oldest = session.execute(
                select(func.count(), func.min(model.created_at)).where(model.published_at.is_(None))
            ).one()
        age = 0.0
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            age = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        labels = {"service": self.settings.name}
        yield "sscp_outbox_unpublished_events", "Committed events not yet on the bus", labels, float(pending)
        yield "sscp_outbox_oldest_unpublished_seconds", "Age of the oldest unpublished event", labels, age

    def outbox_lag_warning(self) -> str | None:
        """A sentence for /readyz when committed events wait longer than OUTBOX_LAG_WARNING_SECONDS: the relay
        is down or stuck (nothing is lost: they go out when it is back)."""
        limit = float(os.environ.get("OUTBOX_LAG_WARNING_SECONDS", "60"))
        values = {name: value for name, _help, _labels, value in self.outbox_gauges()}
        age = values["sscp_outbox_oldest_unpublished_seconds"]
        if age <= limit:
            return None
        pending = int(values["sscp_outbox_unpublished_events"])
        return (
            f"{pending} committed event(s) not yet on the bus, the oldest {age:.0f} s old: is the "
            f"{self.settings.name}-relay running? They are kept and go out when it is back"
        )

    def readiness_warnings(self) -> list:
        max_age = float(os.environ.get("HEARTBEAT_MAX_AGE_SECONDS", "60"))
        warnings = [("outbox", self.outbox_lag_warning)]
        for process in BACKGROUND_PROCESSES.get(self.settings.name, ()):
            warnings.append((process, lambda process=process: stale_heartbeat(process, max_age)))
        return warnings

    def consumer_lag_gauges(self, queue_names: list[str]):
        """Messages waiting in this service's consumer queues."""

        def source():
            for queue_name, waiting in bus.queue_depths(self.settings.bus_url, queue_names).items():
                yield "sscp_consumer_queue_depth", "Messages waiting for a consumer", {"queue": queue_name}, waiting

        return source
