"""The broker-less bus (kombu's SQLAlchemy transport on a SQLite file) carries events between processes.

Its exchange bindings live in each process's memory (DESIGN.md §9): a publisher that had not declared the
consumers' queues itself would drop every message without an error. ``connect()`` declares the whole topology,
so a publisher process that knows nothing of its consumers still delivers every event.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from services.common.bus.connection import connect, purge_consumed, restore_unacknowledged
from services.common.bus.outbox import OutboxRelay
from services.common.bus.topology import consumer_queue

ROOT = Path(__file__).resolve().parents[3]
EVENT_COUNT = 200

# A producing service's relay process: its own models, its own connection, nothing shared with the consumer.
PUBLISHER = """
import sys
from sqlalchemy.orm import DeclarativeBase
from services.common.bus.connection import connect, purge_consumed
from services.common.bus.outbox import OutboxRelay
from services.common.bus.outbox import OutboxMixin, OutboxRelay
from services.common.db import make_engine, make_session_factory

class Base(DeclarativeBase):
    pass

class OutboxMessage(OutboxMixin, Base):
    pass

database_url, bus_url = sys.argv[1:3]
connection = connect(bus_url)
relay = OutboxRelay(make_session_factory(make_engine(database_url)), OutboxMessage, connection, batch_size=50)
published = 0
while batch := relay.relay_once():
    published += batch
connection.release()
print(published)
"""


def test_every_event_relayed_by_another_process_is_applied_exactly_once(
    service_db, consumer_db, brokerless_bus_url, idempotent_consumer_for, drain_consumer
):
    envelopes = service_db.commit_events(EVENT_COUNT)
    with subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, str(service_db.engine.url), brokerless_bus_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as publisher:
        try:
            connection = connect(brokerless_bus_url)
            try:
                consumer = idempotent_consumer_for(connection, consumer_db)

                def all_delivered_or_publisher_failed() -> bool:
                    return consumer.handled >= EVENT_COUNT or publisher.poll() not in (None, 0)

                # A bound, not a speed check (bench/ measures that): a few seconds alone, but 60 s ran out once
                # with the e2e rounds playing beside the suite on a slow 2-core machine.
                drain_consumer(consumer, until=all_delivered_or_publisher_failed, timeout=180)
                waiting = consumer_queue(consumer.queue_name)(connection.default_channel).queue_declare(passive=True)
            finally:
                connection.release()
            stdout, stderr = publisher.communicate(timeout=60)
        finally:
            if publisher.poll() is None:
                publisher.kill()

    assert publisher.returncode == 0, stderr
    assert stdout.strip() == str(EVENT_COUNT)
    assert service_db.unpublished_count() == 0
    delivered = consumer_db.delivered_event_ids()
    assert len(delivered) == EVENT_COUNT
    assert sorted(delivered) == sorted(envelope.event_id for envelope in envelopes)
    assert consumer.duplicates == 0
    assert waiting.message_count == 0


def test_purging_consumed_messages_keeps_every_message_still_waiting(service_db, brokerless_bus_url):
    envelopes = service_db.commit_events(3)
    connection = connect(brokerless_bus_url)
    try:
        OutboxRelay(service_db.sessions, service_db.outbox_model, connection).relay_once()
        queue = consumer_queue("contracting.registry-events")(connection.default_channel)
        for _ in range(2):
            queue.get().ack()

        assert purge_consumed(brokerless_bus_url, "contracting.registry-events") == 2

        last = queue.get()
        assert last.properties["message_id"] == envelopes[2].event_id
        last.ack()
        assert queue.get() is None
        notified = consumer_queue("notifications.events")(connection.default_channel).queue_declare(passive=True)
        assert notified.message_count == 3
    finally:
        connection.release()


TAKE_AND_DIE = """
import os, signal, sys
from services.common.bus.connection import connect
from services.common.bus.topology import consumer_queue
connection = connect(sys.argv[1])
message = consumer_queue("contracting.registry-events")(connection.default_channel).get()
print(message.properties["message_id"], flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # took it, never acked it: as a consumer SIGKILLed mid-message
"""


def test_a_message_a_sigkilled_consumer_had_taken_is_delivered_again_when_its_queue_is_restored(
    service_db, brokerless_bus_url
):
    envelopes = service_db.commit_events(2)
    connection = connect(brokerless_bus_url)
    try:
        OutboxRelay(service_db.sessions, service_db.outbox_model, connection).relay_once()
        dead = subprocess.run(
            [sys.executable, "-c", TAKE_AND_DIE, brokerless_bus_url], cwd=ROOT, capture_output=True, text=True
        )
        assert dead.returncode == -9 and dead.stdout.strip() == envelopes[0].event_id
        queue = consumer_queue("contracting.registry-events")(connection.default_channel)
        second = queue.get()
        assert second.properties["message_id"] == envelopes[1].event_id, "the taken one is gone from the queue"
        second.ack()
        assert queue.get() is None

        assert restore_unacknowledged(brokerless_bus_url, "contracting.registry-events") == 2
        again = {message.properties["message_id"] for message in (queue.get(), queue.get())}
        assert envelopes[0].event_id in again, "the message the dead consumer held is delivered again"
    finally:
        connection.release()
