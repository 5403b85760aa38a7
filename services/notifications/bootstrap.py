"""Builds notifications' context: database, outbox, settings, templates and channels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from services.common.bootstrap import ServiceContext
from services.notifications.adapters.channels import Channel, build_channels
from services.notifications.adapters.orm import OutboxMessage, ProcessedEvent
from services.notifications.adapters.templates import TemplateRenderer
from services.notifications.adapters.webhooks import WebhookPoster, resolve_host
from services.notifications.config import notifications_settings
from services.notifications.domain.webhook_urls import check_webhook_url


@dataclass
class NotificationsContext(ServiceContext):
    renderer: TemplateRenderer = field(init=False)
    # The worker's ledger of the events already turned into deliveries (what makes a redelivery harmless).
    processed_event_model = ProcessedEvent

    def __post_init__(self) -> None:
        super().__post_init__()
        self.renderer = TemplateRenderer(self.settings.extra["templates_dir"])

    def channels(self) -> dict[str, Channel]:
        return build_channels(self.settings)

    def webhook_url_check(self) -> Callable[[str], str]:
        """Refuses a webhook URL that is malformed or (unless private webhooks are allowed) reaches our network."""
        allow_private = self.settings.extra["allow_private_webhooks"]
        return lambda url: check_webhook_url(url, resolve_host, allow_private)

    def webhook_poster(self) -> WebhookPoster:
        extra = self.settings.extra
        return WebhookPoster(timeout=extra["webhook_timeout"], allow_private=extra["allow_private_webhooks"])


def bootstrap(options: Mapping | None = None, **overrides) -> NotificationsContext:
    """``options`` override the environment's notification settings (see config.OPTIONS)."""
    return NotificationsContext(notifications_settings(options, **overrides), OutboxMessage)
