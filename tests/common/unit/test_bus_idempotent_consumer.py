"""The idempotent consumer: each event's effect exactly once; failures retried, rolled back, then parked."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from kombu import Producer

from services.common.bus import consumer as consumer_module
from services.common.bus.envelope import Envelope
from services.common.bus.outbox import OutboxRelay
from services.common.bus.topology import EXCHANGE, consumer_queue, parking_queue

EVENT_TYPE = "provider.registered"


@pytest.fixture
def backoff_sleeps(monkeypatch) -> list[float]:
    """The consumer's back-off pauses, recorded instead of slept."""
    sleeps: list[float] = []
    monkeypatch.setattr(consumer_module, "time", SimpleNamespace(sleep=sleeps.append))
    return sleeps


def publish(connection, body, serializer: str = "json", routing_key: str = EVENT_TYPE) -> None:
    Producer(connection.default_channel, exchange=EXCHANGE).publish(
        body, routing_key=routing_key, serializer=serializer
    )


def waiting(connection, queue) -> int:
    return queue(connection.default_channel).queue_declare(passive=True).message_count


def parked_messages(connection, queue_name: str) -> list:
    queue = parking_queue(queue_name)(connection.default_channel)
    messages = []
    while (message := queue.get(no_ack=True)) is not None:
        messages.append(message)
    return messages


def an_event(n: int = 0) -> Envelope:
    return Envelope(type=EVENT_TYPE, payload={"n": n}, producer="registry")


def test_relay_crash_after_publishing_republishes_and_consumer_applies_each_event_once(
    service_db, consumer_db, memory_bus, idempotent_consumer_for, drain_consumer
):
    envelopes = service_db.commit_events(10)

    def crash(row_ids: list[int]) -> None:
        raise RuntimeError("relay killed before marking rows sent")

    with pytest.raises(RuntimeError, match="relay killed"):
        OutboxRelay(service_db.sessions, service_db.outbox_model, memory_bus, after_publish=crash).relay_once()
    assert service_db.unpublished_count() == 10

    restarted = OutboxRelay(service_db.sessions, service_db.outbox_model, memory_bus)
    assert restarted.relay_once() == 10
    assert service_db.unpublished_count() == 0

    consumer = idempotent_consumer_for(memory_bus, consumer_db)
    drain_consumer(consumer, until=lambda: consumer.handled == 20)

    assert sorted(consumer_db.delivered_event_ids()) == sorted(e.event_id for e in envelopes)
    assert consumer.duplicates == 10
    assert sorted(consumer_db.ledger_event_ids()) == sorted(e.event_id for e in envelopes)
    assert waiting(memory_bus, consumer_queue(consumer.queue_name)) == 0


def test_redelivered_event_has_exactly_one_effect_and_both_copies_are_acked(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer
):
    event = an_event()
    publish(memory_bus, event.to_dict())
    publish(memory_bus, event.to_dict())
    consumer = idempotent_consumer_for(memory_bus, consumer_db)
    outcomes: list[str] = []

    drain_consumer(consumer, until=lambda: len(outcomes) == 2, observe=lambda body, m: outcomes.append(m._state))

    assert consumer_db.delivered_event_ids() == [event.event_id]
    assert consumer.duplicates == 1
    assert outcomes == ["ACK", "ACK"]


def test_event_whose_effect_committed_before_a_lost_ack_is_ignored_when_redelivered(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer
):
    event = an_event()
    consumer = idempotent_consumer_for(memory_bus, consumer_db)
    consumer.process(event)  # the effect committed, then the worker died before acking
    publish(memory_bus, event.to_dict())  # so the broker delivers it again

    drain_consumer(consumer, until=lambda: consumer.handled == 1)

    assert consumer_db.delivered_event_ids() == [event.event_id]
    assert consumer.duplicates == 1


def test_handler_failure_rolls_back_both_its_effect_and_the_ledger_row_so_a_retry_can_succeed(
    consumer_db, memory_bus, idempotent_consumer_for
):
    calls = []

    def fails_once_after_writing(session, envelope):
        consumer_db.record_delivery(session, envelope)
        session.flush()
        calls.append(envelope.event_id)
        if len(calls) == 1:
            raise ValueError("downstream rule broke after the effect was written")

    event = an_event()
    consumer = idempotent_consumer_for(memory_bus, consumer_db, handler=fails_once_after_writing)

    with pytest.raises(ValueError, match="downstream rule broke"):
        consumer.process(event)
    assert consumer_db.delivered_event_ids() == []
    assert consumer_db.ledger_event_ids() == []

    consumer.process(event)
    assert consumer_db.delivered_event_ids() == [event.event_id]
    assert consumer_db.ledger_event_ids() == [event.event_id]


def test_handler_that_fails_once_is_retried_and_its_event_applied_once_without_parking(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer, backoff_sleeps
):
    calls = []

    def fails_once(session, envelope):
        consumer_db.record_delivery(session, envelope)
        calls.append(envelope.event_id)
        if len(calls) == 1:
            raise ValueError("first attempt fails")

    event = an_event()
    publish(memory_bus, event.to_dict())
    consumer = idempotent_consumer_for(memory_bus, consumer_db, handler=fails_once)

    drain_consumer(consumer, until=lambda: consumer.handled == 1)

    assert calls == [event.event_id, event.event_id]
    assert consumer_db.delivered_event_ids() == [event.event_id]
    assert len(backoff_sleeps) == 1
    assert parked_messages(memory_bus, consumer.queue_name) == []


