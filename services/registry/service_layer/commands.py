"""The registry's write commands: what each use case is asked to do, typed, as the API's schemas load them.

Each handler takes ``(call, <ids>, command)`` (services/common/call.py). A partial update holds the fields the
caller sent in ``changes``: a field left out is not in it, a field set to null is in it as None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class RegisterProvider:
    idno: str
    legal_name: str
    legal_form: str = "asociație obștească"
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    districts_served: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("ro",)


@dataclass(frozen=True)
class UpdateProvider:
    """Profile fields (``status`` for operators) the caller sent; IDNO never changes."""

    changes: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", MappingProxyType(dict(self.changes)))


@dataclass(frozen=True)
class GrantAccreditation:
    service_type: str
    accrediting_body: str
    certificate_number: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class RenewAccreditation:
    """A new last valid day; the certificate stays unless a new one is given."""

    valid_to: date
    certificate_number: str | None = None


@dataclass(frozen=True)
class ChangeAccreditationStatus:
    """``action`` is suspend, reinstate or revoke; the reason is required by the API for all but reinstate."""

    action: str
    reason: str | None = None


@dataclass(frozen=True)
class CreateUser:
    email: str
    password: str = field(repr=False)
    role: str
    full_name: str | None = None
    district_code: str | None = None
    provider_id: int | None = None
    language: str = "ro"


@dataclass(frozen=True)
class AddServiceType:
    code: str
    name_ro: str
    name_ru: str
    name_en: str


@dataclass(frozen=True)
class UpdateAuthority:
    """A department's name, address, e-mail or phone, as the caller sent them."""

    changes: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", MappingProxyType(dict(self.changes)))


@dataclass(frozen=True)
class SetReferenceCost:
    """The annual cost of one place (MDL) of a service in a district ("*": national) in a year, and the decision
    that set it."""

    service_type: str
    district_code: str
    year: int
    amount: Decimal
    source: str
