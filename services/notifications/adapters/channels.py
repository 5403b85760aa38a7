"""The channels a dispatcher sends through, built from settings: e-mail, in-app inbox, webhooks."""

from __future__ import annotations

from typing import Protocol

from services.common.settings import ServiceSettings
from services.notifications.adapters.mail import FileMailer, SmtpMailer
from services.notifications.adapters.webhooks import WebhookPoster
from services.notifications.domain.messages import Outgoing


class Channel(Protocol):
    def send(self, message: Outgoing) -> None: ...


class InboxChannel:
    """Nothing leaves the process: the dispatcher writes the inbox row in the transaction that marks it sent."""

    def send(self, message: Outgoing) -> None:
        return None


def email_channel(extra: dict) -> Channel:
    if not extra["smtp_host"]:
        return FileMailer(extra["mail_dir"], extra["smtp_from"])
    return SmtpMailer(
        extra["smtp_host"],
        extra["smtp_port"],
        extra["smtp_from"],
        timeout=extra["smtp_timeout"],
        username=extra["smtp_username"],
        password=extra["smtp_password"],
        starttls=extra["smtp_starttls"],
    )


def build_channels(settings: ServiceSettings) -> dict[str, Channel]:
    extra = settings.extra
    return {
        "email": email_channel(extra),
        "inbox": InboxChannel(),
        "webhook": WebhookPoster(timeout=extra["webhook_timeout"], allow_private=extra["allow_private_webhooks"]),
    }
