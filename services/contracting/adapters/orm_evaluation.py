"""Tables of the competition: bids, committee, scores, awards and complaints."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.contracting.adapters.base import Base, Hundredths

LIVE_AWARD = text("status IN ('pending', 'active')")


class Bid(Base):
    __tablename__ = "bids"
    # One bid per provider per lot: a second submission (even a concurrent one) is refused by the database.
    __table_args__ = (UniqueConstraint("lot_id", "provider_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    submitted_by: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    unit_price: Mapped[Decimal] = mapped_column(Hundredths)
    places: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Hundredths)
    quality_text: Mapped[str] = mapped_column(Text)
    quality_answers: Mapped[list] = mapped_column(JSON)
    documents: Mapped[list] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    receipt_sha256: Mapped[str] = mapped_column(String(64))
    needs_reconfirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set at opening, from the eligibility replica
    eligible: Mapped[bool | None] = mapped_column(Boolean)
    eligibility_reason: Mapped[str | None] = mapped_column(String(300))
    # Set by the award decision (public from then on)
    result: Mapped[str | None] = mapped_column(String(20))
    rank: Mapped[int | None] = mapped_column(Integer)
    total_score: Mapped[Decimal | None] = mapped_column(Hundredths)
    quality_total: Mapped[Decimal | None] = mapped_column(Hundredths)
    criterion_scores: Mapped[dict | None] = mapped_column(JSON)
    result_reason: Mapped[str | None] = mapped_column(String(300))


class CommitteeMember(Base):
    __tablename__ = "committee_members"
    __table_args__ = (UniqueConstraint("tender_id", "evaluator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    evaluator: Mapped[str] = mapped_column(String(60))
    assigned_by: Mapped[str] = mapped_column(String(60))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    declaration: Mapped[str] = mapped_column(String(20))
    statement: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Score(Base):
    __tablename__ = "scores"
    # An evaluator scores a criterion of a bid once: two racing requests cannot both count.
    __table_args__ = (UniqueConstraint("bid_id", "criterion_id", "evaluator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    evaluator: Mapped[str] = mapped_column(String(60))
    score: Mapped[Decimal] = mapped_column(Hundredths)
    justification: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Award(Base):
    __tablename__ = "awards"
    # No lot holds two live awards in one slot, nor a bid two live awards: the places cannot be awarded twice.
    __table_args__ = (
        Index(
            "uq_awards_live_slot", "lot_id", "slot", unique=True, sqlite_where=LIVE_AWARD, postgresql_where=LIVE_AWARD
        ),
        Index("uq_awards_live_bid", "bid_id", unique=True, sqlite_where=LIVE_AWARD, postgresql_where=LIVE_AWARD),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    provider_id: Mapped[int] = mapped_column(Integer)
    slot: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    places: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Hundredths)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    # Set at the decision when the winner's accreditation ends before the contract would: {valid_until, contract_end}.
    accreditation_ends_before_contract: Mapped[dict | None] = mapped_column(JSON)


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id"))
    provider_id: Mapped[int] = mapped_column(Integer)
    filed_by: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(60))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
