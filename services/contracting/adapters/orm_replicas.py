"""Contracting's replica of the registry: providers, accreditations, the service-type nomenclature and the
reference costs per beneficiary.

Fed by registry events (service_layer/eligibility.py), so bidding and eligibility work while the registry is down.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.common.replica import (
    AccreditationColumns,
    ProviderColumns,
    ReferenceCostColumns,
    ReplicaTables,
    ServiceTypeColumns,
)
from services.contracting.adapters.base import Base


class ProviderReplica(ProviderColumns, Base):
    """What contracting knows of a provider, from provider.* events (so bidding works while the registry is down)."""

    __tablename__ = "provider_replica"

    idno: Mapped[str] = mapped_column(String(13))
    # The organisation's public contact facts, published on its OCDS party (red flag R044 compares them).
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)


class AccreditationReplica(AccreditationColumns, Base):
    """What contracting knows of an accreditation, from accreditation.* events."""

    __tablename__ = "accreditation_replica"


class ServiceTypeReplica(ServiceTypeColumns, Base):
    """The registry's nomenclature of social services, from service_type.* events: the codes a call may name."""

    __tablename__ = "service_type_replica"


class ReferenceCostReplica(ReferenceCostColumns, Base):
    """The registry's reference costs per beneficiary, from reference_cost.set events: each published lot carries
    the one that applies (OCDS ``tender.lots[].referenceCost``)."""

    __tablename__ = "reference_cost_replica"


REPLICA_TABLES = ReplicaTables(ProviderReplica, AccreditationReplica, ServiceTypeReplica, ReferenceCostReplica)
