"""Fixtures for the shared bus plumbing: a tiny service database (outbox, ledger, effects) and a consumer driver.

The models stand in for any service's own: ``OutboxMessage`` and ``ProcessedEvent`` come from the common mixins,
``Provider`` is a state change, and ``Delivery`` is a consumer's effect with no unique constraint, so an event
applied twice shows up as two rows.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import kombu
import pytest
from kombu.transport import memory
from sqlalchemy import Engine, Integer, String, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from services.common.bus.consumer import EventConsumer, IdempotentConsumer, ProcessedEventMixin
from services.common.bus.envelope import Envelope
from services.common.bus.outbox import OutboxMixin, add_to_outbox
from services.common.bus.topology import declare_all
from services.common.db import make_engine, make_session_factory

# Routed by the topology to this consumer queue (and to notifications.events, which the tests ignore).
EVENT_TYPE = "provider.registered"
CONSUMER_QUEUE = "contracting.registry-events"


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class ProcessedEvent(ProcessedEventMixin, Base):
    pass


class Provider(Base):
    """A state change that emits an event."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Delivery(Base):
    """One row per event a consumer handled: the effect whose count proves exactly-once."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))


@dataclass
class ServiceDb:
    """One service's database, with the questions the tests ask of it."""

    engine: Engine
    sessions: sessionmaker
    outbox_model: type[OutboxMessage] = OutboxMessage
    ledger_model: type[ProcessedEvent] = ProcessedEvent
    provider_model: type[Provider] = Provider

    def commit_events(self, count: int, event_type: str = EVENT_TYPE) -> list[Envelope]:
        """Commit ``count`` events to the outbox, in order; return their envelopes."""
        envelopes = [Envelope(type=event_type, payload={"n": n}, producer="registry") for n in range(count)]
        with self.sessions() as session, session.begin():
            for envelope in envelopes:
                add_to_outbox(session, OutboxMessage, envelope)
        return envelopes

    @staticmethod
    def record_delivery(session: Session, envelope: Envelope) -> None:
        """The consumer's effect (an IdempotentConsumer handler)."""
        session.add(Delivery(event_id=envelope.event_id))

    def delivered_event_ids(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(Delivery.event_id).order_by(Delivery.id)))

    def ledger_event_ids(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(ProcessedEvent.event_id)))

    def provider_names(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(Provider.name)))

    def outbox_event_ids(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(OutboxMessage.event_id).order_by(OutboxMessage.id)))

    def unpublished_count(self) -> int:
        with self.sessions() as session:
            unpublished = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))
            return session.scalar(unpublished)

    def mark_all_unpublished(self) -> None:
        """What a relay that crashed after publishing but before its commit leaves behind."""
        with self.sessions() as session, session.begin():
            session.execute(update(OutboxMessage).values(published_at=None))


def open_service_db(url: str) -> ServiceDb:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    return ServiceDb(engine=engine, sessions=make_session_factory(engine))


@pytest.fixture
def open_service_db_at() -> Iterator[Callable[[str], ServiceDb]]:
    """Open (and create the tables of) a service database at any URL; its engine is disposed afterwards."""
    opened: list[ServiceDb] = []

    def open_at(url: str) -> ServiceDb:
        opened.append(open_service_db(url))
        return opened[-1]

    yield open_at
    for db in opened:
        db.engine.dispose()


@pytest.fixture
def service_db(tmp_path) -> Iterator[ServiceDb]:
    """A SQLite service database, as in the embedded mode."""
    db = open_service_db(f"sqlite:///{tmp_path / 'service.sqlite'}")
    yield db
    db.engine.dispose()


@pytest.fixture
def consumer_db(tmp_path) -> Iterator[ServiceDb]:
    """The consuming service's own SQLite database (its ledger and effects)."""
    db = open_service_db(f"sqlite:///{tmp_path / 'consumer.sqlite'}")
    yield db
    db.engine.dispose()


@pytest.fixture
def memory_bus() -> Iterator[kombu.Connection]:
    """A single-process bus with the whole topology declared (unit tests only; never between processes)."""
    _forget_memory_broker()
    connection = kombu.Connection("memory://")
    declare_all(connection)
    yield connection
    connection.release()
    _forget_memory_broker()


def _forget_memory_broker() -> None:
    # kombu's memory broker is global to the process: clear it so no test sees another's messages.
    memory.Channel.queues.clear()
    memory.Transport.global_state.clear()


def drain(
    consumer: EventConsumer,
    until: Callable[[], bool],
    timeout: float = 10.0,
    observe: Callable[[object, kombu.Message], None] | None = None,
) -> None:
    """Feed ``consumer`` the messages of its queue, on its own connection, until ``until()`` or the deadline.

    ``observe(body, message)`` runs after the consumer's own callback, e.g. to see whether it acked.
    """
    channel = consumer.connection.default_channel
    kombu_consumer = partial(kombu.Consumer, channel, on_decode_error=consumer.on_decode_error)
    consumers = consumer.get_consumers(kombu_consumer, channel)
    for each in consumers:
        if observe is not None:
            each.register_callback(observe)
        each.consume()
    deadline = time.monotonic() + timeout
    try:
        while not until():
            if time.monotonic() > deadline:
                raise AssertionError(f"{consumer.queue_name}: condition not met within {timeout} s")
            with contextlib.suppress(TimeoutError):  # nothing arrived in this slice
                consumer.connection.drain_events(timeout=0.2)
    finally:
        for each in consumers:
            each.cancel()


def make_idempotent_consumer(connection: kombu.Connection, db: ServiceDb, handler=None) -> IdempotentConsumer:
    return IdempotentConsumer(
        connection, CONSUMER_QUEUE, db.sessions, ProcessedEvent, handler or ServiceDb.record_delivery
    )


@pytest.fixture
def drain_consumer() -> Callable[..., None]:
    return drain


@pytest.fixture
def idempotent_consumer_for() -> Callable[..., IdempotentConsumer]:
    return make_idempotent_consumer
