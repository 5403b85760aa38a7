"""The long-running processes other than the APIs: outbox relays, consumers and the flow bridge."""

from __future__ import annotations

import importlib
import logging
import signal

from services.common.bootstrap import ServiceContext
from services.common.bus import connection as bus
from services.common.bus.consumer import EventConsumer
from services.common.bus.outbox import OutboxRelay
from services.common.runtime import Heartbeat, StopFlag

log = logging.getLogger(__name__)

SERVICE_NAMES = ("registry", "contracting", "notifications")
CONSUMERS = {
    "contracting": "services.contracting.entrypoints.consumer",
    "notifications": "services.notifications.entrypoints.consumer",
}
# Each process's name in deploy/Procfile and docker-compose.yml, which its heartbeat file carries.
CONSUMER_PROCESS_NAMES = {"contracting": "contracting-consumer", "notifications": "notifications-worker"}


def service_context(name: str) -> ServiceContext:
    return importlib.import_module(f"services.{name}.bootstrap").bootstrap()


def run_relay(name: str) -> None:
    context = service_context(name)
    stop = StopFlag(Heartbeat(f"{name}-relay"))
    connection = bus.connect(context.settings.bus_url)
    relay = OutboxRelay(context.session_factory, context.outbox_model, connection)
    log.info("%s outbox relay publishing to %s", name, _safe(context.settings.bus_url))
    url = context.settings.bus_url
    relay.run(should_stop=stop, housekeeping=lambda: bus.purge_consumed(url) if bus.is_brokerless(url) else None)


def run_consumer(name: str) -> None:
    context = service_context(name)
    consumer = importlib.import_module(CONSUMERS[name]).build_consumer(context, bus.connect(context.settings.bus_url))
    _run(consumer, CONSUMER_PROCESS_NAMES[name])


def run_bridge() -> None:
    from flows.bridge import QUEUE, start_stage_run
    from services.common.settings import bus_url

    _run(EventConsumer(bus.connect(bus_url()), QUEUE, start_stage_run), "flow-bridge")


def _run(consumer: EventConsumer, process_name: str) -> None:
    def stop(_signum, _frame) -> None:
        # ConsumerMixin checks should_stop between messages: the current one finishes and is acked first.
        consumer.should_stop = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # kombu's ConsumerMixin calls on_iteration at least once a second (each drain_events timeout).
    consumer.on_iteration = Heartbeat(process_name).beat
    log.info("consuming %s", consumer.queue_name)
    consumer.run()


def _safe(url: str) -> str:
    """A URL fit for a log line: no password."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
