"""The notifications worker: every event (#) through the idempotent consumer into delivery records."""

from __future__ import annotations

from kombu import Connection

from services.common.bootstrap import ServiceContext
from services.common.bus.consumer import IdempotentConsumer
from services.notifications.adapters.orm import ProcessedEvent
from services.notifications.service_layer.deliveries import handle_event

QUEUE = "notifications.events"


def build_consumer(context: ServiceContext, connection: Connection) -> IdempotentConsumer:
    return IdempotentConsumer(connection, QUEUE, context.session_factory, ProcessedEvent, handle_event)
