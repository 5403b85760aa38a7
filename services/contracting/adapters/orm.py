"""Contracting's tables (its own database), including the eligibility replica fed by registry events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.common.bus.consumer import ProcessedEventMixin
from services.common.bus.outbox import OutboxMixin, utcnow
from services.common.replica import AccreditationColumns, ServiceTypeColumns
from services.contracting.adapters.base import Base


class OutboxMessage(OutboxMixin, Base):
    pass


class ProcessedEvent(ProcessedEventMixin, Base):
    pass


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


class ProviderReplica(Base):
    """What contracting knows of a provider, from provider.* events (so bidding works while the registry is down)."""

    __tablename__ = "provider_replica"

    provider_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idno: Mapped[str] = mapped_column(String(13))
    legal_name: Mapped[str] = mapped_column(String(300))
    districts_served: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)


class AccreditationReplica(AccreditationColumns, Base):
    """What contracting knows of an accreditation, from accreditation.* events."""

    __tablename__ = "accreditation_replica"


class ServiceTypeReplica(ServiceTypeColumns, Base):
    """The registry's nomenclature of social services, from service_type.* events: the codes a call may name."""

    __tablename__ = "service_type_replica"
