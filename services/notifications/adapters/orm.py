"""Notifications' tables: the recipients directory, authority contacts, preferences, deliveries, inbox, webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.bus.consumer import ProcessedEventMixin
from services.common.bus.outbox import OutboxMixin, utcnow
from services.common.replica import AccreditationColumns, ProviderColumns, ReplicaTables, ServiceTypeColumns


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class ProcessedEvent(ProcessedEventMixin, Base):
    pass


class DirectoryProvider(ProviderColumns, Base):
    __tablename__ = "directory_providers"

    email: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class DirectoryAccreditation(AccreditationColumns, Base):
    __tablename__ = "directory_accreditations"


class DirectoryServiceType(ServiceTypeColumns, Base):
    """A service type's names, from the registry's service_type.* events (operators add types after the start)."""

    __tablename__ = "directory_service_types"


DIRECTORY_TABLES = ReplicaTables(DirectoryProvider, DirectoryAccreditation, DirectoryServiceType)


class Delivery(Base):
    """One message to one recipient over one channel; the unique key makes a second one impossible.

    ``recipient`` is ``provider:<id>``, ``district:<code>``, ``operators`` or, for webhooks, ``webhook:<id>``
    (each registered endpoint is a recipient of its own). Content is rendered when the row is written, so a
    retry sends exactly what the first attempt tried to.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "recipient", "channel"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

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
    priority: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal")
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column(JSON)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A dispatcher owns a 'sending' row until lease_until; after that another may take it over.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_token: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # For a held low-priority e-mail: the digest delivery that carried it.
    digest_id: Mapped[int | None] = mapped_column(Integer)


class InboxMessage(Base):
    """An in-app notice; a CSO reads its provider's, an authority its district's, operators theirs."""

    __tablename__ = "inbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(60), index=True)
    delivery_id: Mapped[int] = mapped_column(Integer, unique=True)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(100))
    correlation_id: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuthorityContact(Base):
    """Where a district's social assistance department gets its e-mail, set by an operator."""

    __tablename__ = "authority_contacts"

    district_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    email: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="ro")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(60))


class RecipientPreference(Base):
    """A recipient's language, channel switches (global and per event type) and digest choice."""

    __tablename__ = "recipient_preferences"

    recipient: Mapped[str] = mapped_column(String(60), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    channels: Mapped[dict] = mapped_column(JSON, default=dict)
    events: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Webhook(Base):
    """An HTTPS endpoint a CSO registered; every POST is signed with its secret."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every event the CSO receives
    description: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
