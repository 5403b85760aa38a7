"""Registry rules: identity numbers and accreditation validity (Law 129/2012)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

IDNO = re.compile(r"^\d{13}$")
ACCREDITATION_STATUSES = ("active", "suspended", "revoked", "expired")


class RuleViolation(ValueError):
    """Input that breaks a registry rule; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_idno(idno: str) -> str:
    if not IDNO.match(idno or ""):
        raise RuleViolation("idno", "IDNO must be exactly 13 digits")
    return idno


@dataclass(frozen=True)
class AccreditationTerms:
    provider_id: int
    service_type: str
    valid_from: date
    valid_to: date
    status: str = "active"

    def __post_init__(self) -> None:
        if self.valid_to < self.valid_from:
            raise RuleViolation("valid_to", "valid_to must not be before valid_from")
        if self.status not in ACCREDITATION_STATUSES:
            raise RuleViolation("status", f"status must be one of {', '.join(ACCREDITATION_STATUSES)}")

    def covers(self, service_type: str, on: date) -> bool:
        """Accredited for that service on that day: active, and the day within its validity."""
        return self.status == "active" and self.service_type == service_type and self.valid_from <= on <= self.valid_to
