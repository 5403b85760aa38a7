"""Dispatchers sharing one database never send the same delivery twice; a dead dispatcher's lease runs out."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from services.common.migrations import upgrade
from services.notifications.adapters.orm import Delivery
from services.notifications.bootstrap import bootstrap
from services.notifications.service_layer.dispatch import claim_due, dispatch_due, finish
from tests.notifications.conftest import (
    START,
    accreditation_granted,
    consumer_for,
    deliveries,
    event,
    provider_registered,
    tender_payload,
)


class RecordingChannel:
    """Stands in for a slow relay: each send takes a little while, and every send is recorded."""

    def __init__(self, seconds: float = 0.005) -> None:
        self.seconds = seconds
        self.sent: list[int] = []
        self.by_thread: Counter = Counter()
        self._lock = threading.Lock()

    def send(self, message) -> None:
        time.sleep(self.seconds)
        with self._lock:
            self.sent.append(message.delivery_id)
            self.by_thread[threading.current_thread().name] += 1


def publish_to_many_csos(context, count: int) -> None:
    consumer = consumer_for(context)
    for provider_id in range(1, count + 1):
        consumer.process(provider_registered(provider_id, f"cso{provider_id}@example.md"))
        consumer.process(accreditation_granted(100 + provider_id, provider_id))
    consumer.process(event("tender.published", tender_payload(), "ocds-sscp01-7"))


def run_dispatchers(context, channels: dict, count: int = 4) -> None:
    """``count`` dispatchers started together, each taking small batches until nothing is due."""
    start = threading.Barrier(count)

    def dispatcher() -> None:
        start.wait()
        while dispatch_due(context, START, channels, limit=2).total():
            pass

    threads = [threading.Thread(target=dispatcher, name=f"dispatcher-{n}") for n in range(1, count + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.mark.postgres
def test_concurrent_dispatchers_on_postgresql_send_every_delivery_exactly_once(postgres_database, brokerless_bus_url):
    upgrade("notifications", postgres_database)
    context = bootstrap(database_url=postgres_database, bus_url=brokerless_bus_url)
    context.clock = lambda: START
    publish_to_many_csos(context, 20)
    email = RecordingChannel()
    run_dispatchers(context, {"email": email, "inbox": RecordingChannel(0.001)})

    emails = deliveries(context, channel="email")
    assert len(emails) == 20 and {d.status for d in emails} == {"sent"}
    assert sorted(email.sent) == sorted(d.id for d in emails)  # each once, none twice
    assert len(email.by_thread) >= 2  # several really worked, side by side
    assert {d.attempts for d in emails} == {1}
    context.engine.dispose()


@pytest.mark.postgres
@pytest.mark.timeout(30)  # a dispatcher that waited for the locked rows would hang here
def test_a_dispatcher_on_postgresql_skips_rows_another_is_claiming_instead_of_waiting_or_taking_them(
    postgres_database, brokerless_bus_url
):
    upgrade("notifications", postgres_database)
    context = bootstrap(database_url=postgres_database, bus_url=brokerless_bus_url)
    context.clock = lambda: START  # deliveries due at START, whatever the wall clock says
    publish_to_many_csos(context, 3)
    first_two = [d.id for d in deliveries(context, channel="email")][:2]
    with context.session_factory() as other, other.begin():
        # Another dispatcher is mid-claim on the first two rows: they are locked in its open transaction.
        other.scalars(select(Delivery).where(Delivery.id.in_(first_two)).with_for_update()).all()
        email = RecordingChannel(0)
        outcomes = dispatch_due(context, START, {"email": email})
        assert outcomes["sent"] == 1 and email.sent[0] not in first_two
    assert dispatch_due(context, START, {"email": email})["sent"] == 2
    assert sorted(email.sent) == sorted(d.id for d in deliveries(context, channel="email"))
    context.engine.dispose()


def test_concurrent_dispatchers_on_sqlite_send_every_delivery_exactly_once(context):
    publish_to_many_csos(context, 12)
    email = RecordingChannel()
    run_dispatchers(context, {"email": email, "inbox": RecordingChannel(0.001)})
    emails = deliveries(context, channel="email")
    assert {d.status for d in emails} == {"sent"} and sorted(email.sent) == sorted(d.id for d in emails)


def test_a_dispatcher_that_died_mid_send_loses_its_lease_and_another_sends_the_delivery(context, consumer, clock):
    consumer.process(provider_registered(1, "casa@example.md"))
    consumer.process(event("tender.invitation_sent", tender_payload(provider_id=1), "ocds-sscp01-7"))
    (stale_claim,) = claim_due(context, clock(), ["email"], limit=10)  # ... and then it died
    survivor = RecordingChannel(0)
    assert dispatch_due(context, clock.advance(seconds=60), {"email": survivor}).total() == 0  # lease still held
    assert dispatch_due(context, clock.advance(seconds=300), {"email": survivor})["sent"] == 1
    assert finish(context, stale_claim, clock(), None, False) == "lost"  # the late one cannot overwrite it
    (mail,) = deliveries(context, channel="email")
    assert mail.status == "sent" and mail.attempts == 2 and survivor.sent == [mail.id]
