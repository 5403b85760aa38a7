"""Processes killed mid-stream on RabbitMQ and PostgreSQL: every event is still applied exactly once.

The notifications worker killed with SIGKILL (RabbitMQ redelivers what it had not acked; the idempotent
consumer drops what it had already applied), and the outbox relay killed between the broker's confirm and its
own commit (it publishes that batch again; the consumer drops the copies). Each test uses its own databases
and virtual host; none stops a server.
"""

from __future__ import annotations

import signal
import sys

import pytest

from tests.reliability.conftest import process_environment, wait_until
from tests.reliability.event_pipeline import CONSUMER_QUEUE, EventPipeline

pytestmark = [pytest.mark.reliability, pytest.mark.rabbitmq, pytest.mark.postgres]

BATCH = 200  # OutboxRelay's batch size, as `sscp relay` runs it


@pytest.fixture
def pipeline(postgres_databases, rabbitmq_url):
    pipeline = EventPipeline(postgres_databases["registry"], postgres_databases["notifications"], rabbitmq_url)
    yield pipeline
    pipeline.dispose()


@pytest.fixture
def platform(pipeline, processes, tmp_path):
    """Starts the real `sscp` processes against the pipeline's databases and virtual host."""
    return processes(process_environment(tmp_path / "var", **pipeline.settings()))


def waiting_in_queue(pipeline: EventPipeline) -> float:
    return pipeline.waiting_messages()[CONSUMER_QUEUE]


def deliver_everything(pipeline: EventPipeline, timeout: float = 90) -> None:
    wait_until(
        pipeline.everything_delivered,
        timeout,
        "the worker applies every committed event",
        interval=0.3,
        progress=pipeline.processed_count,
        stall_after=30,
    )


def assert_exactly_once(pipeline: EventPipeline) -> None:
    assert pipeline.exactly_once_problems() == []
    assert pipeline.waiting_messages() == {CONSUMER_QUEUE: 0, f"{CONSUMER_QUEUE}.parked": 0}


def test_a_worker_killed_with_sigkill_mid_stream_and_restarted_applies_every_event_exactly_once(pipeline, platform):
    platform.sscp("relay", "relay", "registry")
    platform.sscp("worker", "consume", "notifications")
    pipeline.register_invited_cso()
    wait_until(pipeline.directory_knows_the_cso, 60, "the notifications directory learns of the invited CSO")
    pipeline.invite(600, per_transaction=50)
    wait_until(lambda: pipeline.processed_count() >= 200, 60, "the worker is mid-stream", interval=0.05)

    platform.kill("worker")
    applied_before_the_kill = pipeline.processed_count()
    platform.sscp("worker", "consume", "notifications")
    deliver_everything(pipeline)

    assert applied_before_the_kill < 601, "the kill must land mid-stream"
    assert_exactly_once(pipeline)


def test_a_relay_killed_after_the_broker_confirmed_a_batch_but_before_marking_it_sent_is_deduplicated(
    pipeline, platform
):
    pipeline.register_invited_cso()
    pipeline.invite(600, per_transaction=100)
    committed = 601
    # No worker yet: the queue then counts every copy the relays put on the bus.
    dying = platform.start("dying-relay", sys.executable, "-m", "tests.reliability.dying_relay", "registry", "2")
    assert dying.wait(timeout=60) == -signal.SIGKILL, platform.log_tail("dying-relay")
    assert pipeline.published() == BATCH, "the second batch was confirmed by the broker but never marked sent"
    assert waiting_in_queue(pipeline) == 2 * BATCH

    platform.sscp("relay", "relay", "registry")
    wait_until(lambda: pipeline.unpublished() == 0, 60, "the restarted relay publishes the rest")
    assert waiting_in_queue(pipeline) == committed + BATCH, "the unmarked batch went out a second time"
    platform.sscp("worker", "consume", "notifications")
    deliver_everything(pipeline)

    assert_exactly_once(pipeline)


def test_a_relay_process_killed_with_sigkill_mid_stream_and_restarted_loses_and_duplicates_nothing(pipeline, platform):
    pipeline.register_invited_cso()
    pipeline.invite(800, per_transaction=100)
    committed = 801
    platform.sscp("relay", "relay", "registry")
    wait_until(lambda: pipeline.published() >= BATCH, 60, "the relay is mid-stream", interval=0.02)

    platform.kill("relay")
    published_before_the_kill = pipeline.published()
    platform.sscp("relay", "relay", "registry")
    wait_until(lambda: pipeline.unpublished() == 0, 60, "the restarted relay publishes the rest")
    copies_on_the_bus = waiting_in_queue(pipeline)
    platform.sscp("worker", "consume", "notifications")
    deliver_everything(pipeline)

    assert published_before_the_kill < committed, "the kill must land mid-stream"
    # A kill after a batch was confirmed and before its commit re-sends that batch; one between batches re-sends
    # nothing. Never fewer than every committed event.
    assert committed <= copies_on_the_bus <= committed + BATCH
    assert_exactly_once(pipeline)
