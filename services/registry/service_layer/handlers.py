"""Registry use cases: register providers, grant accreditations, create users, authenticate.

The event payloads are built here, once: ``provider_payload`` and ``accreditation_payload`` carry the full
current state and its ``version``, which the other services' replicas compare before applying an event.
"""

from __future__ import annotations

import functools

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from services.common.call import Call
from services.common.errors import Conflict, Invalid, NotFound
from services.common.unit_of_work import UnitOfWork
from services.registry.adapters.orm import Accreditation, District, Provider, ServiceType, User
from services.registry.domain.access import Actor, check_binding, district_for_new_user
from services.registry.domain.rules import AccreditationTerms, check_idno
from services.registry.service_layer.commands import CreateUser, GrantAccreditation, RegisterProvider
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
        # The organisation's public contact facts: contracting publishes them on the party in OCDS (red flag R044).
        "phone": provider.phone,
        "address": provider.address,
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


def caller(call: Call) -> Actor:
    """Who a permission check is about. Only account creation is also done by the platform itself (no caller:
    ``sscp create-accounts``, a seed); every other change is someone's, so a call without one is a bug."""
    if call.principal is None:
        raise ValueError("this change needs a caller: build the Call with the principal it is made for")
    return call.principal


def check_districts(session: Session, codes: list[str], field: str = "districts_served") -> None:
    known = set(session.scalars(select(District.code).where(District.code.in_(codes))))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise Invalid(field, f"unknown district code(s): {', '.join(unknown)}")


def check_service_type(session: Session, code: str, field: str = "service_type") -> None:
    if session.get(ServiceType, code) is None:
        raise Invalid(field, f"unknown service type {code!r}")


def register_provider(call: Call, command: RegisterProvider) -> Provider:
    uow = call.uow
    with uow, domain_refusals():
        check_idno(command.idno)
        duplicate = f"a provider with IDNO {command.idno} is already registered"
        if uow.session.scalar(select(Provider.id).where(Provider.idno == command.idno)):
            raise Conflict(duplicate, field="idno")
        districts = sorted(set(command.districts_served))
        check_districts(uow.session, districts)
        provider = Provider(
            idno=command.idno,
            legal_name=command.legal_name,
            legal_form=command.legal_form,
            email=command.email,
            phone=command.phone,
            address=command.address,
            districts_served=districts,
            languages=list(command.languages),
            version=1,
            created_at=call.now,
        )
        uow.session.add(provider)
        with unique("idno", duplicate):
            uow.session.flush()
        uow.emit("provider.registered", provider_payload(provider))
        provider.accreditations  # noqa: B018 (loaded before the commit: nothing may touch the database after it)
        uow.commit()
        return provider


def grant_accreditation(call: Call, provider_id: int, command: GrantAccreditation) -> Accreditation:
    uow = call.uow
    with uow, domain_refusals():
        if uow.session.get(Provider, provider_id) is None:
            raise NotFound(f"provider {provider_id} does not exist")
        check_service_type(uow.session, command.service_type)
        AccreditationTerms(provider_id, command.service_type, command.valid_from, command.valid_to)
        refuse_second_live_accreditation(uow.session, provider_id, command.service_type)
        duplicate = f"certificate {command.certificate_number} of {command.accrediting_body} is already recorded"
        if uow.session.scalar(
            select(Accreditation.id).where(
                Accreditation.accrediting_body == command.accrediting_body,
                Accreditation.certificate_number == command.certificate_number,
            )
        ):
            raise Conflict(duplicate, field="certificate_number")
        accreditation = Accreditation(
            provider_id=provider_id,
            service_type=command.service_type,
            accrediting_body=command.accrediting_body,
            certificate_number=command.certificate_number,
            valid_from=command.valid_from,
            valid_to=command.valid_to,
            status="active",
            version=1,
            updated_at=call.now,
        )
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


def create_user(call: Call, command: CreateUser) -> User:
    """Create an account; the call's principal is who asks (None: the platform itself, e.g. the first operator,
    which may create any account)."""
    uow = call.uow
    with uow, domain_refusals():
        role = command.role
        district_code = command.district_code
        if call.principal is not None:
            district_code = district_for_new_user(call.principal, role, district_code)
        check_binding(role, district_code, command.provider_id)
        email = command.email.lower()
        duplicate = f"a user with e-mail {email} already exists"
        if uow.session.scalar(select(User.id).where(User.email == email)):
            raise Conflict(duplicate, field="email")
        if district_code and uow.session.get(District, district_code) is None:
            raise Invalid("district_code", f"unknown district {district_code!r}")
        if command.provider_id and uow.session.get(Provider, command.provider_id) is None:
            raise Invalid("provider_id", f"provider {command.provider_id} does not exist")
        user = User(
            email=email,
            password_hash=generate_password_hash(command.password),
            full_name=command.full_name,
            role=role,
            district_code=district_code,
            provider_id=command.provider_id,
            language=command.language,
            created_at=call.now,
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
