"""RabbitMQ stopped for ~10 s while 5,000 events are committed: once it is back, every event is delivered once.

This module briefly stops the machine's shared RabbitMQ (``rabbitmqctl stop_app`` for ~10 s; everyone's
connections drop). One outage serves both tests: the relay's side (nothing committed stays behind) and the
worker's side (5,000 events' worth of delivery records, none lost, none twice). The relay and the worker are
the real `sscp` processes and must come through the outage by themselves: neither is restarted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from tests.reliability.conftest import (
    Processes,
    private_databases,
    private_vhost,
    process_environment,
    rabbitmq_stopped,
    wait_until,
)
from tests.reliability.event_pipeline import CONSUMER_QUEUE, EventPipeline

pytestmark = [pytest.mark.reliability, pytest.mark.rabbitmq, pytest.mark.postgres]

EVENTS = 5000
EVENTS_PER_SECOND = 350  # ~14 s of production, so it runs before, through and after the outage
OUTAGE_SECONDS = 10


class ScenarioBroke(RuntimeError):
    """The outage could not be staged (not a finding about the platform)."""


@dataclass
class OutageRun:
    pipeline: EventPipeline
    processes: Processes
    committed_during_outage: int = 0
    relay_caught_up: str | None = "not measured"  # None: caught up; else why not
    delivered: str | None = "not measured"
    alive_afterwards: dict[str, bool] = field(default_factory=dict)
    waiting: dict[str, float] = field(default_factory=dict)


def outcome(wait) -> str | None:
    try:
        wait()
    except AssertionError as exc:
        return str(exc)
    return None


def stage_outage(run: OutageRun) -> None:
    pipeline, processes = run.pipeline, run.processes
    processes.sscp("relay", "relay", "registry")
    processes.sscp("worker", "consume", "notifications")
    pipeline.register_invited_cso()
    wait_until(pipeline.directory_knows_the_cso, 60, "the notifications directory learns of the invited CSO")
    with pipeline.inviting_in_background(EVENTS, EVENTS_PER_SECOND):
        wait_until(lambda: pipeline.committed_invitations() >= 500, 30, "the producer is under way")
        with rabbitmq_stopped():
            before = pipeline.committed_invitations()
            time.sleep(OUTAGE_SECONDS)  # the outage itself: this is the fault, not a wait for a result
            run.committed_during_outage = pipeline.committed_invitations() - before
    run.relay_caught_up = outcome(
        lambda: wait_until(
            lambda: pipeline.unpublished() == 0,
            90,
            "the relay publishes every committed event",
            progress=pipeline.published,
            stall_after=30,
        )
    )
    run.delivered = outcome(
        lambda: wait_until(
            pipeline.everything_delivered,
            120,
            "the worker applies every committed event",
            interval=0.5,
            progress=pipeline.processed_count,
            stall_after=25,
        )
    )
    run.alive_afterwards = {name: processes.alive(name) for name in ("relay", "worker")}
    run.waiting = pipeline.waiting_messages()


@pytest.fixture(scope="module")
def broker_outage(postgres_server, rabbitmq_server, tmp_path_factory):
    directory = tmp_path_factory.mktemp("broker-outage")
    with (
        private_databases(postgres_server, ("registry", "notifications")) as urls,
        private_vhost(rabbitmq_server) as bus_url,
    ):
        pipeline = EventPipeline(urls["registry"], urls["notifications"], bus_url)
        processes = Processes(directory / "logs", process_environment(directory / "var", **pipeline.settings()))
        run = OutageRun(pipeline, processes)
        try:
            stage_outage(run)
        except AssertionError as exc:
            raise ScenarioBroke(f"{exc}\n{processes.log_tail('relay')}\n{processes.log_tail('worker')}") from exc
        finally:
            processes.stop_all()
        yield run
        pipeline.dispose()


def test_the_relay_comes_through_a_broker_outage_by_itself_and_publishes_every_committed_event(broker_outage):
    run = broker_outage
    assert run.committed_during_outage > 1000, "events must have been committed while the broker was down"
    assert run.relay_caught_up is None, f"{run.relay_caught_up}\n{run.processes.log_tail('relay')}"
    assert run.alive_afterwards["relay"], run.processes.log_tail("relay")
    assert len(run.pipeline.invitation_event_ids) == EVENTS
    assert run.pipeline.unpublished() == 0


def test_every_event_committed_around_a_broker_outage_is_delivered_exactly_once_without_restarting_the_worker(
    broker_outage,
):
    run = broker_outage
    assert run.delivered is None, f"{run.delivered}\n{run.processes.log_tail('worker', 1500)}"
    assert run.alive_afterwards["worker"], run.processes.log_tail("worker")
    assert run.pipeline.exactly_once_problems() == []
    assert run.waiting == {CONSUMER_QUEUE: 0, f"{CONSUMER_QUEUE}.parked": 0}
