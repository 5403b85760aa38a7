"""Processes started together on a fresh broker-less bus must all come up, whichever creates kombu's tables first.

Found by the embedded worker test: the relay and the worker started at once on a new bus file, both ran kombu's
``create_all``, and the loser died with ``table kombu_queue already exists`` (connect() retries kombu's
IntegrityError race on queue rows, not this one). `sscp demo` declares the topology once before it starts the
processes, so it does not meet this; processes started by a Procfile or by hand on a fresh var/ do. Here the other
process wins the race deterministically: it creates the table between kombu's check and its CREATE.
"""

from __future__ import annotations

import sqlite3

import pytest
from kombu.transport.sqlalchemy import models
from sqlalchemy import event

from services.common.bus.connection import connect

pytestmark = pytest.mark.reliability


@pytest.fixture
def another_process_creates_the_queue_table_first(brokerless_bus_url):
    path = brokerless_bus_url.removeprefix("sqla+sqlite:///")
    created: list[bool] = []

    def create_it_first(_metadata, _connection, tables=(), **_kw) -> None:
        # Fired after create_all checked which tables exist and before it creates the missing ones.
        if not created and "kombu_queue" in {table.name for table in tables}:
            created.append(True)
            with sqlite3.connect(path, timeout=30) as other:
                other.execute(
                    "CREATE TABLE kombu_queue (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, name VARCHAR(200), "
                    "UNIQUE (name))"
                )

    event.listen(models.metadata, "before_create", create_it_first)
    try:
        yield brokerless_bus_url
    finally:
        event.remove(models.metadata, "before_create", create_it_first)
    assert created, "the race was staged"


def test_a_process_that_loses_the_race_to_create_the_bus_tables_still_connects(
    another_process_creates_the_queue_table_first,
):
    try:
        connection = connect(another_process_creates_the_queue_table_first)
    except Exception as exc:
        raise AssertionError(f"connect() gave up: {type(exc).__name__}: {str(exc).splitlines()[0]}") from exc
    try:
        assert connection.default_channel.queue_declare(queue="notifications.events", passive=True).queue
    finally:
        connection.release()
