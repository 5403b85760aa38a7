"""Connections to the bus in either mode, chosen by BUS_URL alone.

``amqp://`` is RabbitMQ with publisher confirms; ``sqla+sqlite:///var/bus.sqlite`` is the broker-less default
that works across processes (see README, "Choosing the broker-less transport").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kombu import Connection

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


def connect(url: str, declare: bool = True) -> Connection:
    """A connection with the platform's whole topology declared on it."""
    if url.startswith("sqla+sqlite:///"):
        _prepare_sqlite_file(url)
        connection = Connection(url, transport_options={"connect_args": {"timeout": 30}})
    elif url.startswith("amqp"):
        connection = Connection(url, transport_options={"confirm_publish": True}, heartbeat=30)
    else:
        raise ValueError(f"BUS_URL {url!r} is neither amqp://… nor sqla+sqlite:///…")
    if is_brokerless(url):
        connection.transport.polling_interval = BROKERLESS_POLL_SECONDS
    if declare:
        declare_all(connection)
    return connection


def ping(url: str) -> None:
    """Raise if the bus cannot be reached (used by /readyz)."""
    connection = connect(url, declare=False)
    try:
        connection.ensure_connection(max_retries=1, timeout=2)
        # Opening a channel proves more than the socket: for the broker-less mode it opens the bus database.
        connection.default_channel  # noqa: B018
    finally:
        connection.release()
