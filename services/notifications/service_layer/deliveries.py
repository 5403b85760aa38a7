"""Turns each event into rendered delivery records for the recipients and channels it concerns.

Runs inside the idempotent consumer's transaction, so the deliveries and the processed-event record commit
together. It is idempotent on its own too: a (event, recipient, channel) already recorded is skipped, so even
an event handled twice leaves one delivery each (the unique key enforces it in the database as well).

On RabbitMQ the worker applies a prefetched batch of events in one transaction. The profile of that worker
(bench/README.md) had nearly 80 % of it in per-event look-ups: the recipient's webhooks and preferences, the
service's names, each a query, and each query first flushing the previous event's deliveries. Within one
transaction they are read once (``_Lookups``: the worker never changes preferences or webhooks, and a directory
event clears what it could change), and the deliveries of the whole batch are inserted together at commit. An
event's own earlier deliveries are looked for only when the consumer's ledger has not vouched for it in this
transaction (services/common/bus/ledger.py): under the consumer there are none to find.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, SessionTransaction

from services.common.bus.envelope import Envelope
from services.common.bus.ledger import unrecorded
from services.notifications.adapters.orm import Delivery, Webhook
from services.notifications.adapters.templates import TemplateRenderer
from services.notifications.domain import delivery_status
from services.notifications.domain.formatting import department_name
from services.notifications.domain.portal_links import portal_link
from services.notifications.domain.preferences import Preferences
from services.notifications.domain.routing import route_for
from services.notifications.service_layer.directory import is_directory_event, service_names, update_directory
from services.notifications.service_layer.preferences import load_preferences
from services.notifications.service_layer.recipients import Recipient, resolve


def handle_event(session: Session, envelope: Envelope, context) -> int:
    """Apply one event; returns how many deliveries it recorded. ``context``: the NotificationsContext, whose
    renderer, operator e-mail and clock the deliveries are made with."""
    lookups = _Lookups.of(session)
    if is_directory_event(envelope.type):
        update_directory(session, envelope)
        # Written now, so the look-ups below (made without autoflush) see the directory as this event left it.
        session.flush()
        lookups.service_names.clear()
        return 0
    route = route_for(envelope.type)
    if route is None:
        return 0
    with session.no_autoflush:  # the deliveries pending in this transaction are known to ``lookups``
        planner = _Planner(session, envelope, context, lookups)
        for recipient in resolve(session, envelope, planner.operator_email):
            planner.plan(recipient)
    return planner.recorded


class _Lookups:
    """What the events of one transaction look up, read once per transaction, and the deliveries it added."""

    KEY = "notifications.lookups"

    def __init__(self, transaction: SessionTransaction) -> None:
        self.transaction = transaction
        self.preferences: dict[str, Preferences] = {}
        self.webhooks: dict[int, list[Webhook]] = {}
        self.service_names: dict[object, dict] = {}
        self.added: dict[str, set[tuple[str, str]]] = {}  # event id -> (recipient, channel), not yet flushed

    @classmethod
    def of(cls, session: Session) -> _Lookups:
        if session.get_transaction() is None:
            session.connection()  # begins the session's transaction as its first query would
        transaction = session.get_transaction()
        lookups = session.info.get(cls.KEY)
        if lookups is None or lookups.transaction is not transaction:
            lookups = session.info[cls.KEY] = cls(transaction)
        return lookups

    def preferences_of(self, session: Session, recipient: str) -> Preferences:
        return _once(self.preferences, recipient, lambda: load_preferences(session, recipient))

    def webhooks_of(self, session: Session, provider_id: int) -> list[Webhook]:
        return _once(self.webhooks, provider_id, lambda: _active_webhooks(session, provider_id))

    def service_names_of(self, session: Session, code) -> dict:
        return _once(self.service_names, code, lambda: service_names(session, code))


def _active_webhooks(session: Session, provider_id: int) -> list[Webhook]:
    active = select(Webhook).where(Webhook.provider_id == provider_id, Webhook.active.is_(True))
    return list(session.scalars(active.order_by(Webhook.id)))


def _once(read: dict, key, load):
    """``read[key]``, loaded on the first ask (a miss is kept too: a recipient without preferences is common)."""
    if key not in read:
        read[key] = load()
    return read[key]


class _Planner:
    def __init__(self, session: Session, envelope: Envelope, context, lookups: _Lookups) -> None:
        self.session = session
        self.envelope = envelope
        self.lookups = lookups
        self.renderer: TemplateRenderer = context.renderer
        self.operator_email: str | None = context.own_settings.operator_email
        self.portal_url: str = context.own_settings.portal_url
        self.now = context.clock()
        self.existing = lookups.added.setdefault(envelope.event_id, set())
        if not unrecorded(session, envelope.event_id):  # the consumer's ledger did not vouch for it: look
            stored = select(Delivery.recipient, Delivery.channel).where(Delivery.event_id == envelope.event_id)
            self.existing.update((row.recipient, row.channel) for row in session.execute(stored))
        self.recorded = 0
        # The registry's names for the event's service, for a type added after the start (templates' |service).
        self.service_names = lookups.service_names_of(session, envelope.payload.get("service_type"))

    def plan(self, recipient: Recipient) -> None:
        preferences = self.lookups.preferences_of(self.session, recipient.key)
        language = preferences.language_or(recipient.language)
        rendered = self.renderer.render(self.envelope.type, language, self._template_context(recipient, language))
        for channel in ("email", "inbox"):
            usable = channel in recipient.channels and (channel != "email" or recipient.email)
            if usable and preferences.wants(self.envelope.type, channel):
                address = recipient.email if channel == "email" else None
                self._record(recipient.key, channel, address, language, rendered, preferences)
        if recipient.provider_id is not None and preferences.wants(self.envelope.type, "webhook"):
            for webhook in self._webhooks(recipient.provider_id):
                key = f"webhook:{webhook.id}"
                self._record(key, "webhook", webhook.url, language, rendered, preferences, recipient)

    def _template_context(self, recipient: Recipient, language: str) -> dict:
        name = recipient.name
        if recipient.key.startswith("district:"):  # its directory name is the bare code
            name = department_name(recipient.context["district_code"], language)
        return {
            "event": self.envelope.payload,
            "event_type": self.envelope.type,
            "correlation_id": self.envelope.correlation_id,
            "occurred_at": self.envelope.occurred_at,
            "recipient": {"key": recipient.key, "name": name, "provider_id": recipient.provider_id},
            "portal_link": portal_link(self.portal_url, self.envelope.type, self.envelope.payload, recipient.key),
            "service_names": self.service_names,
            **recipient.context,
        }

    def _webhooks(self, provider_id: int) -> list[Webhook]:
        hooks = self.lookups.webhooks_of(self.session, provider_id)
        return [hook for hook in hooks if subscribed(hook.event_types, self.envelope.type)]

    def _record(self, key, channel, address, language, rendered, preferences: Preferences, owner=None) -> None:
        if (key, channel) in self.existing:
            return
        self.existing.add((key, channel))
        held = preferences.holds_for_digest(self.envelope.type, channel)
        route = route_for(self.envelope.type)
        self.session.add(
            Delivery(
                event_id=self.envelope.event_id,
                event_type=self.envelope.type,
                correlation_id=self.envelope.correlation_id,
                recipient=key,
                channel=channel,
                address=address,
                language=language,
                status=delivery_status.HELD if held else delivery_status.QUEUED,
                attempts=0,
                priority=route.priority if route else "normal",
                subject=rendered.subject,
                body=rendered.body,
                payload=self._webhook_body(owner) if channel == "webhook" else None,
                next_attempt_at=self.now,
                created_at=self.now,
                updated_at=self.now,
            )
        )
        self.recorded += 1

    def _webhook_body(self, owner: Recipient) -> dict:
        return {**self.envelope.to_dict(), "recipient": owner.key, **owner.context}


def subscribed(event_types: list[str], event_type: str) -> bool:
    """An empty list takes everything; ``complaint.*`` takes a whole family."""
    if not event_types:
        return True
    return any(
        event_type == pattern or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
        for pattern in event_types
    )
