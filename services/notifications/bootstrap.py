"""Builds notifications' context: database, outbox, settings, templates and channels."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.common.bootstrap import ServiceContext
from services.notifications.adapters.orm import OutboxMessage, ProcessedEvent
from services.notifications.config import NotificationsSettings, notifications_settings
from services.notifications.domain.webhook_urls import check_webhook_url

if TYPE_CHECKING:
    from services.notifications.adapters.channels import Channel
    from services.notifications.adapters.templates import TemplateRenderer
    from services.notifications.adapters.webhooks import WebhookPoster

# The templates (Jinja), the channels and the webhook client (httpx) are imported by the processes that use them
# (the worker, the dispatcher, the API), not by the outbox relay, which builds this context too.


def resolve_host(host: str) -> list[str]:
    """The webhook adapter's DNS look-up, imported on first use (tests replace this name)."""
    from services.notifications.adapters.webhooks import resolve_host as resolve

    return resolve(host)


@dataclass(kw_only=True)
class NotificationsContext(ServiceContext):
    own_settings: NotificationsSettings
    # The worker's ledger of the events already turned into deliveries (what makes a redelivery harmless).
    processed_event_model = ProcessedEvent

    @functools.cached_property
    def renderer(self) -> TemplateRenderer:
        from services.notifications.adapters.templates import TemplateRenderer

        return TemplateRenderer(self.own_settings.templates_dir)

    def channels(self) -> dict[str, Channel]:
        from services.notifications.adapters.channels import build_channels

        return build_channels(self.own_settings)

    def webhook_url_check(self) -> Callable[[str], str]:
        """Refuses a webhook URL that is malformed or (unless private webhooks are allowed) reaches our network."""
        allow_private = self.own_settings.allow_private_webhooks
        return lambda url: check_webhook_url(url, resolve_host, allow_private)

    def webhook_poster(self) -> WebhookPoster:
        from services.notifications.adapters.webhooks import WebhookPoster

        own = self.own_settings
        return WebhookPoster(timeout=own.webhook_timeout, allow_private=own.allow_private_webhooks)


def bootstrap(options: Mapping | None = None, **overrides) -> NotificationsContext:
    """``options`` override the environment's notification settings (see config.OPTIONS)."""
    own_settings = NotificationsSettings.from_env(options)
    return NotificationsContext(notifications_settings(**overrides), OutboxMessage, own_settings=own_settings)
