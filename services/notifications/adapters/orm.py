"""Notifications' tables: the recipients directory fed by registry events, and delivery records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.bus.consumer import ProcessedEventMixin
from services.common.bus.outbox import OutboxMixin, utcnow


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class ProcessedEvent(ProcessedEventMixin, Base):
    pass


class DirectoryProvider(Base):
    __tablename__ = "directory_providers"

    provider_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    districts_served: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)


class DirectoryAccreditation(Base):
    __tablename__ = "directory_accreditations"

    accreditation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    service_type: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)


class Delivery(Base):
    """One message to one recipient over one channel; the unique key makes a second one impossible."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("event_id", "recipient", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[str] = mapped_column(String(100))
    correlation_id: Mapped[str | None] = mapped_column(String(120))
    recipient: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2), default="ro")
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
