"""The transactional outbox: nothing published that was not committed, nothing committed lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.common.bus.envelope import Envelope
from services.common.bus.outbox import OutboxRelay
from services.common.bus.topology import consumer_queue
from services.common.unit_of_work import UnitOfWork


def queued_messages(connection, queue_name: str) -> list:
    """Take every message waiting on a queue, in order."""
    queue = consumer_queue(queue_name)(connection.default_channel)
    messages = []
    while (message := queue.get(no_ack=True)) is not None:
        messages.append(message)
    return messages


def register_provider(service_db, name: str, commit: bool) -> Envelope:
    with UnitOfWork(service_db.sessions, service_db.outbox_model, producer="registry") as uow:
        uow.session.add(service_db.provider_model(name=name))
        envelope = uow.emit("provider.registered", {"name": name})
        if commit:
            uow.commit()
    return envelope


def test_state_change_and_its_event_commit_together(service_db):
    envelope = register_provider(service_db, "Casa Speranței", commit=True)

    assert service_db.provider_names() == ["Casa Speranței"]
    assert service_db.outbox_event_ids() == [envelope.event_id]
    with service_db.sessions() as session:
        row = session.scalars(select(service_db.outbox_model)).one()
        assert Envelope.from_dict(row.body) == envelope
        assert row.published_at is None


def test_unit_of_work_left_without_commit_keeps_neither_the_state_change_nor_the_event(service_db):
    register_provider(service_db, "Casa Speranței", commit=False)

    assert service_db.provider_names() == []
    assert service_db.outbox_event_ids() == []


def test_unit_of_work_that_raises_keeps_neither_the_state_change_nor_the_event(service_db):
    with pytest.raises(RuntimeError), UnitOfWork(service_db.sessions, service_db.outbox_model, "registry") as uow:
        uow.session.add(service_db.provider_model(name="Casa Speranței"))
        uow.emit("provider.registered", {"name": "Casa Speranței"})
        uow.session.flush()
        raise RuntimeError("validation failed after the event was staged")

    assert service_db.provider_names() == []
    assert service_db.outbox_event_ids() == []


def test_relay_publishes_committed_rows_in_id_order_and_marks_them_published(service_db, memory_bus):
    envelopes = service_db.commit_events(7)
    relay = OutboxRelay(service_db.sessions, service_db.outbox_model, memory_bus, batch_size=3)

    published_per_batch = [relay.relay_once() for _ in range(4)]

    assert published_per_batch == [3, 3, 1, 0]
    messages = queued_messages(memory_bus, "contracting.registry-events")
    assert [message.properties["message_id"] for message in messages] == [e.event_id for e in envelopes]
    assert [Envelope.from_dict(message.decode()) for message in messages] == envelopes
    assert {message.content_type for message in messages} == {"application/json"}
    assert service_db.unpublished_count() == 0
    assert relay.backlog() == 0


def test_second_relay_pass_publishes_nothing_again(service_db, memory_bus):
    service_db.commit_events(5)
    relay = OutboxRelay(service_db.sessions, service_db.outbox_model, memory_bus)
    assert relay.relay_once() == 5
    queued_messages(memory_bus, "contracting.registry-events")

    assert relay.relay_once() == 0
    assert queued_messages(memory_bus, "contracting.registry-events") == []


def test_events_of_a_rolled_back_unit_of_work_are_never_published(service_db, memory_bus):
    kept = register_provider(service_db, "Casa Speranței", commit=True)
    register_provider(service_db, "Abandoned draft", commit=False)
    relay = OutboxRelay(service_db.sessions, service_db.outbox_model, memory_bus)

    while relay.relay_once():
        pass

    messages = queued_messages(memory_bus, "contracting.registry-events")
    assert [message.properties["message_id"] for message in messages] == [kept.event_id]
