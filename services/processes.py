"""The long-running processes other than the APIs: outbox relays, consumers, the dispatcher and the flow bridge.

Each loop can run as a process of its own (`sscp relay|consume|dispatch`, one container each in docker-compose.yml,
scaled apart) or with the other loops of its service in one process (`sscp background SERVICE`, deploy/Procfile*:
one interpreter per service on one machine instead of one per loop, ~45 MB each; issue 21).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

from kombu import Connection

from services.common.bootstrap import ServiceContext
from services.common.bus import connection as bus
from services.common.bus.consumer import EventConsumer
from services.common.bus.outbox import OutboxRelay
from services.common.bus.outbox_wakeup import OutboxWakeup
from services.common.runtime import BACKGROUND_PROCESSES, Heartbeat, StopFlag, name_component_thread

log = logging.getLogger(__name__)

SERVICE_NAMES = ("registry", "contracting", "notifications")
# Each process's name in deploy/Procfile and docker-compose.yml, which its heartbeat file carries.
CONSUMER_PROCESS_NAMES = {"contracting": "contracting-consumer", "notifications": "notifications-worker"}


def service_context(name: str) -> ServiceContext:
    # Imported inside each branch: a process wires only its own service, not all three.
    if name == "registry":
        from services.registry.bootstrap import bootstrap
    elif name == "contracting":
        from services.contracting.bootstrap import bootstrap
    elif name == "notifications":
        from services.notifications.bootstrap import bootstrap
    else:
        raise ValueError(f"no service named {name!r}; the services are {', '.join(SERVICE_NAMES)}")
    return bootstrap()


def build_consumer(name: str, context: ServiceContext, connection: Connection) -> EventConsumer:
    """The service's bus consumer (only contracting and notifications consume events)."""
    if name == "contracting":
        from services.contracting.entrypoints.consumer import build_consumer
    elif name == "notifications":
        from services.notifications.entrypoints.consumer import build_consumer
    else:
        raise ValueError(f"{name!r} has no bus consumer; contracting and notifications have")
    return build_consumer(context, connection)


def run_relay(name: str) -> None:
    context = service_context(name)
    relay_loop(name, context, StopFlag(Heartbeat(f"{name}-relay")))


def run_consumer(name: str) -> None:
    context = service_context(name)
    consumer_loop(name, context, StopFlag(Heartbeat(CONSUMER_PROCESS_NAMES[name])))


def run_dispatcher(name: str) -> None:
    dispatcher_loop(name, service_context(name), StopFlag(Heartbeat(f"{name}-dispatcher")))


def run_background(name: str) -> None:
    """Every loop that serves NAME in the background (runtime.BACKGROUND_PROCESSES), one thread each, in this
    process: one SIGTERM stops them all after their current unit of work; each beats its own heartbeat, so
    /readyz and `sscp health heartbeat` see each loop as before. A loop that ends on its own takes the process
    down with it (exit 1), and the supervisor starts all of them again: nothing half-alive goes on running."""
    context = service_context(name)
    stop = StopFlag()
    threads = []
    for loop_name in BACKGROUND_PROCESSES[name]:
        loop = _LOOPS[loop_name.removeprefix(f"{name}-")]
        args = (loop, name, context, stop.for_loop(Heartbeat(loop_name)))
        thread = threading.Thread(target=_run_loop, args=args, daemon=True)
        name_component_thread(thread, loop_name)
        threads.append(thread)
        thread.start()
    log.info("%s: %s running in one process", name, ", ".join(t.name for t in threads))
    while not stop.wait(1.0):
        ended = [t.name for t in threads if not t.is_alive()]
        if ended:
            log.error("%s ended on its own (its log says why): stopping the others so the process restarts", ended)
            stop.set()
            _join(threads)
            sys.exit(1)
    _join(threads)


