"""Read side of the registry: reference data, filtered paginated lists, and the validity query contracting relies on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from services.common.errors import Invalid, NotFound
from services.common.pagination import Page, page_of
from services.registry.adapters.orm import (
    Accreditation,
    Authority,
    District,
    Provider,
    ProviderDistrict,
    ServiceType,
    User,
)
from services.registry.domain.access import Actor, may_manage_user
from services.registry.domain.rules import AccreditationTerms, ProviderStanding, Validity, validity
from services.registry.service_layer.handlers import check_districts, check_service_type


def districts(session: Session) -> list[District]:
    return list(session.scalars(select(District).order_by(District.name_ro)))


def service_types(session: Session) -> list[ServiceType]:
    return list(session.scalars(select(ServiceType).order_by(ServiceType.code)))


def list_providers(session: Session, filters: dict, first: int, size: int) -> Page:
    """Providers by IDNO, district served, status, or service type (an active accreditation for it)."""
    query = select(Provider).options(selectinload(Provider.accreditations))
    if "idno" in filters:
        query = query.where(Provider.idno == filters["idno"])
    if "status" in filters:
        query = query.where(Provider.status == filters["status"])
    if "district_code" in filters:
        query = query.where(Provider.district_links.any(ProviderDistrict.district_code == filters["district_code"]))
    if "service_type" in filters:
        accredited = (Accreditation.service_type == filters["service_type"]) & (Accreditation.status == "active")
        query = query.where(Provider.accreditations.any(accredited))
    return page_of(session, query.order_by(Provider.id), first, size)


def get_provider(session: Session, provider_id: int) -> Provider:
    query = select(Provider).options(selectinload(Provider.accreditations)).where(Provider.id == provider_id)
    provider = session.scalar(query)
    if provider is None:
        raise NotFound(f"provider {provider_id} does not exist")
    return provider


def list_accreditations(session: Session, filters: dict, first: int, size: int) -> Page:
    query = select(Accreditation)
    for name in ("provider_id", "service_type", "status"):
        if name in filters:
            query = query.where(getattr(Accreditation, name) == filters[name])
    return page_of(session, query.order_by(Accreditation.id), first, size)


def get_accreditation(session: Session, accreditation_id: int) -> Accreditation:
    accreditation = session.get(Accreditation, accreditation_id)
    if accreditation is None:
        raise NotFound(f"accreditation {accreditation_id} does not exist")
    return accreditation


def list_users(session: Session, filters: dict, actor: Actor, first: int, size: int) -> Page:
    """Every account for an operator; for an authority, only its own district's evaluators."""
    query = select(User)
    if actor.role != "operator":
        query = query.where(User.role == "evaluator", User.district_code == actor.district_code)
    for name in ("role", "district_code", "provider_id", "active"):
        if name in filters:
            query = query.where(getattr(User, name) == filters[name])
    return page_of(session, query.order_by(User.id), first, size)


def get_user(session: Session, user_id: int, actor: Actor) -> User:
    user = session.get(User, user_id)
    if user is None or not (str(user.id) == actor.subject or may_manage_user(actor, user.role, user.district_code)):
        raise NotFound(f"user {user_id} does not exist")
    return user


def list_authorities(session: Session, district_code: str | None = None) -> list[Authority]:
    query = select(Authority).order_by(Authority.district_code)
    if district_code:
        query = query.where(Authority.district_code == district_code)
    return list(session.scalars(query))


def get_authority(session: Session, district_code: str) -> Authority:
    authority = session.get(Authority, district_code)
    if authority is None:
        raise NotFound(f"no authority for district {district_code!r}")
    return authority


def accreditation_validity(
    session: Session, provider_id: int, service_type: str, district_code: str, on: date
) -> Validity:
    """Is the provider accredited for ``service_type`` in ``district_code`` on ``on``? (the registry's truth)"""
    check_service_type(session, service_type)
    check_districts(session, [district_code], field="district_code")
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise Invalid("provider_id", f"provider {provider_id} does not exist")
    return _validity(provider, service_type, district_code, on)


def accredited_provider_ids(session: Session, service_type: str, district_code: str, on: date) -> list[int]:
    """Every provider the validity query answers yes for: what contracting's eligibility must agree with."""
    providers = session.scalars(select(Provider).options(selectinload(Provider.accreditations)).order_by(Provider.id))
    return [p.id for p in providers if _validity(p, service_type, district_code, on).valid]


def _validity(provider: Provider, service_type: str, district_code: str, on: date) -> Validity:
    standing = ProviderStanding(provider.id, provider.status, tuple(provider.districts_served))
    terms = [
        AccreditationTerms(a.provider_id, a.service_type, a.valid_from, a.valid_to, a.status, a.id)
        for a in provider.accreditations
    ]
    return validity(standing, terms, service_type, district_code, on)
