"""Eligibility, the service nomenclature and the reference costs from the local replica of registry events, and
the replica's upkeep.

The rule is the registry's own (services/common/registry_facts.py); the upkeep and the eligibility query are the
shared ones (services/common/replica.py), over contracting's tables.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common import replica
from services.common.bus.envelope import Envelope
from services.common.errors import Invalid
from services.common.reference_costs import NATIONAL, ReferenceCostFacts, applicable
from services.common.registry_facts import AccreditationFacts
from services.contracting.adapters.orm_replicas import (
    REPLICA_TABLES,
    AccreditationReplica,
    ProviderReplica,
    ReferenceCostReplica,
    ServiceTypeReplica,
)


def eligible_provider_ids(session: Session, service_type: str, district_code: str, on: date) -> list[int]:
    return replica.eligible_provider_ids(session, REPLICA_TABLES, service_type, district_code, on)


def known_service_types(session: Session) -> list[str]:
    return list(session.scalars(select(ServiceTypeReplica.code).order_by(ServiceTypeReplica.code)))


def check_service_type(session: Session, code: str, field: str = "service_type") -> None:
    """Refuse a code the registry's nomenclature does not hold (as far as its events have reached us)."""
    if session.get(ServiceTypeReplica, code) is not None:
        return
    known = known_service_types(session)
    listed = ", ".join(known) if known else "none yet: the registry's nomenclature has not reached contracting"
    refusal = Invalid(field, f"unknown service type {code!r}; known service types: {listed}")
    refusal.details["known_service_types"] = known
    raise refusal


def reference_cost_for(session: Session, service_type: str, district_code: str, year: int) -> ReferenceCostFacts | None:
    """The reference cost that applies (the district's own for that year, else the national one), as replicated."""
    query = select(ReferenceCostReplica).where(
        ReferenceCostReplica.service_type == service_type,
        ReferenceCostReplica.year == year,
        ReferenceCostReplica.district_code.in_((district_code, NATIONAL)),
    )
    found = [replica.reference_cost_facts(row) for row in session.scalars(query)]
    return applicable(found, service_type, district_code, year)


def accreditations_of(session: Session, provider_id: int, service_type: str) -> list[AccreditationFacts]:
    """One provider's replicated accreditations for one service (how far they reach: domain/eligibility.py)."""
    query = select(AccreditationReplica).where(
        AccreditationReplica.provider_id == provider_id, AccreditationReplica.service_type == service_type
    )
    return [replica.accreditation_facts(row) for row in session.scalars(query)]


def replicated_provider(session: Session, provider_id: int) -> dict:
    """A provider and all its accreditations as the replica has them now (``known`` False before any event)."""
    provider = session.get(ProviderReplica, provider_id)
    accreditations = session.scalars(
        select(AccreditationReplica).where(AccreditationReplica.provider_id == provider_id)
    )
    return {
        "provider_id": provider_id,
        "known": provider is not None,
        "legal_name": provider.legal_name if provider else None,
        "districts_served": provider.districts_served if provider else [],
        "status": provider.status if provider else None,
        "version": provider.version if provider else None,
        "accreditations": accreditations.all(),
    }


def apply_registry_event(session: Session, envelope: Envelope) -> None:
    """Converge the replica on the registry's truth: a higher version wins, a replay or an older one is a no-op."""
    replica.apply_registry_event(session, REPLICA_TABLES, envelope)
