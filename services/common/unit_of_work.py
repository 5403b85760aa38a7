"""One transaction for a state change and the events it causes (the outbox half of 'nothing lost')."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from services.common.bus.envelope import Envelope
from services.common.bus.outbox import OutboxMixin, add_to_outbox


class UnitOfWork:
    """``with uow: ...; uow.emit(...); uow.commit()`` — anything not committed is rolled back on exit."""

    session: Session

    def __init__(self, session_factory: sessionmaker, outbox_model: type[OutboxMixin], producer: str) -> None:
        self.session_factory = session_factory
        self.outbox_model = outbox_model
        self.producer = producer
        self.emitted: list[Envelope] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self.session_factory()
        self.emitted = []
        return self

    def __exit__(self, *exc_info) -> None:
        # close() rolls back anything uncommitted and detaches objects *without* expiring them, so the
        # handler can return what it loaded for the web layer to serialize.
        self.session.close()

    def emit(self, event_type: str, payload: dict[str, Any], correlation_id: str | None = None) -> Envelope:
        envelope = Envelope(type=event_type, payload=payload, producer=self.producer, correlation_id=correlation_id)
        add_to_outbox(self.session, self.outbox_model, envelope)
        self.emitted.append(envelope)
        return envelope

    def commit(self) -> None:
        self.session.commit()
