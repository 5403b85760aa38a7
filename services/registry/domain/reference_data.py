"""The registry's reference data: districts and services (their names live in services/common, shared with
notifications) and one social assistance department per district (DESIGN.md §7)."""

from __future__ import annotations

from typing import NamedTuple

from services.common.reference_data import DISTRICTS, SERVICE_TYPES, Label

__all__ = ["AUTHORITIES", "DISTRICTS", "SERVICE_TYPES", "AuthoritySeed", "Label"]


class AuthoritySeed(NamedTuple):
    district_code: str
    name: str
    address: str


def _raion_department(district: Label) -> AuthoritySeed:
    seat = "s. Cocieri" if district.code == "MD-DU" else f"or. {district.ro}"
    name = f"Direcția Asistență Socială și Protecție a Familiei {district.ro}"
    return AuthoritySeed(district.code, name, f"{seat}, r-nul {district.ro}")


_MUNICIPAL_DEPARTMENTS = {
    "MD-CU": AuthoritySeed("MD-CU", "Direcția generală asistență socială și sănătate Chișinău", "mun. Chișinău"),
    "MD-BA": AuthoritySeed("MD-BA", "Direcția Asistență Socială și Protecție a Familiei Bălți", "mun. Bălți"),
    "MD-GA": AuthoritySeed(
        "MD-GA", "Direcția principală asistență socială și protecție a familiei a UTA Găgăuzia", "mun. Comrat"
    ),
}

# One social assistance department per district; contacts are left for the departments to fill in.
AUTHORITIES: tuple[AuthoritySeed, ...] = tuple(
    _MUNICIPAL_DEPARTMENTS.get(district.code) or _raion_department(district) for district in DISTRICTS
)
