"""What a channel is handed to send, and how it says the send failed (for now, or for good)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Outgoing:
    """One rendered delivery on its way out."""

    delivery_id: int
    event_id: str
    event_type: str
    correlation_id: str | None
    recipient: str
    channel: str
    address: str | None
    language: str
    subject: str
    body: str
    payload: dict = field(default_factory=dict)
    sent_at: datetime | None = None  # the dispatcher's now: the webhook timestamp and the e-mail Date
    secret: str | None = None  # webhooks only


class DeliveryFailed(Exception):
    """A send that did not go through; ``permanent`` when retrying cannot help (a 5xx SMTP refusal, 410 Gone)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
