"""Digests: low-priority e-mails a recipient asked to bundle go out together, once per digest period.

A recipient's held e-mails are bundled when the oldest has waited a full period. The digest is an ordinary
e-mail delivery (event type ``notification.digest``) whose event id derives from the first held delivery, so
two dispatchers racing to bundle the same e-mails create one digest: the second hits the unique key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from services.notifications.adapters.orm import Delivery
from services.notifications.domain import delivery_status as status
from services.notifications.service_layer.preferences import load_preferences

DIGEST_TYPE = "notification.digest"
DIGEST_NAMESPACE = uuid.UUID("6f1b8c3e-3f57-4d0a-9a53-2c1c4b1f7d21")


def send_digests(context, now: datetime) -> int:
    """Bundle every recipient's held e-mails whose period is over; returns how many digests were queued."""
    period_start = now - timedelta(hours=context.own_settings.digest_hours)
    with context.session_factory() as session:
        ready = session.execute(
            select(Delivery.recipient)
            .where(Delivery.status == status.HELD, Delivery.channel == "email")
            .group_by(Delivery.recipient)
            .having(func.min(Delivery.created_at) <= period_start)
        )
        recipients = list(ready.scalars())
    return sum(_bundle(context, recipient, now, period_start) for recipient in recipients)


def _bundle(context, recipient: str, now: datetime, period_start: datetime) -> int:
    uow = context.uow()
    try:
        with uow:
            held = list(
                uow.session.scalars(
                    select(Delivery)
                    .where(Delivery.recipient == recipient, Delivery.status == status.HELD, Delivery.channel == "email")
                    .order_by(Delivery.id)
                )
            )
            # Re-checked in this transaction: another dispatcher may have bundled the old ones meanwhile.
            if not held or _utc(held[0].created_at) > period_start:
                return 0
            digest = _digest_delivery(context, uow.session, recipient, held, now)
            uow.session.add(digest)
            uow.session.flush()
            ids = [row.id for row in held]
            uow.session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids), Delivery.status == status.HELD)
                .values(status=status.DIGESTED, digest_id=digest.id, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            uow.commit()
            return 1
    except IntegrityError:
        return 0  # another dispatcher bundled the same e-mails first


def _digest_delivery(context, session, recipient: str, held: list[Delivery], now: datetime) -> Delivery:
    language = load_preferences(session, recipient).language_or(held[-1].language)
    items = [
        {"subject": row.subject, "event_type": row.event_type, "created_at": row.created_at, "ocid": row.correlation_id}
        for row in held
    ]
    rendered = context.renderer.render("_digest", language, {"items": items, "count": len(items)})
    return Delivery(
        event_id=str(uuid.uuid5(DIGEST_NAMESPACE, f"{recipient}:{held[0].id}")),
        event_type=DIGEST_TYPE,
        recipient=recipient,
        channel="email",
        address=held[-1].address,
        language=language,
        status=status.QUEUED,
        attempts=0,
        priority="low",
        subject=rendered.subject,
        body=rendered.body,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
