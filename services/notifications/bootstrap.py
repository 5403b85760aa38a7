"""Builds notifications' context: database, outbox, settings."""

from __future__ import annotations

from services.common.bootstrap import ServiceContext
from services.notifications.adapters.orm import OutboxMessage
from services.notifications.config import notifications_settings


def bootstrap(**overrides) -> ServiceContext:
    return ServiceContext(notifications_settings(**overrides), OutboxMessage)
