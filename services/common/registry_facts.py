"""The registry's published facts, typed, and the one eligibility rule every service applies to them.

The registry publishes providers, accreditations and service types in its provider.*, accreditation.* and
service_type.* event payloads (services/registry/service_layer/handlers.py and reference.py); each payload is
parsed here, once, by its ``from_payload``. ``validity`` is the rule itself (Law 129/2012): a provider is
accredited for service S in district D on day T when the provider is active and serves D, and one of its
accreditations for S is active with T inside [valid_from, valid_to]. The registry answers its validity query
with it, contracting invites and admits bidders with it, notifications finds whom a call concerns with it.

Plain Python on purpose: every service's domain imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# A provider that never chose a language is written to in Romanian, the registry's default.
DEFAULT_LANGUAGES = ("ro",)


@dataclass(frozen=True)
class ProviderFacts:
    """A provider as its provider.* events publish it; the rule reads only the first three fields."""

    provider_id: int
    status: str
    districts_served: tuple[str, ...]
    legal_name: str = ""
    idno: str | None = None
    email: str | None = None
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    version: int | None = None
    phone: str | None = None
    address: str | None = None

    @classmethod
    def from_payload(cls, payload: dict) -> ProviderFacts:
        return cls(
            provider_id=payload["provider_id"],
            status=payload["status"],
            districts_served=tuple(payload["districts_served"]),
            legal_name=payload["legal_name"],
            idno=payload.get("idno"),
            email=payload.get("email"),
            languages=tuple(payload.get("languages") or DEFAULT_LANGUAGES),
            version=payload["version"],
            phone=payload.get("phone"),
            address=payload.get("address"),
        )


@dataclass(frozen=True)
class AccreditationFacts:
    """An accreditation as its accreditation.* events publish it (the fields any service relies on)."""

    provider_id: int
    service_type: str
    valid_from: date
    valid_to: date
    status: str = "active"
    accreditation_id: int | None = None
    version: int | None = None

    @classmethod
    def from_payload(cls, payload: dict) -> AccreditationFacts:
        return cls(
            provider_id=payload["provider_id"],
            service_type=payload["service_type"],
            valid_from=date.fromisoformat(payload["valid_from"]),
            valid_to=date.fromisoformat(payload["valid_to"]),
            status=payload["status"],
            accreditation_id=payload["accreditation_id"],
            version=payload["version"],
        )

    def covers(self, service_type: str, on: date) -> bool:
        """Accredited for that service on that day: active, and the day within its validity.

        A suspended, revoked or expired accreditation covers no day at all: what is true now is what a bid
        opening or an invitation needs."""
        return self.status == "active" and self.service_type == service_type and self.valid_from <= on <= self.valid_to


@dataclass(frozen=True)
class ServiceTypeFacts:
    """A service type of the registry's nomenclature with its names, as its service_type.* events publish it."""

    code: str
    name_ro: str
    name_ru: str
    name_en: str
    version: int

    @classmethod
    def from_payload(cls, payload: dict) -> ServiceTypeFacts:
        names = {name: payload[name] for name in ("name_ro", "name_ru", "name_en")}
        return cls(code=payload["code"], **names, version=payload["version"])


@dataclass(frozen=True)
class Validity:
    valid: bool
    accreditation: AccreditationFacts | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def validity(
    provider: ProviderFacts,
    accreditations: Iterable[AccreditationFacts],
    service_type: str,
    district_code: str,
    on: date,
) -> Validity:
    """Whether ``provider`` is accredited for ``service_type`` in ``district_code`` on ``on``, and if not, why."""
    reasons = []
    if provider.status != "active":
        reasons.append(f"provider is {provider.status}")
    if district_code not in provider.districts_served:
        reasons.append(f"provider does not serve district {district_code}")
    covering = [a for a in accreditations if a.provider_id == provider.provider_id and a.covers(service_type, on)]
    if not covering:
        reasons.append(f"no active accreditation for {service_type} valid on {on.isoformat()}")
    # The one lasting longest is the one worth showing: it is what the next check will rely on.
    best = max(covering, key=lambda a: a.valid_to, default=None)
    return Validity(valid=not reasons, accreditation=best, reasons=tuple(reasons))


def is_eligible(
    provider: ProviderFacts,
    accreditations: Iterable[AccreditationFacts],
    service_type: str,
    district_code: str,
    on: date,
) -> bool:
    """``validity`` without the reasons, for callers that only filter."""
    return validity(provider, accreditations, service_type, district_code, on).valid
