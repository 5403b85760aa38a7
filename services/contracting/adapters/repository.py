"""The tender aggregate's reads that many use cases share, each written once: its lots and criteria in order, its
awards and bids (of the tender or of one lot) in the statuses the caller names, and the re-tender link it continues.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracting.adapters.orm_contracts import TenderSuccession
from services.contracting.adapters.orm_evaluation import Award, Bid
from services.contracting.adapters.orm_tendering import Criterion, Lot


class TenderRepository:
    """Reads of one tender's rows in the caller's session (and so in its transaction and under its locks)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lots(self, tender_id: int) -> list[Lot]:
        return list(self.session.scalars(select(Lot).where(Lot.tender_id == tender_id).order_by(Lot.number)))

    def criteria(self, tender_id: int) -> list[Criterion]:
        query = select(Criterion).where(Criterion.tender_id == tender_id).order_by(Criterion.number)
        return list(self.session.scalars(query))

    def awards(self, tender_id: int, *statuses: str) -> list[Award]:
        """The tender's awards in any of ``statuses``, oldest first."""
        query = select(Award).where(Award.tender_id == tender_id, Award.status.in_(statuses))
        return list(self.session.scalars(query.order_by(Award.id)))

    def bids(self, tender_id: int, *statuses: str) -> list[Bid]:
        """The tender's bids in any of ``statuses``."""
        return list(self.session.scalars(select(Bid).where(Bid.tender_id == tender_id, Bid.status.in_(statuses))))

    def bids_on_lot(self, lot_id: int, *statuses: str) -> list[Bid]:
        return list(self.session.scalars(select(Bid).where(Bid.lot_id == lot_id, Bid.status.in_(statuses))))

    def succession(self, tender_id: int) -> TenderSuccession | None:
        """The link of a re-tender to the contract it continues (None for an ordinary call)."""
        query = select(TenderSuccession).where(TenderSuccession.tender_id == tender_id)
        return self.session.scalars(query).first()
