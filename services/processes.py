"""The long-running processes other than the APIs: outbox relays, consumers and the flow bridge."""

from __future__ import annotations

import logging
import signal

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
    url = context.settings.bus_url
    relay.run(should_stop=stop, housekeeping=lambda: bus.purge_consumed(url) if bus.is_brokerless(url) else None)


def run_consumer(name: str) -> None:
    context = service_context(name)
    consumer = build_consumer(name, context, bus.connect(context.settings.bus_url))
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
