"""A tender's audit chain: one hash-linked entry per write, verified by service_layer/audit_verification.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.contracting.adapters.base import Base


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
