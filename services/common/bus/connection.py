"""Connections to the bus in either mode, chosen by BUS_URL alone.

``amqp://`` is RabbitMQ with publisher confirms; ``sqla+sqlite:///var/bus.sqlite`` is the broker-less default
that works across processes (see README, "Choosing the broker-less transport").
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import amqp
from kombu import Connection, Exchange, Producer
from sqlalchemy.exc import IntegrityError, OperationalError

from services.common.bus.topology import declare_all

# How often a broker-less consumer polls its queue table; RabbitMQ pushes, so it has no such delay.
BROKERLESS_POLL_SECONDS = 0.05


def is_brokerless(url: str) -> bool:
    return url.startswith("sqla+")


def _prepare_sqlite_file(url: str) -> None:
    path = Path(url.removeprefix("sqla+sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path, timeout=30) as db:
        # WAL is stored in the file: every process that opens it afterwards gets concurrent readers.
        db.execute("PRAGMA journal_mode=WAL")


def _open(url: str) -> Connection:
    if url.startswith("sqla+sqlite:///"):
        _prepare_sqlite_file(url)
        connection = Connection(url, transport_options={"connect_args": {"timeout": 30}})
        connection.transport.polling_interval = BROKERLESS_POLL_SECONDS
        return connection
    if url.startswith("amqp"):
        return Connection(url, transport_options={"confirm_publish": True}, heartbeat=30)
    raise ValueError(f"BUS_URL {url!r} is neither amqp://… nor sqla+sqlite:///…")


def connect(url: str, declare: bool = True, attempts: int = 5) -> Connection:
    """A connection with the platform's whole topology declared on it."""
    for attempt in range(1, attempts + 1):
        connection = _open(url)
        if not declare:
            return connection
        try:
            declare_all(connection)
            return connection
        except (IntegrityError, OperationalError):
            # Processes starting at once on a fresh bus also race on creating kombu's tables ("already exists").
            # kombu's SQL transport races when processes create the same queue row at once; the row now
            # exists, and a fresh connection (its session is spoiled by the failed commit) will find it.
            connection.release()
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def ping(url: str) -> None:
    """Raise if the bus cannot be reached (used by /readyz)."""
    connection = connect(url, declare=False)
    try:
        connection.ensure_connection(max_retries=1, timeout=2)
        # Opening a channel proves more than the socket: for the broker-less mode it opens the bus database.
        connection.default_channel  # noqa: B018
    finally:
        connection.release()


# kombu's SQL transport turns a row invisible when a consumer takes it and keeps it after the ack; on a clean
# shutdown it restores what it had not acked as new rows, but a SIGKILLed consumer's rows stay invisible. With one
# consumer per queue (the embedded mode), the queue's own consumer tidies its queue: at its start every invisible
# row is either one its dead predecessor held (restored: delivered again) or one already handled (the consumer's
# ledger, or the bridge's idempotency key, drops the repeat); between messages, with nothing unacked, every
# invisible row has been acked and is deleted.
_QUEUE_ROWS = "queue_id IN (SELECT id FROM kombu_queue WHERE name = ?)"


def restore_unacknowledged(url: str, queue_name: str) -> int:
    """Broker-less bus: make the queue's taken-but-never-acked messages deliverable again (at its consumer's
    start); returns how many rows were restored."""
    return _on_bus_rows(url, f"UPDATE kombu_message SET visible = 1 WHERE visible = 0 AND {_QUEUE_ROWS}", queue_name)


def purge_consumed(url: str, queue_name: str) -> int:
    """Broker-less bus: delete the queue's acked messages (kombu keeps them forever otherwise). Only its consumer
    calls this, between messages, when it holds none unacked."""
    return _on_bus_rows(url, f"DELETE FROM kombu_message WHERE visible = 0 AND {_QUEUE_ROWS}", queue_name)


def _on_bus_rows(url: str, statement: str, queue_name: str) -> int:
    if not url.startswith("sqla+sqlite:///"):
        return 0
    with sqlite3.connect(url.removeprefix("sqla+sqlite:///"), timeout=30) as db:
        try:
            return db.execute(statement, (queue_name,)).rowcount
        except sqlite3.OperationalError:
            return 0  # no message table yet


