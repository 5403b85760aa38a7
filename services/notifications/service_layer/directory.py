"""Keeps the local directory current from the registry's provider.*, accreditation.* and service_type.* events."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.common import replica
from services.common.bus.envelope import Envelope
from services.notifications.adapters.orm import DIRECTORY_TABLES, DirectoryServiceType


def is_directory_event(event_type: str) -> bool:
    return event_type.startswith(("provider.", "accreditation.", "service_type."))


def update_directory(session: Session, envelope: Envelope) -> None:
    """Apply one registry event; a replayed or older version changes nothing."""
    replica.apply_registry_event(session, DIRECTORY_TABLES, envelope)


def service_names(session: Session, code) -> dict[str, dict[str, str]]:
    """The registry's names of one service type, by language ({} for a code it has not announced)."""
    row = session.get(DirectoryServiceType, code) if isinstance(code, str) else None
    return {code: {"ro": row.name_ro, "ru": row.name_ru, "en": row.name_en}} if row else {}
