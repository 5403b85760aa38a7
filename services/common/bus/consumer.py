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
from sqlalchemy import DateTime, String
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from services.common.bus.envelope import Envelope, InvalidEnvelope
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
        try:
            envelope = Envelope.from_dict(body)
        except InvalidEnvelope as exc:
            self.park(body, message, f"invalid envelope: {exc}")
            return
        failures = 0
        while not self.should_stop:
            try:
                self.process(envelope)
                message.ack()
                self.handled += 1
                log.debug("%s: handled %s", self.queue_name, envelope.type, extra=_log_fields(envelope))
                return
            except self.transient_errors as exc:
                # Infrastructure away: never park for that; wait and try the same event again.
                log.warning("%s: %s on %s; retrying", self.queue_name, exc, envelope.type, extra=_log_fields(envelope))
                time.sleep(min(0.5 * 2 ** min(failures, 5), 10))
                failures += 1
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
    """An EventConsumer whose handler's effect and the processed-event record commit together."""

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

    def process(self, envelope: Envelope) -> None:
        try:
            with self.session_factory() as session, session.begin():
                if session.get(self.ledger_model, (self.queue_name, envelope.event_id)) is not None:
                    self.duplicates += 1
                    return
                self.session_handler(session, envelope)
                session.add(
                    self.ledger_model(
                        consumer=self.queue_name,
                        event_id=envelope.event_id,
                        event_type=envelope.type,
                        processed_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            if not self._already_processed(envelope):
                raise
            # Another worker committed the same event first: its effect stands, ours rolled back.
            self.duplicates += 1

    def _already_processed(self, envelope: Envelope) -> bool:
        with self.session_factory() as session:
            return session.get(self.ledger_model, (self.queue_name, envelope.event_id)) is not None
