"""The channels a dispatcher sends through, built from settings: e-mail, in-app inbox, webhooks."""

from __future__ import annotations

from typing import Protocol

from services.notifications.adapters.mail import FileMailer, SmtpMailer
from services.notifications.adapters.webhooks import WebhookPoster
from services.notifications.config import NotificationsSettings
from services.notifications.domain.messages import Outgoing


class Channel(Protocol):
    def send(self, message: Outgoing) -> None: ...


class InboxChannel:
    """Nothing leaves the process: the dispatcher writes the inbox row in the transaction that marks it sent."""

    def send(self, message: Outgoing) -> None:
        return None


def email_channel(settings: NotificationsSettings) -> Channel:
    if not settings.smtp_host:
        return FileMailer(settings.mail_dir, settings.smtp_from)
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_from,
        timeout=settings.smtp_timeout,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )


def build_channels(settings: NotificationsSettings) -> dict[str, Channel]:
    return {
        "email": email_channel(settings),
        "inbox": InboxChannel(),
        "webhook": WebhookPoster(timeout=settings.webhook_timeout, allow_private=settings.allow_private_webhooks),
    }
