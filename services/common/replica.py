"""Local read replicas fed by events: converge on the owner's truth whatever the delivery order.

Contracting and notifications each keep a replica of the registry (providers, accreditations, service types;
contracting also the reference costs per beneficiary, which its OCDS lots carry).
The tables' common columns, their upkeep from the registry's events and the eligibility query over them are
written here once; each service names its own tables in a ``ReplicaTables``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Date, Integer, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.common.bus.envelope import Envelope
from services.common.reference_costs import ReferenceCostFacts
from services.common.registry_facts import AccreditationFacts, ProviderFacts, ServiceTypeFacts, is_eligible


class ProviderColumns:
    """A provider as the registry's provider.* events publish it, as far as the rule and a notice's greeting
    need; a service adds the columns only it keeps (contracting the IDNO, notifications e-mail and languages)."""

    provider_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    districts_served: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)


class AccreditationColumns:
    """An accreditation as the registry's accreditation.* events publish it; each consuming service mixes this into
    its own table, so the replica's shape is written once."""

    accreditation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    service_type: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)


class ServiceTypeColumns:
    """A service type of the registry's nomenclature with its names, as its service_type.* events publish it."""

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_ro: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)


class ReferenceCostColumns:
    """A reference cost per beneficiary as the registry's reference_cost.set events publish it (district "*":
    the national value)."""

    service_type: Mapped[str] = mapped_column(String(60), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)


def upsert_by_version(session: Session, model, key, values: dict) -> bool:
    """Insert, or overwrite when ``values['version']`` is newer; a replayed or older event changes nothing."""
    row = session.get(model, key)
    if row is None:
        session.add(model(**values, **{model.__mapper__.primary_key[0].name: key}))
        return True
    if values["version"] > row.version:
        for name, value in values.items():
            setattr(row, name, value)
        return True
    return False


@dataclass(frozen=True)
class ReplicaTables:
    """Which of a service's models hold its replica of the registry's providers, accreditations and service types
    (built on ProviderColumns, AccreditationColumns and ServiceTypeColumns), and of its reference costs where the
    service keeps them (ReferenceCostColumns; None: the service ignores reference_cost.* events)."""

    provider: type
    accreditation: type
    service_type: type
    reference_cost: type | None = None


def apply_registry_event(session: Session, tables: ReplicaTables, envelope: Envelope) -> bool:
    """Apply one provider.*, accreditation.*, service_type.* or (where kept) reference_cost.* event; False when it
    changed nothing (a replay, an older version, or another kind of event). Each table keeps the published fields
    it has columns for."""
    payload = envelope.payload
    if envelope.type.startswith("provider."):
        provider = ProviderFacts.from_payload(payload)
        return _upsert(session, tables.provider, provider.provider_id, _provider_values(provider))
    if envelope.type.startswith("accreditation."):
        accreditation = AccreditationFacts.from_payload(payload)
        return _upsert(
            session, tables.accreditation, accreditation.accreditation_id, _accreditation_values(accreditation)
        )
    if envelope.type.startswith("service_type."):
        service_type = ServiceTypeFacts.from_payload(payload)
        names = {"name_ro": service_type.name_ro, "name_ru": service_type.name_ru, "name_en": service_type.name_en}
        return _upsert(session, tables.service_type, service_type.code, {**names, "version": service_type.version})
    if envelope.type.startswith("reference_cost.") and tables.reference_cost is not None:
        return _upsert_reference_cost(session, tables.reference_cost, ReferenceCostFacts.from_payload(payload))
    return False


def eligible_provider_ids(
    session: Session, tables: ReplicaTables, service_type: str, district_code: str, on: date
) -> list[int]:
    """The replicated providers the registry's rule (registry_facts.validity) finds eligible, by id."""
    accreditation = tables.accreditation
    found = session.scalars(select(accreditation).where(accreditation.service_type == service_type))
    accreditations = [accreditation_facts(row) for row in found]
    candidates = session.scalars(
        select(tables.provider)
        .where(tables.provider.provider_id.in_({a.provider_id for a in accreditations}))
        .order_by(tables.provider.provider_id)
    )
    return [
        row.provider_id
        for row in candidates
        if is_eligible(provider_facts(row), accreditations, service_type, district_code, on)
    ]


def provider_facts(row: ProviderColumns) -> ProviderFacts:
    return ProviderFacts(row.provider_id, row.status, tuple(row.districts_served), row.legal_name, version=row.version)


def accreditation_facts(row: AccreditationColumns) -> AccreditationFacts:
    return AccreditationFacts(
        row.provider_id, row.service_type, row.valid_from, row.valid_to, row.status, row.accreditation_id, row.version
    )


def _provider_values(provider: ProviderFacts) -> dict:
    return {
        "idno": provider.idno,
        "legal_name": provider.legal_name,
        "email": provider.email,
        "phone": provider.phone,
        "address": provider.address,
        "districts_served": list(provider.districts_served),
        "languages": list(provider.languages),
        "status": provider.status,
        "version": provider.version,
    }


def _accreditation_values(accreditation: AccreditationFacts) -> dict:
    return {
        "provider_id": accreditation.provider_id,
        "service_type": accreditation.service_type,
        "valid_from": accreditation.valid_from,
        "valid_to": accreditation.valid_to,
        "status": accreditation.status,
        "version": accreditation.version,
    }


def _upsert(session: Session, model, key, values: dict) -> bool:
    columns = model.__table__.columns.keys()
    return upsert_by_version(session, model, key, {name: value for name, value in values.items() if name in columns})


def _upsert_reference_cost(session: Session, model, cost: ReferenceCostFacts) -> bool:
    """The same rule as upsert_by_version, over the reference cost's three-part key."""
    values = {"amount": cost.amount, "currency": cost.currency, "source": cost.source, "version": cost.version}
    row = session.get(model, (cost.service_type, cost.district_code, cost.year))
    if row is None:
        session.add(model(service_type=cost.service_type, district_code=cost.district_code, year=cost.year, **values))
        return True
    if cost.version > row.version:
        for name, value in values.items():
            setattr(row, name, value)
        return True
    return False


def reference_cost_facts(row: ReferenceCostColumns) -> ReferenceCostFacts:
    return ReferenceCostFacts(
        row.service_type, row.district_code, row.year, Decimal(row.amount), row.source, row.currency, row.version
    )
