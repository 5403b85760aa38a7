"""A consumer whose ack fails because the broker connection dropped must hand the failure to kombu's reconnect.

Found by the broker outage test: ``rabbitmqctl stop_app`` closes every connection; the worker's next ack raised
``ConnectionResetError`` (then ``BrokenPipeError``), which the handling loop took for a transient handler fault.
It applied the event again and acked again on the dead channel, forever: the worker never reconnected. The
notifications worker now batches on RabbitMQ and acks outside that loop, but the one-at-a-time path (the flow
bridge's plain EventConsumer, the broker-less mode, a batch that failed) still runs it. Here the dropped
connection is a message whose ack raises exactly what py-amqp raised in the outage.
"""

from __future__ import annotations

import threading

import kombu
import pytest

from services.common.bus.consumer import EventConsumer
from services.common.bus.envelope import Envelope

pytestmark = pytest.mark.reliability


class MessageOnADroppedConnection:
    """What kombu hands the callback when the broker has gone away meanwhile: acking it raises."""

    def __init__(self) -> None:
        self.ack_attempts = 0

    def ack(self) -> None:
        self.ack_attempts += 1
        raise ConnectionResetError(104, "Connection reset by peer")

    def requeue(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_an_ack_that_fails_on_a_dropped_connection_is_raised_at_once_and_the_event_is_handled_once():
    started_runs: list[str] = []  # what the flow bridge's handler would start: one flow run per event
    bridge = kombu.Connection("memory://")
    consumer = EventConsumer(bridge, "bridge.stage-events", lambda event: started_runs.append(event.type))
    envelope = Envelope(type="tender.published", payload={"tender_id": 7}, producer="contracting")
    message = MessageOnADroppedConnection()
    raised: list[BaseException] = []

    def deliver() -> None:
        try:
            consumer.on_message(envelope.to_dict(), message)
        except BaseException as exc:
            raised.append(exc)

    delivery = threading.Thread(target=deliver, daemon=True)
    delivery.start()
    delivery.join(timeout=3)
    stuck = delivery.is_alive()
    consumer.should_stop = True  # ends the loop if it is still spinning
    delivery.join(timeout=15)

    assert not stuck, f"still retrying after 3 s: handler ran {len(started_runs)} times, {message.ack_attempts} acks"
    assert [type(exc) for exc in raised] == [ConnectionResetError]
    assert started_runs == ["tender.published"]
