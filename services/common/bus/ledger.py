"""What a transaction of the idempotent consumer learnt from its ledger, for the handler it runs.

The consumer reads its ledger (``processed_events``) before calling the handler, in the handler's own transaction,
and the ledger row commits together with the handler's writes. So an event the ledger does not hold has no writes of
that handler in the database: a handler that guards against its own earlier writes (notifications' deliveries, one
per event, recipient and channel) can skip that query for it. Measured on the notifications worker under RabbitMQ:
that per-event query was a quarter of the worker (bench/README.md, "bus").
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

_UNRECORDED = "bus.ledger.unrecorded_event_ids"


def mark_unrecorded(session: Session, event_ids: Iterable[str]) -> None:
    """The consumer found none of ``event_ids`` in its ledger, in the transaction now open on ``session``."""
    session.info[_UNRECORDED] = (session.get_transaction(), frozenset(event_ids))


def unrecorded(session: Session, event_id: str) -> bool:
    """True when this very transaction found ``event_id`` absent from the consumer's ledger; False when unknown
    (a handler called on its own, or in another transaction), so the handler then looks for itself."""
    transaction, event_ids = session.info.get(_UNRECORDED, (None, frozenset()))
    return transaction is not None and transaction is session.get_transaction() and event_id in event_ids
