"""How long a provider's accreditation lasts, and whether it outlives a contract: contracting's own questions.

Whether a provider may be invited to or win a tender on a given day is the registry's rule, applied as it is
(services/common/registry_facts.py: validity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.common.registry_facts import AccreditationFacts


def accredited_until(accreditations: list[AccreditationFacts], provider_id: int, service_type: str, on: date):
    """The last day of unbroken accreditation for the service from ``on`` (active accreditations, chained where a
    new one starts by the day after the old one ends); None when the provider is not accredited on ``on``."""
    spans = [
        (a.valid_from, a.valid_to)
        for a in accreditations
        if a.provider_id == provider_id and a.service_type == service_type and a.status == "active"
    ]
    covered = on - timedelta(days=1)
    extended = True
    while extended:
        extended = False
        for valid_from, valid_to in spans:
            if valid_from <= covered + timedelta(days=1) and valid_to > covered:
                covered, extended = valid_to, True
    return covered if covered >= on else None


@dataclass(frozen=True)
class TermGap:
    """The accreditation ends (``valid_until``; None: not accredited at all) before the contract does."""

    valid_until: date | None
    contract_end: datetime


def term_gap(
    accreditations: list[AccreditationFacts], provider_id: int, service_type: str, start: date, contract_end: datetime
) -> TermGap | None:
    """None when accreditation runs unbroken from ``start`` through the contract's last day of service.

    A contract serves up to, not including, ``end_at`` (domain/contracts.py): one ending at midnight needs cover
    only through the day before. Accreditation lasts 5 years (12 months the first time), so a multi-year
    contract or a renewal can outlive it while the bid deadline was well inside it.
    """
    last_day = (contract_end - timedelta(microseconds=1)).date()
    until = accredited_until(accreditations, provider_id, service_type, start)
    return None if until is not None and until >= last_day else TermGap(until, contract_end)
