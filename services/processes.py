"""The long-running processes other than the APIs: outbox relays, consumers and the flow bridge."""

from __future__ import annotations

import logging
import signal
import time

from kombu import Connection

from services.common.bootstrap import ServiceContext
from services.common.bus import connection as bus
from services.common.bus.consumer import EventConsumer
from services.common.bus.outbox import OutboxRelay
from services.common.runtime import Heartbeat, StopFlag

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
    stop = StopFlag(Heartbeat(f"{name}-relay"))
    connection = bus.connect(context.settings.bus_url)
    relay = OutboxRelay(context.session_factory, context.outbox_model, connection)
    log.info("%s outbox relay publishing to %s", name, _safe(context.settings.bus_url))
    relay.run(should_stop=stop)


def run_consumer(name: str) -> None:
    context = service_context(name)
    url = context.settings.bus_url
    _run(build_consumer(name, context, bus.connect(url)), CONSUMER_PROCESS_NAMES[name], url)


def run_bridge() -> None:
    from flows.bridge import QUEUE, start_stage_run
    from flows.stage_watch import keep_reviving_stuck_runs
    from services.common.settings import bus_url

    keep_reviving_stuck_runs()  # runs a dying runner, worker or server left PENDING or CRASHED (flows/stage_watch.py)
    url = bus_url()
    _run(EventConsumer(bus.connect(url), QUEUE, start_stage_run), "flow-bridge", url)


def _run(consumer: EventConsumer, process_name: str, url: str) -> None:
    def stop(_signum, _frame) -> None:
        # ConsumerMixin checks should_stop between messages: the current one finishes and is acked first.
        consumer.should_stop = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    heartbeat = Heartbeat(process_name)
    tidy = BrokerlessQueueTidy(url, consumer.queue_name) if bus.is_brokerless(url) else None
    if tidy:
        tidy.restore()

    def between_messages() -> None:
        # kombu's ConsumerMixin calls on_iteration at least once a second (each drain_events timeout), never
        # while a message is being handled: every message it delivered has been acked (or requeued) by then.
        heartbeat.beat()
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