def _run_loop(loop: Callable[[str, ServiceContext, StopFlag], None], *args) -> None:
    try:
        loop(*args)
    except Exception:  # logged here, in the loop's own name; run_background sees the thread end and exits 1
        log.exception("stopped by an error it could not retry")


def _join(threads: list[threading.Thread], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


def relay_loop(name: str, context: ServiceContext, stop: StopFlag) -> None:
    connection = bus.connect(context.settings.bus_url)
    relay = OutboxRelay(context.session_factory, context.outbox_model, connection)
    log.info("%s outbox relay publishing to %s", name, _safe(context.settings.bus_url))
    wakeup = OutboxWakeup.for_engine(context.engine)  # None on SQLite: the relay polls
    try:
        relay.run(should_stop=stop, wakeup=wakeup)
    finally:
        if wakeup is not None:
            wakeup.close()


def consumer_loop(name: str, context: ServiceContext, stop: StopFlag) -> None:
    url = context.settings.bus_url
    _consume(build_consumer(name, context, bus.connect(url)), stop, url)


def dispatcher_loop(name: str, context: ServiceContext, stop: StopFlag) -> None:
    from services.notifications.entrypoints.dispatcher import run_dispatcher as dispatch

    if name != "notifications":
        raise ValueError(f"{name!r} has no dispatcher; notifications has")
    dispatch(stop, context)


_LOOPS: dict[str, Callable[[str, ServiceContext, StopFlag], None]] = {
    "relay": relay_loop,
    "consumer": consumer_loop,
    "worker": consumer_loop,  # notifications' consumer: its deliveries worker
    "dispatcher": dispatcher_loop,
}


def run_bridge() -> None:
    from flows.bridge import QUEUE, start_stage_run
    from flows.stage_watch import keep_reviving_stuck_runs
    from services.common.settings import bus_url

    keep_reviving_stuck_runs()  # runs a dying runner, worker or server left PENDING or CRASHED (flows/stage_watch.py)
    url = bus_url()
    _consume(EventConsumer(bus.connect(url), QUEUE, start_stage_run), StopFlag(Heartbeat("flow-bridge")), url)


def _consume(consumer: EventConsumer, stop: StopFlag, url: str) -> None:
    tidy = BrokerlessQueueTidy(url, consumer.queue_name) if bus.is_brokerless(url) else None
    if tidy:
        tidy.restore()

    def between_messages() -> None:
        # kombu's ConsumerMixin calls on_iteration at least once a second (each drain_events timeout), never
        # while a message is being handled: every message it delivered has been acked (or requeued) by then.
        # The stop flag's check is the loop's heartbeat; ConsumerMixin stops at its next turn once it is set,
        # so the current message finishes and is acked first.
        if stop():
            consumer.should_stop = True
        if tidy:
            tidy.purge_now_and_then()

    consumer.on_iteration = between_messages
    log.info("consuming %s", consumer.queue_name)
    consumer.run()
    if tidy:
        # A clean stop: every message handled was acked (kombu restores any other as a new row), so the next start
        # has only what this one could not see to restore, not the acked history since the last purge.
        tidy.purge()


class BrokerlessQueueTidy:
    """The broker-less bus's redelivery, done by a queue's one consumer (services/common/bus/connection.py)."""

    def __init__(self, url: str, queue_name: str, every_seconds: float = 30) -> None:
        self.url, self.queue_name, self.every_seconds = url, queue_name, every_seconds
        self.last_purge = time.monotonic()

    def restore(self) -> None:
        restored = bus.restore_unacknowledged(self.url, self.queue_name)
        if restored:
            log.info("%s: %d message(s) taken but never acknowledged delivered again", self.queue_name, restored)

    def purge_now_and_then(self) -> None:
        if time.monotonic() - self.last_purge >= self.every_seconds:
            self.purge()

    def purge(self) -> None:
        bus.purge_consumed(self.url, self.queue_name)
        self.last_purge = time.monotonic()


def _safe(url: str) -> str:
    """A URL fit for a log line: no password."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
