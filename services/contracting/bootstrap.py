"""Builds contracting's context: database, outbox, settings."""

from __future__ import annotations

from services.common.bootstrap import ServiceContext
from services.contracting.adapters.orm import OutboxMessage
from services.contracting.config import contracting_settings


def bootstrap(**overrides) -> ServiceContext:
    return ServiceContext(contracting_settings(**overrides), OutboxMessage)
