"""Contracting's messaging tables: the outbox it publishes from and the events it has already consumed.

Each aggregate's tables live beside it: orm_tendering (a tender, its lots, criteria, invitations, questions,
amendments), orm_evaluation (bids, committee, scores, awards, complaints), orm_contracts (contracts and what
hangs on them), orm_replicas (the registry's data kept here), orm_audit (the audit chain), orm_public (the feed).
adapters/models.py imports them all so Base.metadata is complete.
"""

from __future__ import annotations

from services.common.bus.consumer import ProcessedEventMixin
from services.common.bus.outbox import OutboxMixin
from services.contracting.adapters.base import Base


class OutboxMessage(OutboxMixin, Base):
    pass


class ProcessedEvent(ProcessedEventMixin, Base):
    pass
