"""Contracting's bus consumer: keeps the eligibility replica in step with the registry's events."""

from __future__ import annotations

from kombu import Connection

from services.common.bus.consumer import IdempotentConsumer
from services.contracting.bootstrap import ContractingContext
from services.contracting.service_layer.eligibility import apply_registry_event

QUEUE = "contracting.registry-events"


def build_consumer(context: ContractingContext, connection: Connection) -> IdempotentConsumer:
    ledger = context.processed_event_model
    return IdempotentConsumer(connection, QUEUE, context.session_factory, ledger, apply_registry_event)
