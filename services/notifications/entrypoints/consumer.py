"""The notifications worker: every event (#) through the idempotent consumer into delivery records."""

from __future__ import annotations

import functools

from kombu import Connection

from services.common.bus.consumer import IdempotentConsumer
from services.notifications.bootstrap import NotificationsContext
from services.notifications.service_layer.deliveries import handle_event

QUEUE = "notifications.events"


def build_consumer(context: NotificationsContext, connection: Connection) -> IdempotentConsumer:
    handler = functools.partial(handle_event, context=context)
    return IdempotentConsumer(connection, QUEUE, context.session_factory, context.processed_event_model, handler)
