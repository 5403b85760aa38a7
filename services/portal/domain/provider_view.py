"""A provider's public page: who it is, where it works, what it is accredited for, and the contracts it holds.

The registry's answer is read with either spelling it may use (name or legal_name, districts or districts_served,
valid_until or valid_to); contracts come from contracting's public list, whose supplier is the OCDS party
MD-IDNO-<idno>.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.call_results import IDNO_PREFIX
from services.portal.domain.money import as_decimal


@dataclass(frozen=True)
class Accreditation:
    service_type: str
    districts: tuple[str, ...]
    valid_from: str | None
    valid_until: str | None
    status: str


@dataclass(frozen=True)
class ProviderContract:
    tender_id: int
    call_title: str | None
    district_code: str | None
    value: Decimal | None
    places: int | None
    starts: str | None
    ends: str | None
    signed_at: str | None
    status: str


@dataclass(frozen=True)
class ProviderView:
    provider_id: int
    name: str
    idno: str | None
    status: str | None
    districts: tuple[str, ...]
    accreditations: tuple[Accreditation, ...]
    contracts: tuple[ProviderContract, ...]


def _districts(row: dict) -> tuple[str, ...]:
    return tuple(row.get("districts") or row.get("districts_served") or row.get("district_codes") or ())


def supplier_party_id(idno: str | None) -> str | None:
    return f"{IDNO_PREFIX}{idno}" if idno else None


def contracts_held(rows: list[dict], idno: str | None) -> list[dict]:
    """The public contracts whose supplier is this IDNO (the list has no filter by supplier)."""
    party_id = supplier_party_id(idno)
    if party_id is None:
        return []
    return [row for row in rows if (row.get("supplier") or {}).get("id") == party_id]


def _contract(row: dict, call_titles: dict[int, str]) -> ProviderContract:
    contract = row.get("contract") or {}
    period = contract.get("period") or {}
    quantities = [item["quantity"] for item in contract.get("items") or [] if item.get("quantity") is not None]
    return ProviderContract(
        tender_id=int(row["tender_id"]),
        call_title=call_titles.get(int(row["tender_id"])),
        district_code=row.get("district_code"),
        value=as_decimal((contract.get("value") or {}).get("amount")),
        places=sum(quantities) if quantities else None,
        starts=period.get("startDate"),
        ends=period.get("endDate"),
        signed_at=contract.get("dateSigned"),
        status=contract.get("status") or "",
    )


def _accreditation(row: dict, provider_districts: tuple[str, ...]) -> Accreditation:
    return Accreditation(
        service_type=row.get("service_type") or "",
        # An accreditation covers the districts the provider serves unless the registry names its own
        districts=_districts(row) or provider_districts,
        valid_from=row.get("valid_from"),
        valid_until=row.get("valid_until") or row.get("valid_to"),
        status=row.get("status") or "",
    )


def provider_view(provider: dict, contract_rows: list[dict], call_titles: dict[int, str]) -> ProviderView:
    """``contract_rows`` are this provider's rows of GET /public/contracts, newest signature first on the page."""
    districts = _districts(provider)
    accreditations = sorted(
        (_accreditation(row, districts) for row in provider.get("accreditations") or []),
        key=lambda accreditation: (accreditation.status != "active", accreditation.service_type),
    )
    contracts = sorted(
        (_contract(row, call_titles) for row in contract_rows),
        key=lambda contract: contract.signed_at or "",
        reverse=True,
    )
    return ProviderView(
        provider_id=int(provider["id"]),
        name=provider.get("name") or provider.get("legal_name") or "",
        idno=provider.get("idno"),
        status=provider.get("status"),
        districts=districts,
        accreditations=tuple(accreditations),
        contracts=tuple(contracts),
    )
