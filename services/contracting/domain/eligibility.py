"""Who may be invited to and win a tender: accredited for its service, valid on the day, serving its district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


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
