"""The tender aggregate's tables: a call (Tender) with its lots, criteria, invitations, questions and amendments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.common.bus.outbox import utcnow
from services.contracting.adapters.base import Base, Hundredths


class Tender(Base):
    __tablename__ = "tenders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district_code: Mapped[str] = mapped_column(String(8), index=True)
    service_type: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    enquiry_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submission_deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    title_ru: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_ru: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    committee_size: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    standstill_days: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    standstill_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the award decision was first made: from then on the ranking and scores are public.
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scores_complete_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("tender_id", "provider_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    provider_id: Mapped[int] = mapped_column(Integer)
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Lot(Base):
    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    places: Mapped[int] = mapped_column(Integer)
    # MDL; None only on a lot the skeleton's lot-less body implied (no budget ceiling stated)
    budget: Mapped[Decimal | None] = mapped_column(Hundredths)
    duration_months: Mapped[int] = mapped_column(Integer)
    max_awards: Mapped[int] = mapped_column(Integer, default=1)


class Criterion(Base):
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(Integer)
    minimum: Mapped[Decimal | None] = mapped_column(Hundredths)


class Question(Base):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    # Kept for the audit, never shown: questions are published without the asker's identity.
    asked_by: Mapped[str] = mapped_column(String(60))
    # The CSO that asked, never shown either: a new version of the call's documents reaches it (issue 17)
    asker_provider_id: Mapped[int | None] = mapped_column(Integer)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(60))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Amendment(Base):
    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    rationale: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON)
    previous_submission_deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submission_deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