def queue_depths(url: str, queue_names: list[str]) -> dict[str, float]:
    """Messages waiting in each queue (a passive declare on RabbitMQ; visible rows on the broker-less bus)."""
    depths: dict[str, float] = {}
    connection = connect(url, declare=False)
    try:
        channel = connection.default_channel
        for name in queue_names:
            try:
                depths[name] = float(channel.queue_declare(queue=name, passive=True).message_count)
            except Exception:  # a queue not declared yet has no depth to report
                channel = connection.channel()
    finally:
        connection.release()
    return depths


@dataclass(frozen=True)
class Outgoing:
    """One message of a batch: a JSON body, its routing key and its id."""

    body: str
    routing_key: str
    message_id: str


class MessageNacked(Exception):
    """The broker refused a message of the batch: nothing of it may be taken as published."""


class BatchPublisher:
    """Publishes persistent messages a batch at a time and returns once the bus holds every one of them.

    The per-message price of the plain path is what this saves (profiled in bench/README.md):
    - amqp: publisher confirms, pipelined. py-amqp's confirm mode waits for the broker's ack after each message
      (one network round trip each); here the whole batch is sent, then its acks are awaited once.
    - sqla+sqlite: the batch's rows enter the bus database in one transaction, not one commit (fsync) each.
    - any other transport (memory:// in tests): message by message.
    A lost connection is reopened and the whole batch sent again (kombu's ensure, as the relay's plain publish
    did); a nack or a confirm timeout raises. Either way some messages may go twice: consumers drop repeats.
    """

    confirm_timeout = 30.0
    retry_policy = {"max_retries": 3, "interval_start": 0.5, "interval_step": 1}

    def __init__(self, connection: Connection, exchange: Exchange) -> None:
        self.connection = connection
        self.exchange = exchange
        self.driver = connection.transport.driver_type
        self._open_channel()

    def _open_channel(self) -> None:
        # Its own channel: the broker numbers confirms per channel, so every number here is one of ours.
        self.channel = self.connection.channel()
        self.producer = Producer(self.channel, exchange=self.exchange)
        self._unconfirmed: set[int] = set()
        self._sent = 0
        self._nacked = False
        if self.driver == "amqp":
            self.channel.confirm_select()
            # connect() made every publish on this connection wait for its own ack; this channel waits per batch.
            self.channel.basic_publish = functools.partial(amqp.Channel.basic_publish, self.channel)
            self.channel.events["basic_ack"].add(self._on_ack)
            self.channel.events["basic_nack"].add(self._on_nack)

    def revive(self, _channel) -> None:
        """Called by kombu's ensure() once it has reconnected."""
        self._open_channel()

    def publish(self, messages: Iterable[Outgoing]) -> None:
        batch = list(messages)
        send = {"amqp": self._publish_confirmed, "sql": self._publish_in_one_transaction}.get(self.driver)
        self.connection.ensure(self, send or self._publish_each, **self.retry_policy)(batch)

    def _send(self, message: Outgoing) -> None:
        self.producer.publish(
            message.body,
            routing_key=message.routing_key,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=message.message_id,
        )

    def _publish_each(self, batch: list[Outgoing]) -> None:
        for message in batch:
            self._send(message)

    def _publish_confirmed(self, batch: list[Outgoing]) -> None:
        for message in batch:
            self._send(message)
            self._sent += 1
            self._unconfirmed.add(self._sent)
        deadline = time.monotonic() + self.confirm_timeout
        while self._unconfirmed and not self._nacked:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the broker left {len(self._unconfirmed)} messages unconfirmed")
            self.connection.drain_events(timeout=remaining)
        if self._nacked:
            raise MessageNacked("the broker refused a message of the batch")

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {tag for tag in self._unconfirmed if tag > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _on_nack(self, _delivery_tag: int, _multiple: bool) -> None:
        self._nacked = True

    def _publish_in_one_transaction(self, batch: list[Outgoing]) -> None:
        # kombu's SQL transport commits after every message; while the batch is sent a commit only stages the
        # row, and the batch commits once at the end (or rolls back whole, to be sent again).
        session = self.channel.session
        session.commit = session.flush
        try:
            self._publish_each(batch)
        except BaseException:
            del session.commit
            session.rollback()
            raise
        del session.commit
        session.commit()
