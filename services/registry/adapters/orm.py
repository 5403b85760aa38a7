"""The registry's tables (its own database; no other service reads them).

Providers and accreditations carry a ``version`` that every change bumps (their events carry it, and replicas
apply an event only when its version is newer). The ORM also checks it on each UPDATE, so two writers who
read the same version cannot both commit: the second gets a StaleDataError instead of a lost update.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
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


class ReferenceCost(Base):
    """The annual cost of one place of a service in a district in a year (MDL), as a council's decision sets it.

    ``district_code`` is a district's code or ``"*"``: the national value a district without its own falls back
    to (so not a foreign key; the service layer checks it against the districts). Every change bumps ``version``,
    which the reference_cost.set event carries for the replicas to compare.
    """

    __tablename__ = "reference_costs"
    __table_args__ = (CheckConstraint("amount > 0", name="reference_cost_amount_positive"),)

    service_type: Mapped[str] = mapped_column(ForeignKey("service_types.code"), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="MDL")
    source: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(60))


class Authority(Base):
    """A district's social assistance department: the contracting authority of that district."""

    __tablename__ = "authorities"

    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProviderDistrict(Base):
    """A district a provider serves (a table, so the register can be filtered by district on any database)."""

    __tablename__ = "provider_districts"

    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), primary_key=True, index=True)


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idno: Mapped[str] = mapped_column(String(13), unique=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    legal_form: Mapped[str] = mapped_column(String(100), default="asociație obștească")
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["ro"])
    status: Mapped[str] = mapped_column(String(20), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    district_links: Mapped[list[ProviderDistrict]] = relationship(
        cascade="all, delete-orphan", order_by=ProviderDistrict.district_code, lazy="selectin"
    )
    districts_served: AssociationProxy[list[str]] = association_proxy(
        "district_links", "district_code", creator=lambda code: ProviderDistrict(district_code=code)
    )
    accreditations: Mapped[list[Accreditation]] = relationship(back_populates="provider", order_by="Accreditation.id")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


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
    status_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    provider: Mapped[Provider] = relationship(back_populates="accreditations")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    language: Mapped[str] = mapped_column(String(2), default="ro")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)
