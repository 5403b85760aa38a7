"""Who may be invited to and win a tender: accredited for its service, valid on the day, serving its district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProviderFacts:
    provider_id: int
    status: str
    districts_served: frozenset[str]


@dataclass(frozen=True)
class AccreditationFacts:
    provider_id: int
    service_type: str
    valid_from: date
    valid_to: date
    status: str


def is_eligible(
    provider: ProviderFacts,
    accreditations: list[AccreditationFacts],
    service_type: str,
    district_code: str,
    on: date,
) -> bool:
    if provider.status != "active" or district_code not in provider.districts_served:
        return False
    return any(
        a.provider_id == provider.provider_id
        and a.status == "active"
        and a.service_type == service_type
        and a.valid_from <= on <= a.valid_to
        for a in accreditations
    )
