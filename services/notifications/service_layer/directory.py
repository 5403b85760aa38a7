"""Keeps the local directory current from the registry's provider.*, accreditation.* and service_type.* events."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from services.common.bus.envelope import Envelope
from services.common.replica import upsert_by_version
from services.notifications.adapters.orm import DirectoryAccreditation, DirectoryProvider, DirectoryServiceType


def is_directory_event(event_type: str) -> bool:
    return event_type.startswith(("provider.", "accreditation.", "service_type."))


def update_directory(session: Session, envelope: Envelope) -> None:
    """Apply one registry event; a replayed or older version changes nothing."""
    payload = envelope.payload
    if envelope.type.startswith("service_type."):
        names = {name: payload[name] for name in ("name_ro", "name_ru", "name_en")}
        upsert_by_version(session, DirectoryServiceType, payload["code"], {**names, "version": payload["version"]})
    elif envelope.type.startswith("provider."):
        values = {
            "legal_name": payload["legal_name"],
            "email": payload.get("email"),
            "districts_served": list(payload["districts_served"]),
            "languages": list(payload.get("languages") or ["ro"]),
            "status": payload["status"],
            "version": payload["version"],
        }
        upsert_by_version(session, DirectoryProvider, payload["provider_id"], values)
    else:
        values = {
            "provider_id": payload["provider_id"],
            "service_type": payload["service_type"],
            "valid_from": date.fromisoformat(payload["valid_from"]),
            "valid_to": date.fromisoformat(payload["valid_to"]),
            "status": payload["status"],
            "version": payload["version"],
        }
        upsert_by_version(session, DirectoryAccreditation, payload["accreditation_id"], values)


def service_names(session: Session, code) -> dict[str, dict[str, str]]:
    """The registry's names of one service type, by language ({} for a code it has not announced)."""
    row = session.get(DirectoryServiceType, code) if isinstance(code, str) else None
    return {code: {"ro": row.name_ro, "ru": row.name_ru, "en": row.name_en}} if row else {}
