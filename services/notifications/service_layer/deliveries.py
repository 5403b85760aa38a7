"""Turns each event into delivery records for the recipients it concerns, and keeps the directory current."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.bus.envelope import Envelope
from services.common.replica import upsert_by_version
from services.notifications.adapters.orm import Delivery, DirectoryAccreditation, DirectoryProvider
from services.notifications.domain.routing import audience_for


def handle_event(session: Session, envelope: Envelope) -> int:
    """Apply one event; returns how many deliveries it queued."""
    if envelope.type.startswith(("provider.", "accreditation.")):
        _update_directory(session, envelope)
        return 0
    audience = audience_for(envelope.type)
    if audience is None:
        return 0
    providers = _resolve(session, audience, envelope.payload)
    for provider in providers:
        session.add(
            Delivery(
                event_id=envelope.event_id,
                event_type=envelope.type,
                correlation_id=envelope.correlation_id,
                recipient=f"provider:{provider.provider_id}",
                channel="email",
                address=provider.email,
                language=(provider.languages or ["ro"])[0],
                status="queued",
                created_at=datetime.now(UTC),
            )
        )
    return len(providers)


def _resolve(session: Session, audience: str, payload: dict) -> list[DirectoryProvider]:
    if audience == "invited_provider":
        provider = session.get(DirectoryProvider, payload["provider_id"])
        return [provider] if provider else []
    today = date.today()
    accredited = select(DirectoryAccreditation.provider_id).where(
        DirectoryAccreditation.service_type == payload["service_type"],
        DirectoryAccreditation.status == "active",
        DirectoryAccreditation.valid_from <= today,
        DirectoryAccreditation.valid_to >= today,
    )
    candidates = session.scalars(
        select(DirectoryProvider).where(
            DirectoryProvider.provider_id.in_(accredited), DirectoryProvider.status == "active"
        )
    )
    return [p for p in candidates if payload["district_code"] in p.districts_served]


def _update_directory(session: Session, envelope: Envelope) -> None:
    payload = envelope.payload
    if envelope.type.startswith("provider."):
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
