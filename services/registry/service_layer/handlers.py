"""Registry use cases: register providers, grant accreditations, manage users, authenticate."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from services.common.errors import Conflict, Invalid, NotFound
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import Accreditation, District, Provider, ServiceType, User
from services.registry.domain.rules import AccreditationTerms, RuleViolation, check_idno


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
        "version": accreditation.version,
    }


def _check_districts(uow: UnitOfWork, codes: list[str]) -> None:
    known = set(uow.session.scalars(select(District.code).where(District.code.in_(codes))))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise Invalid("districts_served", f"unknown district code(s): {', '.join(unknown)}")


def register_provider(uow: UnitOfWork, data: dict) -> Provider:
    with uow:
        try:
            check_idno(data["idno"])
        except RuleViolation as exc:
            raise Invalid(exc.field, str(exc)) from exc
        if uow.session.scalar(select(Provider.id).where(Provider.idno == data["idno"])):
            raise Conflict(f"a provider with IDNO {data['idno']} is already registered", field="idno")
        _check_districts(uow, data.get("districts_served", []))
        provider = Provider(**data, version=1)
        uow.session.add(provider)
        uow.session.flush()
        uow.emit("provider.registered", provider_payload(provider))
        uow.commit()
        provider.accreditations  # noqa: B018 (loaded now, while the session is open, for the response)
        return provider


def grant_accreditation(uow: UnitOfWork, provider_id: int, data: dict) -> Accreditation:
    with uow:
        if uow.session.get(Provider, provider_id) is None:
            raise NotFound(f"provider {provider_id} does not exist")
        if uow.session.get(ServiceType, data["service_type"]) is None:
            raise Invalid("service_type", f"unknown service type {data['service_type']!r}")
        try:
            AccreditationTerms(provider_id, data["service_type"], data["valid_from"], data["valid_to"])
        except RuleViolation as exc:
            raise Invalid(exc.field, str(exc)) from exc
        accreditation = Accreditation(provider_id=provider_id, status="active", version=1, **data)
        uow.session.add(accreditation)
        uow.session.flush()
        uow.emit("accreditation.granted", accreditation_payload(accreditation))
        uow.commit()
        return accreditation


def create_user(uow: UnitOfWork, data: dict) -> User:
    with uow:
        email = data["email"].lower()
        if uow.session.scalar(select(User.id).where(User.email == email)):
            raise Conflict(f"a user with e-mail {email} already exists", field="email")
        role = data["role"]
        if role in ("authority", "evaluator") and not data.get("district_code"):
            raise Invalid("district_code", f"a {role} user must be bound to a district")
        if role == "cso" and not data.get("provider_id"):
            raise Invalid("provider_id", "a cso user must be bound to a provider")
        if data.get("district_code") and uow.session.get(District, data["district_code"]) is None:
            raise Invalid("district_code", f"unknown district {data['district_code']!r}")
        if data.get("provider_id") and uow.session.get(Provider, data["provider_id"]) is None:
            raise Invalid("provider_id", f"provider {data['provider_id']} does not exist")
        user = User(
            email=email,
            password_hash=generate_password_hash(data["password"]),
            role=role,
            district_code=data.get("district_code"),
            provider_id=data.get("provider_id"),
            language=data.get("language", "ro"),
        )
        uow.session.add(user)
        uow.commit()
        return user


def authenticate(uow: UnitOfWork, email: str, password: str) -> User | None:
    with uow:
        user = uow.session.scalar(select(User).where(User.email == email.lower(), User.active.is_(True)))
        if user is None or not check_password_hash(user.password_hash, password):
            return None
        return user
