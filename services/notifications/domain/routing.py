"""Which events concern whom: the routing table from event type to recipient kinds."""

from __future__ import annotations

# event type -> who receives it
ROUTES: dict[str, str] = {
    "tender.published": "providers_accredited_in_district",
    "tender.invitation_sent": "invited_provider",
}


def audience_for(event_type: str) -> str | None:
    return ROUTES.get(event_type)
