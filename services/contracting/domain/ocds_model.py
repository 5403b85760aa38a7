"""The vocabulary of OCDS release building: the facts a release may draw on, and small shared pieces."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from services.contracting.domain import ocds_codelists as codes


@dataclass(frozen=True)
class Provider:
    idno: str
    name: str
    address: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class LotFacts:
    id: int
    number: int
    title: str
    places: int
    budget: Decimal | None
    duration_months: int


@dataclass(frozen=True)
class TenderFacts:
    """What a call says beyond its events' common fields, as it stood when the event happened."""

    description: str
    published_at: datetime | None
    lots: tuple[LotFacts, ...] = ()
    criteria: tuple[tuple[str, str, int], ...] = ()  # (kind, name, weight)
    cancelled_award_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReleaseContext:
    release_id: str
    date: datetime
    ocid_prefix: str
    providers: Mapping[int, Provider] = field(default_factory=dict)
    tender: TenderFacts | None = None
    # contract id -> award id, from the process's earlier releases (OCDS requires awardID on every contract)
    contract_awards: Mapping[str, str] = field(default_factory=dict)
    # The process a re-tender replaces, when the event itself does not say (predecessor_ocid in a payload wins)
    predecessor_ocid: str | None = None


def iso(moment: str | date | datetime | None) -> str | None:
    """One date-time format for every release (ocdsmerge orders releases by comparing these strings)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def value(amount: str | Decimal | int | None) -> dict | None:
    """An OCDS Value in MDL. JSON numbers are what the schema takes; two-place decimals round-trip exactly."""
    if amount is None:
        return None
    exact = Decimal(str(amount))
    number = int(exact) if exact == exact.to_integral_value() else float(exact)
    return {"amount": number, "currency": codes.CURRENCY}


def buyer_id(district_code: str) -> str:
    """The district's social assistance department, e.g. MD-CU-DAS."""
    return f"{district_code}-DAS"


class Parties:
    """The organizations a release names, each once, with every role it plays in that release."""

    def __init__(self, providers: Mapping[int, Provider]) -> None:
        self.providers = providers
        self.found: dict[str, dict] = {}

    def _add(self, party: dict, roles: tuple[str, ...]) -> dict:
        known = self.found.setdefault(party["id"], {**party, "roles": []})
        merged = set(known["roles"]) | set(roles)
        known["roles"] = [role for role in codes.PARTY_ROLES if role in merged]
        return {"id": party["id"], "name": party["name"]}

    def buyer(self, district_code: str) -> dict:
        name = f"Direcția Asistență Socială și Protecție a Familiei {district_code}"
        return self._add({"id": buyer_id(district_code), "name": name}, ("buyer", "procuringEntity"))

    def provider(self, provider_id: int, *roles: str) -> dict:
        known = self.providers.get(int(provider_id))
        if known is None:
            return self._add({"id": f"MD-PROVIDER-{provider_id}", "name": f"Provider {provider_id}"}, roles)
        identifier = {"scheme": "MD-IDNO", "id": known.idno, "legalName": known.name}
        party = {"id": f"MD-IDNO-{known.idno}", "name": known.name, "identifier": identifier}
        # The organisation's registered contact facts (public in the register), so shared ones can be spotted (R044).
        if known.address:
            party["address"] = {"streetAddress": known.address, "countryName": "Moldova"}
        contact = {key: value for key, value in (("email", known.email), ("telephone", known.phone)) if value}
        if contact:
            party["contactPoint"] = contact
        return self._add(party, roles)

    def as_list(self) -> list[dict]:
        return list(self.found.values())


Builder = Callable[[dict, ReleaseContext, Parties], dict]


def stored_document(payload: dict) -> dict:
    """A document the platform stores, as OCDS lists it: its download url, and its SHA-256 in the description
    (OCDS 1.1 has no hash field) so a reader can check the bytes it downloads."""
    return without_none(
        {
            "id": f"doc-{payload['document_id']}",
            "documentType": payload.get("document_type"),
            "title": payload.get("title"),
            "description": f"SHA-256: {payload['sha256']}" if payload.get("sha256") else None,
            "url": payload.get("url"),
            "format": payload.get("format"),
            "language": payload.get("language"),
            "datePublished": iso(payload.get("created_at")),
            "dateModified": iso(payload.get("created_at")),
        }
    )


def cancellation_document(context: ReleaseContext, title: str, reason: str | None) -> dict:
    return {
        "id": f"cancellation-{context.release_id}",
        "documentType": "cancellationDetails",
        "title": title,
        "description": reason or "",
        "datePublished": iso(context.date),
    }


def without_none(section: dict) -> dict:
    return {key: item for key, item in section.items() if item is not None}
