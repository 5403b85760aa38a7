"""The production pipeline: outbox in PostgreSQL, relay to RabbitMQ with publisher confirms, idempotent consumer."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

import kombu
import pytest

from services.common.bus.connection import connect
from services.common.bus.outbox import OutboxRelay
from services.common.bus.topology import consumer_queue

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]

EVENT_COUNT = 200
QUEUE = "contracting.registry-events"


@pytest.fixture
def registry_db(postgres_databases, open_service_db_at):
    """The producing service's PostgreSQL database, holding the outbox."""
    return open_service_db_at(postgres_databases["registry"])


@pytest.fixture
def contracting_db(postgres_databases, open_service_db_at):
    """The consuming service's PostgreSQL database, holding its ledger and effects."""
    return open_service_db_at(postgres_databases["contracting"])


@pytest.fixture
def bus(rabbitmq_url):
    """Open connections to the test's RabbitMQ virtual host, released afterwards."""
    connections: list[kombu.Connection] = []

    def open_connection() -> kombu.Connection:
        connections.append(connect(rabbitmq_url))
        return connections[-1]

    yield open_connection
    for connection in connections:
        connection.release()


def relay_everything(relay: OutboxRelay) -> int:
    published = 0
    while batch := relay.relay_once():
        published += batch
    return published


def waiting(connection: kombu.Connection, queue_name: str) -> int:
    return consumer_queue(queue_name)(connection.default_channel).queue_declare(passive=True).message_count


def test_outbox_relayed_through_rabbitmq_is_applied_once_in_postgres_even_when_every_row_is_relayed_twice(
    registry_db, contracting_db, bus, idempotent_consumer_for, drain_consumer
):
    envelopes = registry_db.commit_events(EVENT_COUNT)
    expected = sorted(envelope.event_id for envelope in envelopes)
    relay = OutboxRelay(registry_db.sessions, registry_db.outbox_model, bus(), batch_size=50)
    consumer_connection = bus()
    consumer = idempotent_consumer_for(consumer_connection, contracting_db)

    assert relay_everything(relay) == EVENT_COUNT
    assert registry_db.unpublished_count() == 0
    drain_consumer(consumer, until=lambda: consumer.handled == EVENT_COUNT, timeout=30)
    assert sorted(contracting_db.delivered_event_ids()) == expected

    registry_db.mark_all_unpublished()  # the relay crashed after the broker confirmed, before its commit
    assert relay_everything(relay) == EVENT_COUNT
    drain_consumer(consumer, until=lambda: consumer.handled == 2 * EVENT_COUNT, timeout=30)

    assert sorted(contracting_db.delivered_event_ids()) == expected
    assert sorted(contracting_db.ledger_event_ids()) == expected
    assert consumer.duplicates == EVENT_COUNT
    assert waiting(consumer_connection, QUEUE) == 0


def test_two_relays_running_at_once_on_one_postgres_outbox_publish_each_row_exactly_once(registry_db, bus):
    envelopes = registry_db.commit_events(EVENT_COUNT)
    # Each relay's first batch waits here until the other also holds a batch: proof that they overlap and that
    # neither blocks on the other's claimed rows (a relay that waited on them would break the barrier).
    both_holding_a_batch = threading.Barrier(2, timeout=10)
    published_ids: dict[str, list[int]] = {"first": [], "second": []}
    errors: list[BaseException] = []

    def run_relay(name: str, relay_connection: kombu.Connection) -> None:
        def after_publish(row_ids: list[int]) -> None:
            if not published_ids[name]:
                both_holding_a_batch.wait()
            published_ids[name].extend(row_ids)

        relay = OutboxRelay(
            registry_db.sessions, registry_db.outbox_model, relay_connection, batch_size=10, after_publish=after_publish
        )
        deadline = time.monotonic() + 30
        try:
            while relay.backlog() and time.monotonic() < deadline:
                relay.relay_once()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run_relay, args=(name, bus())) for name in published_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert registry_db.unpublished_count() == 0
    assert published_ids["first"] and published_ids["second"], "both relays must have published"
    assert not set(published_ids["first"]) & set(published_ids["second"])
    consumed = consume_message_ids(bus(), QUEUE, EVENT_COUNT)
    assert len(consumed) == EVENT_COUNT
    assert Counter(consumed).most_common(1)[0][1] == 1
    assert set(consumed) == {envelope.event_id for envelope in envelopes}


def consume_message_ids(connection: kombu.Connection, queue_name: str, expected: int) -> list[str]:
    """Every message id on the queue, acking each, until ``expected`` arrived and nothing else is waiting."""
    message_ids: list[str] = []

    def on_message(body, message: kombu.Message) -> None:
        message_ids.append(message.properties["message_id"])
        message.ack()

    deadline = time.monotonic() + 30
    with kombu.Consumer(connection, [consumer_queue(queue_name)], callbacks=[on_message], accept=["json"]):
        while len(message_ids) < expected and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):  # nothing arrived in this slice
                connection.drain_events(timeout=0.2)
    # Every publish was confirmed before the relays returned, so any extra copy would be waiting by now.
    assert waiting(connection, queue_name) == 0
    return message_ids
