"""Webhooks out: a signed JSON POST to the URL a CSO registered; redirects are not followed.

Before each POST the host is checked again (unless private webhooks are allowed), so a name that later
resolves into our network is refused at send time too.
"""

from __future__ import annotations

import json
import socket

import httpx

from services.notifications.domain.messages import DeliveryFailed, Outgoing
from services.notifications.domain.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from services.notifications.domain.webhook_urls import UnsafeWebhookUrl, check_webhook_url


def resolve_host(host: str) -> list[str]:
    """Every address a host name resolves to (raises OSError when it does not)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


class WebhookPoster:
    def __init__(self, timeout: float = 10.0, allow_private: bool = False, resolve=resolve_host) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.resolve = resolve

    def send(self, message: Outgoing) -> None:
        status = self.post(message)
        if status == 410:
            raise DeliveryFailed("the receiver answered 410 Gone", permanent=True)
        if not 200 <= status < 300:
            raise DeliveryFailed(f"the receiver answered HTTP {status}")

    def post(self, message: Outgoing) -> int:
        """POST the signed payload; the receiver's HTTP status (DeliveryFailed when none came back)."""
        url = message.address or ""
        try:
            check_webhook_url(url, self.resolve, self.allow_private)
        except UnsafeWebhookUrl as exc:
            raise DeliveryFailed(f"refused to call {url}: {exc}", permanent=True) from exc
        body = encode(message.payload)
        timestamp = int(message.sent_at.timestamp()) if message.sent_at else 0
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "sscp-notifications/1",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(message.secret or "", timestamp, body),
            "X-SSCP-Event-Type": message.event_type,
            "X-SSCP-Delivery": str(message.delivery_id),
        }
        try:
            response = httpx.post(url, content=body, headers=headers, timeout=self.timeout, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        return response.status_code
