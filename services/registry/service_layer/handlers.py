"""Registry use cases: register providers, grant accreditations, create users, authenticate.

The event payloads are built here, once: ``provider_payload`` and ``accreditation_payload`` carry the full
current state and its ``version``, which the other services' replicas compare before applying an event.
"""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from services.common.bus.outbox import utcnow
from services.common.errors import Conflict, Invalid, NotFound
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import Accreditation, District, Provider, ServiceType, User
from services.registry.domain.access import Actor, check_binding, district_for_new_user
from services.registry.domain.rules import AccreditationTerms, check_idno
from services.registry.service_layer.refusals import domain_refusals, unique

LIVE_ACCREDITATION_STATUSES = ("active", "suspended")


def provider_payload(provider: Provider) -> dict:
    return {
        "provider_id": provider.id,
        "idno": provider.idno,
        "legal_name": provider.legal_name,
        "districts_served": sorted(provider.districts_served),
        "languages": provider.languages,
        "email": provider.email,
        "status": provider.status,
        "version": provider.version,
    }


def accreditation_payload(accreditation: Accreditation) -> dict:
    return {
        "accreditation_id": accreditation.id,
        "provider_id": accreditation.provider_id,
        "service_type": accreditation.service_type,
        "accrediting_body": accreditation.accrediting_body,
        "certificate_number": accreditation.certificate_number,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_to": accreditation.valid_to.isoformat(),
        "status": accreditation.status,
        "status_reason": accreditation.status_reason,
        "version": accreditation.version,
    }


def check_districts(session: Session, codes: list[str], field: str = "districts_served") -> None:
    known = set(session.scalars(select(District.code).where(District.code.in_(codes))))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise Invalid(field, f"unknown district code(s): {', '.join(unknown)}")


def check_service_type(session: Session, code: str, field: str = "service_type") -> None:
    if session.get(ServiceType, code) is None:
        raise Invalid(field, f"unknown service type {code!r}")


def register_provider(uow: UnitOfWork, data: dict, now: datetime | None = None) -> Provider:
    with uow, domain_refusals():
        check_idno(data["idno"])
        duplicate = f"a provider with IDNO {data['idno']} is already registered"
        if uow.session.scalar(select(Provider.id).where(Provider.idno == data["idno"])):
            raise Conflict(duplicate, field="idno")
        districts = sorted(set(data.get("districts_served", [])))
        check_districts(uow.session, districts)
        provider = Provider(**{**data, "districts_served": districts}, version=1, created_at=now or utcnow())
        uow.session.add(provider)
        with unique("idno", duplicate):
            uow.session.flush()
        uow.emit("provider.registered", provider_payload(provider))
        provider.accreditations  # noqa: B018 (loaded before the commit: nothing may touch the database after it)
        uow.commit()
        return provider


def grant_accreditation(uow: UnitOfWork, provider_id: int, data: dict, now: datetime | None = None) -> Accreditation:
    with uow, domain_refusals():
        if uow.session.get(Provider, provider_id) is None:
            raise NotFound(f"provider {provider_id} does not exist")
        check_service_type(uow.session, data["service_type"])
        AccreditationTerms(provider_id, data["service_type"], data["valid_from"], data["valid_to"])
        refuse_second_live_accreditation(uow.session, provider_id, data["service_type"])
        duplicate = f"certificate {data['certificate_number']} of {data['accrediting_body']} is already recorded"
        if uow.session.scalar(
            select(Accreditation.id).where(
                Accreditation.accrediting_body == data["accrediting_body"],
                Accreditation.certificate_number == data["certificate_number"],
            )
        ):
            raise Conflict(duplicate, field="certificate_number")
        accreditation = Accreditation(provider_id=provider_id, status="active", version=1, updated_at=now, **data)
        uow.session.add(accreditation)
        with unique("certificate_number", duplicate):
            uow.session.flush()
        uow.emit("accreditation.granted", accreditation_payload(accreditation))
        uow.commit()
        return accreditation


def refuse_second_live_accreditation(session: Session, provider_id: int, service_type: str) -> None:
    live = session.scalar(
        select(Accreditation).where(
            Accreditation.provider_id == provider_id,
            Accreditation.service_type == service_type,
            Accreditation.status.in_(LIVE_ACCREDITATION_STATUSES),
        )
    )
    if live is not None:
        raise Conflict(
            f"provider {provider_id} already holds accreditation {live.id} for {service_type} ({live.status}); "
            f"renew that one instead",
            field="service_type",
            accreditation_id=live.id,
        )


def create_user(uow: UnitOfWork, data: dict, actor: Actor | None = None, now: datetime | None = None) -> User:
    """Create an account; ``actor`` is who asks (None: the platform itself, e.g. the first operator)."""
    with uow, domain_refusals():
        role = data["role"]
        district_code = data.get("district_code")
        if actor is not None:
            district_code = district_for_new_user(actor, role, district_code)
        check_binding(role, district_code, data.get("provider_id"))
        email = data["email"].lower()
        duplicate = f"a user with e-mail {email} already exists"
        if uow.session.scalar(select(User.id).where(User.email == email)):
            raise Conflict(duplicate, field="email")
        if district_code and uow.session.get(District, district_code) is None:
            raise Invalid("district_code", f"unknown district {district_code!r}")
        if data.get("provider_id") and uow.session.get(Provider, data["provider_id"]) is None:
            raise Invalid("provider_id", f"provider {data['provider_id']} does not exist")
        user = User(
            email=email,
            password_hash=generate_password_hash(data["password"]),
            full_name=data.get("full_name"),
            role=role,
            district_code=district_code,
            provider_id=data.get("provider_id"),
            language=data.get("language", "ro"),
            created_at=now or utcnow(),
        )
        uow.session.add(user)
        with unique("email", duplicate):
            uow.commit()
        return user


@functools.cache
def _unknown_account_hash() -> str:
    return generate_password_hash("no account has this password")


def authenticate(uow: UnitOfWork, email: str, password: str) -> User | None:
    with uow:
        user = uow.session.scalar(select(User).where(User.email == email.lower(), User.active.is_(True)))
        # An unknown e-mail pays for the same hash check as a known one, so the answer's timing does not tell
        # a guesser which e-mails have accounts.
        password_hash = user.password_hash if user is not None else _unknown_account_hash()
        if not check_password_hash(password_hash, password) or user is None:
            return None
        return user
