"""Tables of a call's content: lots, criteria, clarifications, amendments, and its audit chain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.contracting.adapters.base import Base, Hundredths


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


class AuditLogEntry(Base):
    """One link of a tender's audit chain; (tender_id, seq) is unique, so two writers cannot fork it."""

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("tender_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload_hash: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    # Random, hashed into the entry and never served: see domain/audit.py (sealed entries).
    salt: Mapped[str | None] = mapped_column(String(64))
