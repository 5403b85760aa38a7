"""Eligibility and the service nomenclature from the local replica of registry events, and the replica's upkeep."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.bus.envelope import Envelope
from services.common.errors import Invalid
from services.common.replica import upsert_by_version
from services.contracting.adapters.orm_replicas import AccreditationReplica, ProviderReplica, ServiceTypeReplica
from services.contracting.domain.eligibility import AccreditationFacts, ProviderFacts, is_eligible


def eligible_provider_ids(session: Session, service_type: str, district_code: str, on: date) -> list[int]:
    accreditations = [
        AccreditationFacts(a.provider_id, a.service_type, a.valid_from, a.valid_to, a.status)
        for a in session.scalars(select(AccreditationReplica).where(AccreditationReplica.service_type == service_type))
    ]
    by_provider = {a.provider_id for a in accreditations}
    providers = session.scalars(select(ProviderReplica).where(ProviderReplica.provider_id.in_(by_provider)))
    return sorted(
        p.provider_id
        for p in providers
        if is_eligible(
            ProviderFacts(p.provider_id, p.status, frozenset(p.districts_served)),
            accreditations,
            service_type,
            district_code,
            on,
        )
    )


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


def accreditations_of(session: Session, provider_id: int, service_type: str) -> list[AccreditationFacts]:
    """One provider's replicated accreditations for one service (how far they reach: domain/eligibility.py)."""
    query = select(AccreditationReplica).where(
        AccreditationReplica.provider_id == provider_id, AccreditationReplica.service_type == service_type
    )
    return [
        AccreditationFacts(a.provider_id, a.service_type, a.valid_from, a.valid_to, a.status)
        for a in session.scalars(query)
    ]


def apply_registry_event(session: Session, envelope: Envelope) -> None:
    """Converge the replica on the registry's truth: a higher version wins, a replay or an older one is a no-op."""
    payload = envelope.payload
    if envelope.type.startswith("provider."):
        upsert_by_version(session, ProviderReplica, payload["provider_id"], _provider_fields(payload))
    elif envelope.type.startswith("accreditation."):
        upsert_by_version(session, AccreditationReplica, payload["accreditation_id"], _accreditation_fields(payload))
    elif envelope.type.startswith("service_type."):
        upsert_by_version(session, ServiceTypeReplica, payload["code"], _service_type_fields(payload))


def _provider_fields(payload: dict) -> dict:
    return {
        "idno": payload["idno"],
        "legal_name": payload["legal_name"],
        "districts_served": list(payload["districts_served"]),
        "status": payload["status"],
        "version": payload["version"],
    }


def _accreditation_fields(payload: dict) -> dict:
    return {
        "provider_id": payload["provider_id"],
        "service_type": payload["service_type"],
        "valid_from": date.fromisoformat(payload["valid_from"]),
        "valid_to": date.fromisoformat(payload["valid_to"]),
        "status": payload["status"],
        "version": payload["version"],
    }


def _service_type_fields(payload: dict) -> dict:
    return {name: payload[name] for name in ("name_ro", "name_ru", "name_en", "version")}
