"""Registry rules: identity numbers, accreditation terms and validity (Law 129/2012), the local calendar.

Validity itself (accredited for service S in district D on day T) is written once, over the facts the registry
publishes, in services/common/registry_facts.py: contracting and notifications apply the same function to their
replicas. The registry adds what only it decides: which terms it accepts, and when one is due to expire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.common.registry_facts import AccreditationFacts, ProviderFacts
from services.common.registry_facts import Validity as Validity
from services.common.registry_facts import validity as validity

IDNO = re.compile(r"^\d{13}$")
ACCREDITATION_STATUSES = ("active", "suspended", "revoked", "expired")
PROVIDER_STATUSES = ("active", "suspended")
# Accreditation dates are Moldovan calendar days, so "today" is today in Chișinău, not in UTC.
LOCAL_TIME_ZONE = ZoneInfo("Europe/Chisinau")
# A provider's standing, as validity reads it, is what the registry publishes of it.
ProviderStanding = ProviderFacts


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
class AccreditationTerms(AccreditationFacts):
    """Terms the registry accepts: ``covers`` (the validity rule's part) is AccreditationFacts'."""

    def __post_init__(self) -> None:
        if self.valid_to < self.valid_from:
            raise RuleViolation("valid_to", "valid_to must not be before valid_from")
        if self.status not in ACCREDITATION_STATUSES:
            raise RuleViolation("status", f"status must be one of {', '.join(ACCREDITATION_STATUSES)}")

    def is_due_to_expire(self, today: date) -> bool:
        """Its last valid day has passed while it still counts as live (active or suspended)."""
        return self.status in ("active", "suspended") and self.valid_to < today
