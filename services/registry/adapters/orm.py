"""The registry's tables (its own database; no other service reads them)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.common.bus.consumer import ProcessedEventMixin
from services.common.bus.outbox import OutboxMixin, utcnow


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class ProcessedEvent(ProcessedEventMixin, Base):
    pass


class District(Base):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_ro: Mapped[str] = mapped_column(String(100))
    name_ru: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class ServiceType(Base):
    __tablename__ = "service_types"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_ro: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idno: Mapped[str] = mapped_column(String(13), unique=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    legal_form: Mapped[str] = mapped_column(String(100), default="asociație obștească")
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    districts_served: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["ro"])
    status: Mapped[str] = mapped_column(String(20), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    accreditations: Mapped[list[Accreditation]] = relationship(back_populates="provider", order_by="Accreditation.id")


class Accreditation(Base):
    __tablename__ = "accreditations"
    __table_args__ = (UniqueConstraint("accrediting_body", "certificate_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    service_type: Mapped[str] = mapped_column(ForeignKey("service_types.code"))
    accrediting_body: Mapped[str] = mapped_column(String(200))
    certificate_number: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)

    provider: Mapped[Provider] = relationship(back_populates="accreditations")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    language: Mapped[str] = mapped_column(String(2), default="ro")
    active: Mapped[bool] = mapped_column(default=True)
