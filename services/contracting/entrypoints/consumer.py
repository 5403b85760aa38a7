"""Contracting's bus consumer: keeps the eligibility replica in step with the registry's events."""

from __future__ import annotations

from kombu import Connection

from services.common.bootstrap import ServiceContext
from services.common.bus.consumer import IdempotentConsumer
from services.contracting.adapters.orm import ProcessedEvent
from services.contracting.service_layer.eligibility import apply_registry_event

QUEUE = "contracting.registry-events"


def build_consumer(context: ServiceContext, connection: Connection) -> IdempotentConsumer:
    return IdempotentConsumer(connection, QUEUE, context.session_factory, ProcessedEvent, apply_registry_event)
