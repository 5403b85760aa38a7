"""Connections to the bus in either mode, chosen by BUS_URL alone.

``amqp://`` is RabbitMQ with publisher confirms; ``sqla+sqlite:///var/bus.sqlite`` is the broker-less default
that works across processes (see README, "Choosing the broker-less transport").
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from kombu import Connection
from sqlalchemy.exc import IntegrityError

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
        except IntegrityError:
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


def purge_consumed(url: str) -> int:
    """Delete messages already handed to a consumer: kombu's SQL transport keeps them forever otherwise.

    A row turns invisible when a consumer takes it; if that consumer dies before acking, kombu restores the
    message as a new row, so deleting invisible rows never loses a message.
    """
    if not url.startswith("sqla+sqlite:///"):
        return 0
    with sqlite3.connect(url.removeprefix("sqla+sqlite:///"), timeout=30) as db:
        try:
            return db.execute("DELETE FROM kombu_message WHERE visible = 0").rowcount
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
