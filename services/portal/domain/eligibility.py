"""Whether a CSO may bid for a call, read from the public register as the registry rules it; and which calls and
bids of a CSO are still open for it to act on.

The registry's rule (services/common/registry_facts.py: validity): the organisation is active, serves the call's
district, and holds an active accreditation for the call's service valid on the day. The portal words each failing
part for the person; contracting checks the same again when it invites and when it opens the bids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Why an organisation is not eligible (the page words each one).
ORGANISATION_NOT_ACTIVE = "organisation_not_active"
DISTRICT_NOT_SERVED = "district_not_served"
NOT_ACCREDITED = "not_accredited"
ACCREDITATION_NOT_ACTIVE = "accreditation_not_active"
ACCREDITATION_NOT_YET_VALID = "accreditation_not_yet_valid"
ACCREDITATION_LAPSED = "accreditation_lapsed"

# Contracting's stages in which bids are taken until the deadline, and the one where questions are.
ENQUIRIES = "active.enquiries"
TENDERING = "active.tendering"
STANDSTILL = "active.standstill"
TAKING_BIDS = (ENQUIRIES, TENDERING)
STANDING_BID = "active"


@dataclass(frozen=True)
class Accreditation:
    service_type: str
    valid_from: date
    valid_to: date
    status: str

    def covers(self, service_type: str, on: date) -> bool:
        return self.status == "active" and self.service_type == service_type and self.valid_from <= on <= self.valid_to


@dataclass(frozen=True)
class Organisation:
    provider_id: int
    status: str
    districts_served: frozenset[str]
    accreditations: tuple[Accreditation, ...]

    @classmethod
    def from_register(cls, row: dict) -> Organisation:
        """From the registry's public ``/providers/<id>`` answer."""
        return cls(
            provider_id=int(row["id"]),
            status=row.get("status") or "active",
            districts_served=frozenset(row.get("districts_served") or ()),
            accreditations=tuple(
                Accreditation(
                    service_type=item["service_type"],
                    valid_from=date.fromisoformat(item["valid_from"]),
                    valid_to=date.fromisoformat(item["valid_to"]),
                    status=item["status"],
                )
                for item in row.get("accreditations") or ()
            ),
        )


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = ()
    # The last valid day of the accreditation that makes it eligible (None when none does).
    valid_to: date | None = None
    # Eligible today, but the accreditation ends before the bids are opened: contracting would then refuse.
    lapses_before_deadline: bool = False


def eligibility(
    organisation: Organisation, service_type: str, district_code: str, on: date, deadline_day: date | None = None
) -> Eligibility:
    """May ``organisation`` bid for a call of ``service_type`` in ``district_code`` on ``on``, and if not, why."""
    reasons: list[str] = []
    if organisation.status != "active":
        reasons.append(ORGANISATION_NOT_ACTIVE)
    if district_code not in organisation.districts_served:
        reasons.append(DISTRICT_NOT_SERVED)
    covering = [a for a in organisation.accreditations if a.covers(service_type, on)]
    if not covering:
        reasons.append(_why_not_accredited(organisation, service_type, on))
    valid_to = max((a.valid_to for a in covering), default=None)
    lapses = bool(valid_to and deadline_day and valid_to < deadline_day)
    return Eligibility(not reasons, tuple(reasons), valid_to, lapses)


def _why_not_accredited(organisation: Organisation, service_type: str, on: date) -> str:
    for_service = [a for a in organisation.accreditations if a.service_type == service_type]
    if not for_service:
        return NOT_ACCREDITED
    active = [a for a in for_service if a.status == "active"]
    if not active:
        return ACCREDITATION_NOT_ACTIVE
    if all(a.valid_from > on for a in active):
        return ACCREDITATION_NOT_YET_VALID
    return ACCREDITATION_LAPSED


def questions_open(status: str, enquiry_end: datetime | None, now: datetime) -> bool:
    """Questions are taken during the questions period, until its end by the clock."""
    return status == ENQUIRIES and enquiry_end is not None and now < enquiry_end


def bids_open(status: str, submission_deadline: datetime | None, now: datetime) -> bool:
    return status in TAKING_BIDS and submission_deadline is not None and now < submission_deadline


def complaints_open(status: str, standstill_end: datetime | None, now: datetime) -> bool:
    """A bidder may complain about the award decision only while the standstill runs."""
    return status == STANDSTILL and standstill_end is not None and now < standstill_end


def standing_bids(bids: list[dict]) -> list[dict]:
    """The bids that still count (not withdrawn), those needing re-confirmation first."""
    standing = [bid for bid in bids if bid.get("status") == STANDING_BID]
    return sorted(standing, key=lambda bid: (not bid.get("needs_reconfirmation"), bid.get("id") or 0))
