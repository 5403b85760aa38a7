"""Webhooks a CSO registers: create (with a secret shown once), read, change, delete, rotate, test ping.

``owner`` is the calling CSO's provider id, or None for an operator (who sees every webhook). Another
provider's webhook answers 404: its existence is not the caller's to learn.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence

from sqlalchemy import select

from services.common.call import Call
from services.common.errors import Invalid, NotFound
from services.common.unit_of_work import UnitOfWork
from services.notifications.adapters.orm import Webhook
from services.notifications.domain.messages import DeliveryFailed, Outgoing
from services.notifications.domain.routing import ROUTES, route_for
from services.notifications.domain.webhook_urls import UnsafeWebhookUrl
from services.notifications.service_layer.commands import CreateWebhook, UpdateWebhook, given

UrlCheck = Callable[[str], str]
PING = "notification.ping"


def new_secret() -> str:
    return secrets.token_hex(32)


def create_webhook(call: Call, provider_id: int, command: CreateWebhook, check_url: UrlCheck) -> Webhook:
    uow = call.uow
    with uow:
        webhook = Webhook(
            provider_id=provider_id,
            url=_checked(check_url, command.url),
            secret=new_secret(),
            event_types=_checked_event_types(command.event_types),
            description=command.description,
            active=command.active,
            created_at=call.now,
            updated_at=call.now,
        )
        uow.session.add(webhook)
        uow.commit()
        return webhook


def update_webhook(
    call: Call, webhook_id: int, owner: int | None, command: UpdateWebhook, check_url: UrlCheck
) -> Webhook:
    uow = call.uow
    with uow:
        webhook = _load(uow, webhook_id, owner)
        if given(command.url):
            webhook.url = _checked(check_url, command.url)
        if given(command.event_types):
            webhook.event_types = _checked_event_types(command.event_types)
        if given(command.description):
            webhook.description = command.description
        if given(command.active):
            webhook.active = command.active
        webhook.updated_at = call.now
        uow.commit()
        return webhook


def rotate_secret(call: Call, webhook_id: int, owner: int | None) -> Webhook:
    uow = call.uow
    with uow:
        webhook = _load(uow, webhook_id, owner)
        webhook.secret = new_secret()
        webhook.updated_at = call.now
        uow.commit()
        return webhook


def delete_webhook(call: Call, webhook_id: int, owner: int | None) -> None:
    uow = call.uow
    with uow:
        uow.session.delete(_load(uow, webhook_id, owner))
        uow.commit()


def get_webhook(uow: UnitOfWork, webhook_id: int, owner: int | None) -> Webhook:
    with uow:
        return _load(uow, webhook_id, owner)


def list_webhooks(uow: UnitOfWork, owner: int | None) -> list[Webhook]:
    with uow:
        query = select(Webhook).order_by(Webhook.id)
        if owner is not None:
            query = query.where(Webhook.provider_id == owner)
        return list(uow.session.scalars(query))


def ping(call: Call, webhook_id: int, owner: int | None, poster) -> dict:
    """POST a signed notification.ping now and report what the receiver answered (nothing is recorded)."""
    now = call.now
    webhook = get_webhook(call.uow, webhook_id, owner)
    event_id = str(uuid.uuid4())
    message = Outgoing(
        delivery_id=0,
        event_id=event_id,
        event_type=PING,
        correlation_id=None,
        recipient=f"webhook:{webhook.id}",
        channel="webhook",
        address=webhook.url,
        language="ro",
        subject="ping",
        body="",
        payload={"event_id": event_id, "type": PING, "occurred_at": now.isoformat(), "webhook_id": webhook.id},
        sent_at=now,
        secret=webhook.secret,
    )
    try:
        status_code = poster.post(message)
    except DeliveryFailed as exc:
        return {"ok": False, "status_code": None, "error": str(exc)}
    ok = 200 <= status_code < 300
    return {"ok": ok, "status_code": status_code, "error": None if ok else f"the receiver answered HTTP {status_code}"}


def _load(uow: UnitOfWork, webhook_id: int, owner: int | None) -> Webhook:
    webhook = uow.session.get(Webhook, webhook_id)
    if webhook is None or (owner is not None and webhook.provider_id != owner):
        raise NotFound(f"webhook {webhook_id} does not exist")
    return webhook


def _checked(check_url: UrlCheck, url: str) -> str:
    try:
        return check_url(url)
    except UnsafeWebhookUrl as exc:
        raise Invalid("url", str(exc)) from exc


def _checked_event_types(event_types: Sequence[str]) -> list[str]:
    families = {route.pattern for route in ROUTES if route.pattern.endswith(".*")}
    for event_type in event_types:
        family_of_routes = event_type.endswith(".*") and any(r.pattern.startswith(event_type[:-1]) for r in ROUTES)
        if route_for(event_type) is None and event_type not in families and not family_of_routes:
            raise Invalid("event_types", f"no notifications are sent for {event_type}")
    return sorted(set(event_types))
