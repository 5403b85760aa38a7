"""Bus consumers: ack after the effect, retry transient faults, park poison messages, drop duplicates.

``IdempotentConsumer`` stores each processed event_id in the service's own database in the same
transaction as the handler's effect, so a redelivered event is acknowledged and ignored, and a crash before
the ack leaves either both the effect and the record, or neither.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from kombu import Connection, Message, Producer
from kombu.mixins import ConsumerMixin
from sqlalchemy import DateTime, String, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from services.common.bus.envelope import Envelope, InvalidEnvelope
from services.common.bus.ledger import mark_unrecorded
from services.common.bus.topology import DEAD_LETTER_EXCHANGE, consumer_queue

log = logging.getLogger(__name__)


class ProcessedEventMixin:
    """The consumer's ledger: one row per (consumer, event) whose effect has been committed."""

    __tablename__ = "processed_events"

    consumer: Mapped[str] = mapped_column(String(80), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TransientFault(Exception):
    """The handler could not run now (a service or database is away): try the same message again later."""


class EventConsumer(ConsumerMixin):
    """Consumes one queue of the topology, calling ``process(envelope)`` for each message."""

    max_attempts = 5
    transient_errors: tuple[type[BaseException], ...] = (
        TransientFault,
        OperationalError,
        InterfaceError,
        ConnectionError,
        OSError,
    )

    def __init__(self, connection: Connection, queue_name: str, handler: Callable[[Envelope], None]) -> None:
        self.connection = connection
        self.queue_name = queue_name
        self.handler = handler
        self.handled = 0

    def get_consumers(self, Consumer, channel):
        consumer = Consumer(queues=[consumer_queue(self.queue_name)], callbacks=[self.on_message], accept=["json"])
        consumer.qos(prefetch_count=10)
        return [consumer]

    def process(self, envelope: Envelope) -> None:
        self.handler(envelope)

    def on_decode_error(self, message: Message, exc: Exception) -> None:
        # kombu's default logs and acks, which would lose the message: park it for an operator instead.
        body = message.body.decode("utf-8", "replace") if isinstance(message.body, bytes) else message.body
        self.park(body, message, f"undecodable {message.content_type} body: {exc}")

    def on_message(self, body, message: Message) -> None:
        envelope = self.parse(body, message)
        if envelope is not None:
            self.handle(envelope, body, message)

    def parse(self, body, message: Message) -> Envelope | None:
        """The message's envelope; a malformed one is parked (and None returned)."""
        try:
            return Envelope.from_dict(body)
        except InvalidEnvelope as exc:
            self.park(body, message, f"invalid envelope: {exc}")
            return None

    def handle(self, envelope: Envelope, body, message: Message) -> None:
        """Process one event and ack it; retry transient faults; park it after max_attempts failures."""
        failures = 0
        while not self.should_stop:
            try:
                self.process(envelope)
            except self.transient_errors as exc:
                # Infrastructure away: never park for that; wait and try the same event again.
                log.warning("%s: %s on %s; retrying", self.queue_name, exc, envelope.type, extra=_log_fields(envelope))
                time.sleep(min(0.5 * 2 ** min(failures, 5), 10))
                failures += 1
                continue
            except Exception as exc:
                failures += 1
                log.exception(
                    "%s: handler failed on %s (attempt %d)",
                    self.queue_name,
                    envelope.type,
                    failures,
                    extra=_log_fields(envelope),
                )
                if failures >= self.max_attempts:
                    self.park(body, message, f"{type(exc).__name__}: {exc}")
                    return
                time.sleep(0.2 * 2**failures)
                continue
            # Outside the try: an ack on a dropped connection must reach ConsumerMixin, which reconnects; the
            # broker redelivers the unacked message and the ledger drops the repeat.
            message.ack()
            self.handled += 1
            log.debug("%s: handled %s", self.queue_name, envelope.type, extra=_log_fields(envelope))
            return
        message.requeue()

    def park(self, body, message: Message, reason: str) -> None:
        """Move a message an operator must look at to ``<queue>.parked`` on the dead-letter exchange."""
        log.error("%s: parking message: %s", self.queue_name, reason)
        producer = Producer(self.connection.default_channel)
        payload = body if isinstance(body, str) else json.dumps(body, default=str)
        producer.publish(
            payload,
            exchange=DEAD_LETTER_EXCHANGE,
            routing_key=self.queue_name,
            content_type="application/json",
            delivery_mode=2,
            headers={"x-park-reason": reason[:500]},
        )
        message.ack()


def _log_fields(envelope: Envelope) -> dict[str, str | None]:
    """What an operator searches JSON logs by."""
    return {"event_id": envelope.event_id, "event_type": envelope.type, "ocid": envelope.correlation_id}


class IdempotentConsumer(EventConsumer):
    """An EventConsumer whose handler's effect and the processed-event record commit together.

    Running as a worker (``run()``) on RabbitMQ, it applies the messages that are already waiting (up to
    ``batch_size``, at most the prefetch) in one transaction and acks them after its commit: one commit per
    batch instead of one per event, which was most of a worker's time per event (bench/README.md). The effect
    of each event and its ledger row still commit together, so exactly-once holds as before. If anything in a
    batch fails, the batch is rolled back whole and its messages go through the one-at-a-time path, with its
    retries and parking. Not on the broker-less bus: kombu's SQL transport hides a message from every other
    reader once fetched, and a worker killed with messages fetched but not applied would lose all of them
    there (RabbitMQ redelivers them), so that mode keeps fetching one message at a time.
    """

    batch_size = 10
    batching_transports = ("amqp",)

    def __init__(
        self,
        connection: Connection,
        queue_name: str,
        session_factory: sessionmaker,
        ledger_model: type[ProcessedEventMixin],
        handler: Callable[[Session, Envelope], None],
    ) -> None:
        super().__init__(connection, queue_name, handler=lambda envelope: None)
        self.session_factory = session_factory
        self.ledger_model = ledger_model
        self.session_handler = handler
        self.duplicates = 0
        self._batching = False
        self._pending: list[tuple[Envelope, object, Message]] = []
        self._live: Connection | None = None

    def on_consume_ready(self, connection, channel, consumers, **kwargs) -> None:
        self._live = connection

    def consume(self, *args, **kwargs):
        """ConsumerMixin's loop; after each message it takes those already waiting and applies them together."""
        self._batching = self.connection.transport.driver_type in self.batching_transports
        try:
            for _ in super().consume(*args, **kwargs):
                self._gather()
                self.flush()
                yield
            self.flush()
        finally:
            # Left unapplied (the connection broke): unacked, so the broker delivers them again.
            self._batching, self._pending = False, []

    def on_message(self, body, message: Message) -> None:
        if not self._batching:
            super().on_message(body, message)
            return
        envelope = self.parse(body, message)
        if envelope is not None:
            self._pending.append((envelope, body, message))

    def _gather(self) -> None:
        while self._pending and len(self._pending) < self.batch_size and not self.should_stop:
            try:
                self._live.drain_events(timeout=0)  # only what has already arrived
            except TimeoutError:
                return

    def flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch or self._apply_together(batch):
            return
        for envelope, body, message in batch:
            self.handle(envelope, body, message)

    def _apply_together(self, batch: list[tuple[Envelope, object, Message]]) -> bool:
        try:
            with self.session_factory() as session, session.begin():
                duplicates = self._apply(session, [envelope for envelope, _, _ in batch])
        except Exception as exc:  # anything: the one-at-a-time path decides between retry, park and duplicate
            log.info("%s: a batch of %d failed (%s); applying it one event at a time", self.queue_name, len(batch), exc)
            return False
        for _, _, message in batch:
            message.ack()
        self.handled += len(batch)
        self.duplicates += duplicates
        return True

    def _apply(self, session: Session, envelopes: list[Envelope]) -> int:
        """Apply the events in order inside one transaction; returns how many had been processed already."""
        ledger = self.ledger_model
        ids = [envelope.event_id for envelope in envelopes]
        seen = select(ledger.event_id).where(ledger.consumer == self.queue_name, ledger.event_id.in_(ids))
        done = set(session.scalars(seen))
        mark_unrecorded(session, set(ids) - done)
        duplicates = 0
        for envelope in envelopes:
            if envelope.event_id in done:  # processed before, or earlier in this very batch
                duplicates += 1
                continue
            # The handler's queries flush what the events before it wrote: it sees them as if committed.
            self.session_handler(session, envelope)
            session.add(self._ledger_row(envelope))
            done.add(envelope.event_id)
        return duplicates

    def _ledger_row(self, envelope: Envelope) -> ProcessedEventMixin:
        return self.ledger_model(
            consumer=self.queue_name,
            event_id=envelope.event_id,
            event_type=envelope.type,
            processed_at=datetime.now(UTC),
        )

    def process(self, envelope: Envelope) -> None:
        try:
            with self.session_factory() as session, session.begin():
                if session.get(self.ledger_model, (self.queue_name, envelope.event_id)) is not None:
                    self.duplicates += 1
                    return
                mark_unrecorded(session, [envelope.event_id])
                self.session_handler(session, envelope)
                session.add(self._ledger_row(envelope))
        except IntegrityError:
            if not self._already_processed(envelope):
                raise
            # Another worker committed the same event first: its effect stands, ours rolled back.
            self.duplicates += 1

    def _already_processed(self, envelope: Envelope) -> bool:
        with self.session_factory() as session:
            return session.get(self.ledger_model, (self.queue_name, envelope.event_id)) is not None