def test_handler_that_keeps_failing_is_parked_after_max_attempts_and_acked(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer, backoff_sleeps
):
    calls = []

    def always_fails(session, envelope):
        consumer_db.record_delivery(session, envelope)
        calls.append(envelope.event_id)
        raise ValueError("provider has no district")

    event = an_event()
    publish(memory_bus, event.to_dict())
    consumer = idempotent_consumer_for(memory_bus, consumer_db, handler=always_fails)
    consumer.max_attempts = 3
    outcomes: list[str] = []

    drain_consumer(consumer, until=lambda: len(outcomes) == 1, observe=lambda body, m: outcomes.append(m._state))

    assert len(calls) == 3
    assert len(backoff_sleeps) == 2
    assert outcomes == ["ACK"]
    parked = parked_messages(memory_bus, consumer.queue_name)
    assert len(parked) == 1
    assert Envelope.from_dict(parked[0].decode()) == event
    assert "ValueError: provider has no district" in parked[0].headers["x-park-reason"]
    assert consumer_db.delivered_event_ids() == []
    assert consumer_db.ledger_event_ids() == []
    assert waiting(memory_bus, consumer_queue(consumer.queue_name)) == 0


def test_invalid_envelope_is_parked_at_once_without_calling_the_handler(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer, backoff_sleeps
):
    calls = []
    body = an_event().to_dict()
    del body["event_id"]
    publish(memory_bus, body)
    consumer = idempotent_consumer_for(memory_bus, consumer_db, handler=lambda session, e: calls.append(e))
    outcomes: list[str] = []

    drain_consumer(consumer, until=lambda: len(outcomes) == 1, observe=lambda body, m: outcomes.append(m._state))

    assert calls == []
    assert backoff_sleeps == []
    assert outcomes == ["ACK"]
    parked = parked_messages(memory_bus, consumer.queue_name)
    assert [message.decode() for message in parked] == [body]
    assert "invalid envelope: missing fields: event_id" in parked[0].headers["x-park-reason"]


def test_pickled_message_is_never_unpickled_or_handled(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer
):
    calls = []
    publish(memory_bus, an_event().to_dict(), serializer="pickle")
    consumer = idempotent_consumer_for(memory_bus, consumer_db, handler=lambda session, e: calls.append(e))
    queue = consumer_queue(consumer.queue_name)

    drain_consumer(consumer, until=lambda: waiting(memory_bus, queue) == 0)

    assert calls == []
    assert consumer_db.delivered_event_ids() == []


@pytest.mark.parametrize(
    ("body", "serializer"),
    [({"event": "pickled"}, "pickle"), ('{"event_id": "truncated', None)],
    ids=["pickle", "malformed-json"],
)
def test_message_that_cannot_be_decoded_is_parked_not_dropped(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer, body, serializer
):
    if serializer is None:
        Producer(memory_bus.default_channel, exchange=EXCHANGE).publish(
            body, routing_key=EVENT_TYPE, content_type="application/json", content_encoding="utf-8"
        )
    else:
        publish(memory_bus, body, serializer=serializer)
    consumer = idempotent_consumer_for(memory_bus, consumer_db)
    queue = consumer_queue(consumer.queue_name)

    drain_consumer(consumer, until=lambda: waiting(memory_bus, queue) == 0)

    assert len(parked_messages(memory_bus, consumer.queue_name)) == 1


def test_envelope_with_a_non_integer_version_is_parked_instead_of_crashing_the_consumer(
    consumer_db, memory_bus, idempotent_consumer_for, drain_consumer, backoff_sleeps
):
    body = dict(an_event().to_dict(), version="two")
    publish(memory_bus, body)
    consumer = idempotent_consumer_for(memory_bus, consumer_db)
    outcomes: list[str] = []

    drain_consumer(consumer, until=lambda: len(outcomes) == 1, observe=lambda body, m: outcomes.append(m._state))

    assert outcomes == ["ACK"]
    assert [json.loads(m.body) for m in parked_messages(memory_bus, consumer.queue_name)] == [body]


def test_event_committed_by_a_racing_worker_first_is_counted_as_a_duplicate_not_applied_twice(
    consumer_db, memory_bus, idempotent_consumer_for
):
    event = an_event()
    rival = idempotent_consumer_for(memory_bus, consumer_db)

    def rival_wins_meanwhile(session, envelope):
        rival.process(envelope)  # another worker commits the same event while this one is mid-transaction
        consumer_db.record_delivery(session, envelope)

    consumer = idempotent_consumer_for(memory_bus, consumer_db, handler=rival_wins_meanwhile)
    consumer.process(event)

    assert consumer_db.delivered_event_ids() == [event.event_id]
    assert consumer_db.ledger_event_ids() == [event.event_id]
    assert (consumer.duplicates, rival.duplicates) == (1, 0)
