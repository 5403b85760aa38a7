"""Registry rules: identity numbers, accreditation terms and validity (Law 129/2012), the local calendar.

Validity is one rule shared with contracting's eligibility replica: a provider is accredited for service S in
district D on day T when the provider is active and serves D, and one of its accreditations for S is active
with T inside [valid_from, valid_to]. A suspended, revoked or expired accreditation covers no day at all: the
registry answers with what is true now, which is what a bid opening or an invitation needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

IDNO = re.compile(r"^\d{13}$")
ACCREDITATION_STATUSES = ("active", "suspended", "revoked", "expired")
PROVIDER_STATUSES = ("active", "suspended")
# Accreditation dates are Moldovan calendar days, so "today" is today in Chișinău, not in UTC.
LOCAL_TIME_ZONE = ZoneInfo("Europe/Chisinau")


class RuleViolation(ValueError):
    """Input that breaks a registry rule; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_idno(idno: str) -> str:
    if not IDNO.match(idno or ""):
        raise RuleViolation("idno", "IDNO must be exactly 13 digits")
    return idno


def local_date(moment: datetime) -> date:
    """The calendar day in Moldova at an aware moment."""
    return moment.astimezone(LOCAL_TIME_ZONE).date()


@dataclass(frozen=True)
class AccreditationTerms:
    provider_id: int
    service_type: str
    valid_from: date
    valid_to: date
    status: str = "active"
    accreditation_id: int | None = None

    def __post_init__(self) -> None:
        if self.valid_to < self.valid_from:
            raise RuleViolation("valid_to", "valid_to must not be before valid_from")
        if self.status not in ACCREDITATION_STATUSES:
            raise RuleViolation("status", f"status must be one of {', '.join(ACCREDITATION_STATUSES)}")

    def covers(self, service_type: str, on: date) -> bool:
        """Accredited for that service on that day: active, and the day within its validity."""
        return self.status == "active" and self.service_type == service_type and self.valid_from <= on <= self.valid_to

    def is_due_to_expire(self, today: date) -> bool:
        """Its last valid day has passed while it still counts as live (active or suspended)."""
        return self.status in ("active", "suspended") and self.valid_to < today


@dataclass(frozen=True)
class ProviderStanding:
    provider_id: int
    status: str
    districts_served: frozenset[str]


@dataclass(frozen=True)
class Validity:
    valid: bool
    accreditation: AccreditationTerms | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def validity(
    provider: ProviderStanding,
    accreditations: Iterable[AccreditationTerms],
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
