"""Transactional outbox: events are rows committed with the state change, then relayed to the bus.

Nothing is published that was not committed (the relay reads only committed rows) and nothing committed is
lost (a row stays unpublished until the broker confirmed it). A relay that dies between publishing and
marking a row sent publishes it again on restart; consumers drop the duplicate by its event_id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from kombu import Connection
from sqlalchemy import BigInteger, DateTime, Integer, String, Text, func, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from services.common.bus.connection import BatchPublisher, Outgoing
from services.common.bus.envelope import Envelope
from services.common.bus.outbox_wakeup import OutboxWakeup
from services.common.bus.topology import EXCHANGE
from services.common.db import make_engine

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMixin:
    """Mixed into each service's own declarative Base, so each database owns its outbox table."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(100))
    correlation_id: Mapped[str | None] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


def count_unpublished(database_url: str) -> int:
    """Committed events of one service's database not yet on the bus (for a shutdown drain or a test's check)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar_one()
    finally:
        engine.dispose()


def add_to_outbox(session: Session, outbox_model: type[OutboxMixin], envelope: Envelope) -> None:
    """Stage an event in the caller's transaction; it leaves only if that transaction commits."""
    session.add(
        outbox_model(
            event_id=envelope.event_id,
            event_type=envelope.type,
            correlation_id=envelope.correlation_id,
            body=envelope.to_json(),
            created_at=utcnow(),
            attempts=0,
        )
    )


class OutboxRelay:
    """Moves committed outbox rows to the bus, with publisher confirms, in id order per batch.

    A batch is published whole before any of its rows is marked sent (BatchPublisher: one confirm wait, or one
    bus transaction, per batch), then marked with one UPDATE in the same database transaction that claimed it.
    """

    def __init__(
        self,
        session_factory: sessionmaker,
        outbox_model: type[OutboxMixin],
        connection: Connection,
        batch_size: int = 200,
        after_publish: Callable[[list[int]], None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.outbox_model = outbox_model
        self.connection = connection
        self.batch_size = batch_size
        # A test hook: raise here to simulate a crash between publishing and marking sent.
        self.after_publish = after_publish
        self._publisher: BatchPublisher | None = None

    @property
    def publisher(self) -> BatchPublisher:
        if self._publisher is None:
            self._publisher = BatchPublisher(self.connection, EXCHANGE)
        return self._publisher

    def relay_once(self) -> int:
        """Publish one batch of unpublished rows; return how many were published."""
        with self.session_factory() as session, session.begin():
            rows = self._claim_batch(session)
            if not rows:
                return 0
            try:
                self.publisher.publish(Outgoing(row.body, row.event_type, row.event_id) for row in rows)
            except Exception:
                self._publisher = None  # its channel may be part-way through a batch: the next one gets a fresh one
                raise
            ids = [row.id for row in rows]
            if self.after_publish:
                self.after_publish(ids)
            mark = update(self.outbox_model).where(self.outbox_model.id.in_(ids)).values(published_at=utcnow())
            session.execute(mark, execution_options={"synchronize_session": False})
            return len(rows)

    def _claim_batch(self, session: Session) -> list[OutboxMixin]:
        model = self.outbox_model
        pending = select(model.id).where(model.published_at.is_(None)).order_by(model.id).limit(self.batch_size)
        if session.get_bind().dialect.name == "postgresql":
            # Two relays on one database each take different rows instead of waiting or double-publishing.
            ids = session.execute(pending.with_for_update(skip_locked=True)).scalars().all()
            if ids:
                session.execute(update(model).where(model.id.in_(ids)).values(attempts=model.attempts + 1))
        elif session.execute(pending.limit(1)).first() is None:
            # Nothing to do: an idle poll only reads, so it never takes the database's write lock.
            return []
        else:
            # SQLite has no row locks: the UPDATE takes the database write lock first, so a second relay
            # waits for this transaction and then finds these rows already published.
            claim = update(model).where(model.id.in_(pending)).values(attempts=model.attempts + 1).returning(model.id)
            ids = session.execute(claim).scalars().all()
        if not ids:
            return []
        return list(session.execute(select(model).where(model.id.in_(ids)).order_by(model.id)).scalars())

    def backlog(self) -> int:
        model = self.outbox_model
        unpublished = select(func.count()).select_from(model).where(model.published_at.is_(None))
        with self.session_factory() as session:
            return session.execute(unpublished).scalar_one()

    def run(
        self,
        should_stop: Callable[[], bool],
        # An idle poll is one indexed read; at 0.1 s it was most of the relay's lag (bench/README.md).
        idle_sleep: float = 0.02,
        wakeup: OutboxWakeup | None = None,
    ) -> None:
        """Relay until asked to stop; survives broker and database outages by retrying with backoff. With a
        ``wakeup`` (PostgreSQL), an idle relay waits to be notified of a commit instead of polling."""
        first_retry = delay = 0.1
        if wakeup is not None:
            wakeup.listen()
        while not should_stop():
            try:
                published = self.relay_once()
                delay = first_retry
                if published == 0:
                    if wakeup is not None:
                        wakeup.wait()
                    else:
                        time.sleep(idle_sleep)
            except Exception as exc:  # any outage: log, back off, try again; rows stay unpublished
                log.warning("outbox relay: %s; retrying in %.1fs", exc, delay)
                self._publisher = None
                self.connection = self.connection.clone()
                time.sleep(delay)
                delay = min(delay * 2, 10)
