"""Authority contacts: the e-mail (and language) where each district's social assistance department is told.

Until the registry publishes authorities, operators keep these; a district without one is served through
the operators' inbox.
"""

from __future__ import annotations

from sqlalchemy import select

from services.common.call import Call
from services.common.errors import NotFound
from services.common.unit_of_work import UnitOfWork
from services.notifications.adapters.orm import AuthorityContact
from services.notifications.service_layer.commands import SetContact


def set_contact(call: Call, district_code: str, command: SetContact) -> AuthorityContact:
    uow = call.uow
    with uow:
        contact = uow.session.get(AuthorityContact, district_code) or AuthorityContact(district_code=district_code)
        contact.email = command.email
        contact.language = command.language or contact.language or "ro"
        contact.updated_at = call.now
        contact.updated_by = call.principal.subject
        uow.session.add(contact)
        uow.commit()
        return contact


def get_contact(uow: UnitOfWork, district_code: str) -> AuthorityContact:
    with uow:
        return _load(uow, district_code)


def list_contacts(uow: UnitOfWork) -> list[AuthorityContact]:
    with uow:
        return list(uow.session.scalars(select(AuthorityContact).order_by(AuthorityContact.district_code)))


def delete_contact(call: Call, district_code: str) -> None:
    uow = call.uow
    with uow:
        uow.session.delete(_load(uow, district_code))
        uow.commit()


def _load(uow: UnitOfWork, district_code: str) -> AuthorityContact:
    contact = uow.session.get(AuthorityContact, district_code)
    if contact is None:
        raise NotFound(f"no contact is set for district {district_code}")
    return contact
