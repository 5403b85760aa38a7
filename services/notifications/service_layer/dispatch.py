"""Sends the deliveries that are due, each through its channel, and records how it went.

Three steps per batch, none holding a transaction open during network I/O:
1. claim: due rows (queued, failed and due, or 'sending' whose lease ran out) become 'sending' with a lease
   token. On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets two dispatchers take different rows without waiting;
   on SQLite the claiming UPDATE takes the database write lock, so a second dispatcher finds them taken.
2. send, outside any transaction.
3. finish: one transaction moves the row to sent / failed / dead only if it still holds our lease token,
   writes the inbox message for in-app deliveries, and emits notification.delivered or notification.failed.
A dispatcher that dies between 2 and 3 leaves its rows 'sending' until the lease ends; they are then sent again
(at-least-once towards the SMTP relay or receiver, with a stable Message-ID / X-SSCP-Delivery to spot it).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from services.notifications.adapters.orm import Delivery, InboxMessage, Webhook
from services.notifications.config import NotificationsSettings
from services.notifications.domain import delivery_status as status
from services.notifications.domain.messages import DeliveryFailed, Outgoing


@dataclass(frozen=True)
class Claim:
    token: str
    outgoing: Outgoing
    problem: str | None = None  # a reason to fail without sending (the webhook was deleted)


def dispatch_due(context, now: datetime, channels: Mapping | None = None, limit: int | None = None) -> Counter:
    """Send what is due now through ``channels`` (name -> channel; default: all, from settings).

    Returns counts by outcome: sent, failed, dead, lost (a lease another dispatcher took over).
    """
    channels = context.channels() if channels is None else channels
    limit = limit or context.own_settings.batch_size
    outcomes: Counter = Counter()
    for claim in claim_due(context, now, list(channels), limit):
        error, permanent = claim.problem, claim.problem is not None
        if error is None:
            try:
                channels[claim.outgoing.channel].send(claim.outgoing)
            except DeliveryFailed as exc:
                error, permanent = str(exc), exc.permanent
            except Exception as exc:  # a channel bug must fail this delivery, not the whole batch
                error = f"{type(exc).__name__}: {exc}"
        outcomes[finish(context, claim, now, error, permanent)] += 1
    return outcomes


def due_condition(now: datetime, channel_names: list[str]):
    waiting = and_(
        Delivery.status.in_([status.QUEUED, status.FAILED]),
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
    )
    abandoned = and_(Delivery.status == status.SENDING, Delivery.lease_until < now)
    return and_(Delivery.channel.in_(channel_names), or_(waiting, abandoned))


def claim_due(context, now: datetime, channel_names: list[str], limit: int) -> list[Claim]:
    token = str(uuid.uuid4())
    lease_until = now + timedelta(seconds=context.own_settings.lease_seconds)
    with context.session_factory() as session, session.begin():
        due = select(Delivery.id).where(due_condition(now, channel_names)).order_by(Delivery.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            ids = list(session.scalars(due.with_for_update(skip_locked=True)))
            target = Delivery.id.in_(ids)
        else:
            target = Delivery.id.in_(due.scalar_subquery())
        claim = (
            update(Delivery)
            .where(target, due_condition(now, channel_names))
            .values(
                status=status.SENDING,
                lease_token=token,
                lease_until=lease_until,
                attempts=Delivery.attempts + 1,
                updated_at=now,
            )
            .returning(Delivery.id)
        )
        claimed = list(session.scalars(claim))
        if not claimed:
            return []
        rows = session.scalars(select(Delivery).where(Delivery.id.in_(claimed)).order_by(Delivery.id))
        return [_claim(session, row, token, now) for row in rows]


def _claim(session: Session, row: Delivery, token: str, now: datetime) -> Claim:
    outgoing = Outgoing(
        delivery_id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        correlation_id=row.correlation_id,
        recipient=row.recipient,
        channel=row.channel,
        address=row.address,
        language=row.language,
        subject=row.subject or row.event_type,
        body=row.body or "",
        payload=dict(row.payload or {}),
        sent_at=now,
    )
    if row.body is None:
        return Claim(token, outgoing, "nothing was rendered for this delivery")
    if row.channel != "webhook":
        return Claim(token, outgoing)
    webhook = session.get(Webhook, int(row.recipient.removeprefix("webhook:")))
    if webhook is None or not webhook.active:
        return Claim(token, outgoing, f"{row.recipient} was deleted or deactivated")
    # The endpoint's current URL and secret: a CSO that moved or rotated them expects the new ones used.
    return Claim(token, replace(outgoing, address=webhook.url, secret=webhook.secret))


def finish(context, claim: Claim, now: datetime, error: str | None, permanent: bool) -> str:
    """Record the attempt's outcome if the lease is still ours; returns sent, failed, dead or lost."""
    uow = context.uow()
    with uow:
        row = uow.session.get(Delivery, claim.outgoing.delivery_id)
        if row is None or row.status != status.SENDING or row.lease_token != claim.token:
            return "lost"
        outcome, values = _outcome(row, now, error, permanent, context.own_settings)
        mine = and_(Delivery.id == row.id, Delivery.status == status.SENDING, Delivery.lease_token == claim.token)
        changed = uow.session.execute(
            update(Delivery)
            .where(mine)
            .values(status=outcome, lease_token=None, lease_until=None, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            return "lost"
        if outcome == status.SENT and row.channel == "inbox":
            uow.session.add(_inbox_message(row, now))
        _emit_outcome(uow, row, outcome, now, error, values.get("next_attempt_at"))
        uow.commit()
        return outcome


def _outcome(
    row: Delivery, now: datetime, error: str | None, permanent: bool, settings: NotificationsSettings
) -> tuple[str, dict]:
    """The next status and the columns that go with it."""
    if error is None:
        return status.transition(row.status, "succeed"), {"sent_at": now, "next_attempt_at": None}
    action = "give_up" if permanent else status.after_failure(row.attempts, settings.max_attempts)
    outcome = status.transition(row.status, action)
    retry_at = status.next_attempt_at(now, row.attempts, settings.retry_base_seconds, settings.retry_cap_seconds)
    return outcome, {"last_error": error[:2000], "next_attempt_at": retry_at if outcome == status.FAILED else None}


def _inbox_message(row: Delivery, now: datetime) -> InboxMessage:
    return InboxMessage(
        recipient=row.recipient,
        delivery_id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        correlation_id=row.correlation_id,
        subject=row.subject or row.event_type,
        body=row.body or "",
        created_at=now,
    )


def _emit_outcome(uow, row: Delivery, outcome: str, now: datetime, error, retry_at) -> None:
    payload = {
        "delivery_id": row.id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "recipient": row.recipient,
        "channel": row.channel,
        "attempts": row.attempts,
    }
    if outcome == status.SENT:
        uow.emit("notification.delivered", {**payload, "sent_at": now.isoformat()}, row.correlation_id)
    else:
        failure = {"status": outcome, "error": error, "next_attempt_at": retry_at.isoformat() if retry_at else None}
        uow.emit("notification.failed", {**payload, **failure}, row.correlation_id)
