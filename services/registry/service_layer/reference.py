"""Reference data upkeep: new service types (operators) and the districts' departments' details."""

from __future__ import annotations

from services.common.call import Call
from services.common.errors import Conflict, NotFound
from services.registry.adapters.orm import Authority, ServiceType
from services.registry.domain.access import check_authority_edit
from services.registry.service_layer.commands import AddServiceType, UpdateAuthority
from services.registry.service_layer.handlers import caller
from services.registry.service_layer.refusals import domain_refusals, unique


def service_type_payload(service_type: ServiceType) -> dict:
    """What other services replicate of a service type (contracting refuses calls for codes it has not received).

    A service type is added, never changed, so every announcement is version 1: a replay changes nothing."""
    return {
        "code": service_type.code,
        "name_ro": service_type.name_ro,
        "name_ru": service_type.name_ru,
        "name_en": service_type.name_en,
        "version": 1,
    }


def add_service_type(call: Call, command: AddServiceType) -> ServiceType:
    uow = call.uow
    with uow:
        duplicate = f"service type {command.code!r} already exists"
        if uow.session.get(ServiceType, command.code) is not None:
            raise Conflict(duplicate, field="code")
        service_type = ServiceType(
            code=command.code, name_ro=command.name_ro, name_ru=command.name_ru, name_en=command.name_en
        )
        uow.session.add(service_type)
        with unique("code", duplicate):
            uow.session.flush()
        uow.emit("service_type.added", service_type_payload(service_type))
        uow.commit()
        return service_type


def update_authority(call: Call, district_code: str, command: UpdateAuthority) -> Authority:
    uow = call.uow
    with uow, domain_refusals():
        authority = uow.session.get(Authority, district_code)
        if authority is None:
            raise NotFound(f"no authority for district {district_code!r}")
        check_authority_edit(caller(call), district_code)
        for name, value in command.changes.items():
            setattr(authority, name, value)
        authority.updated_at = call.now
        uow.commit()
        return authority
