"""Builds notifications' context: database, outbox, settings, templates and channels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.common.bootstrap import ServiceContext
from services.notifications.adapters.channels import Channel, build_channels
from services.notifications.adapters.orm import OutboxMessage
from services.notifications.adapters.templates import TemplateRenderer
from services.notifications.config import notifications_settings


@dataclass
class NotificationsContext(ServiceContext):
    renderer: TemplateRenderer = field(init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.renderer = TemplateRenderer(self.settings.extra["templates_dir"])

    def channels(self) -> dict[str, Channel]:
        return build_channels(self.settings)


def bootstrap(options: Mapping | None = None, **overrides) -> NotificationsContext:
    """``options`` override the environment's notification settings (see config.OPTIONS)."""
    return NotificationsContext(notifications_settings(options, **overrides), OutboxMessage)
