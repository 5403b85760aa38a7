"""Compiled OCDS releases read into typed calls: the one place that knows how the platform publishes OCDS.

Conventions of the platform's publisher (services/contracting/domain/ocds*.py) relied on here:
- the district is the buyer's id ``<ISO 3166-2:MD code>-DAS`` (e.g. ``MD-CU-DAS``);
- the service type is the tender items' additional classification in the scheme ``X-SSCP-SERVICE``;
- a lot is an item ``lot-<id>``; its ``quantity`` is places; awards and contracts name it in their items;
- ``tender.numberOfTenderers`` is the bids received (at the opening), then the bidders named at the award;
- complaints are listed on ``awards[].complaints`` (or ``tender.complaints``) with status pending/upheld/rejected;
- a re-tender names its predecessor in ``relatedProcesses`` (scheme ``ocid``).
- ``bids.details`` (bid extension) names each bid's tenderer and status (valid / disqualified) from the decision on.
- an accepted monitoring report is a met ``reporting`` milestone of ``contracts[].implementation``; its answers to
  the minimum quality standards are the platform's extension field ``standards: [{id, status}]``.
Fields the platform does not publish yet are read where OCDS puts them, so the indicators that need them light up
the day they are published: parties' ``address``, ``contactPoint`` and ``details.bankAccounts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

SERVICE_SCHEME = "X-SSCP-SERVICE"
BUYER_SUFFIX = "-DAS"
LIVE_AWARD = ("active", "pending")
SIGNED_CONTRACT = ("active", "terminated")  # signed and in force, or signed and since closed


@dataclass(frozen=True)
class Bid:
    """One bid of the bid extension's ``bids.details`` (the platform publishes them with the decision)."""

    id: str
    status: str | None
    tenderer_ids: tuple[str, ...]
    value: Decimal | None = None


@dataclass(frozen=True)
class Complaint:
    id: str
    status: str
    award_id: str | None
    submitted: datetime | None
    decided: datetime | None


@dataclass(frozen=True)
class Award:
    id: str
    status: str
    supplier_ids: tuple[str, ...]
    value: Decimal | None
    places: int | None
    date: datetime | None


@dataclass(frozen=True)
class AcceptedReport:
    """An accepted monitoring report: (code, status) per minimum quality standard; () if it answered none."""

    id: str
    date_met: datetime | None
    standards: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Contract:
    id: str
    award_id: str | None
    status: str
    value: Decimal | None
    places: int | None
    start: datetime | None
    end: datetime | None
    signed: datetime | None
    extensions: int = 0  # amendments that extended the term (the platform's renewals)
    reports: tuple[AcceptedReport, ...] = ()

    @property
    def signed_or_closed(self) -> bool:
        return self.status in SIGNED_CONTRACT


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    roles: tuple[str, ...]
    address: str | None = None
    telephones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    bank_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Call:
    """One contracting process (one ocid) as its compiled release states it."""

    ocid: str
    district_code: str | None
    service_type: str | None
    status: str
    method: str | None
    buyer_id: str | None
    published: datetime | None
    deadline: datetime | None
    standstill_end: datetime | None
    budget: Decimal | None
    places: int | None
    number_of_tenderers: int | None
    tenderer_ids: tuple[str, ...]
    bids: tuple[Bid, ...] | None  # None: the release publishes no bids (the platform's case)
    awards: tuple[Award, ...] = ()
    contracts: tuple[Contract, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    parties: dict[str, Party] = field(default_factory=dict)
    predecessors: tuple[str, ...] = ()

    @property
    def winners(self) -> tuple[str, ...]:
        """Suppliers of live (active or pending) awards, each once, in award order."""
        found = [s for a in self.awards if a.status in LIVE_AWARD for s in a.supplier_ids]
        return tuple(dict.fromkeys(found))

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None


def moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def amount(value: dict | None) -> Decimal | None:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    try:
        return Decimal(str(value["amount"]))
    except InvalidOperation:
        return None


def _int(number) -> int | None:
    return int(number) if isinstance(number, int | float) or str(number or "").isdigit() else None


def _places(items: list[dict] | None) -> int | None:
    counts = [_int(item.get("quantity")) for item in items or []]
    return sum(counts) if counts and None not in counts else None


def _ids(references: list[dict] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(ref["id"]) for ref in references or [] if ref.get("id") is not None))


def district_of(buyer_id: str | None) -> str | None:
    if not buyer_id:
        return None
    return buyer_id.removesuffix(BUYER_SUFFIX) if buyer_id.endswith(BUYER_SUFFIX) else buyer_id


def service_of(items: list[dict] | None) -> str | None:
    for item in items or []:
        for classification in item.get("additionalClassifications") or []:
            if classification.get("scheme") == SERVICE_SCHEME and classification.get("id"):
                return classification["id"]
    return None


def _norm(text) -> str:
    return " ".join(str(text).lower().split())


def _party(entry: dict) -> Party:
    """A party with its contact facts normalised (lower case, single spaces; phones as digits only)."""
    address = entry.get("address") or {}
    parts = [address.get(k) for k in ("streetAddress", "locality", "region", "postalCode", "countryName")]
    contacts = [entry.get("contactPoint") or {}, *(entry.get("additionalContactPoints") or [])]
    phones = {"".join(ch for ch in str(c.get("telephone")) if ch.isdigit()) for c in contacts if c.get("telephone")}
    emails = {_norm(c["email"]) for c in contacts if c.get("email")}
    accounts = {
        _norm((account.get("accountIdentification") or {}).get("id"))
        for account in (entry.get("details") or {}).get("bankAccounts") or []
        if (account.get("accountIdentification") or {}).get("id")
    }
    return Party(
        id=str(entry.get("id")),
        name=str(entry.get("name") or entry.get("id")),
        roles=tuple(entry.get("roles") or ()),
        address=_norm(", ".join(str(p) for p in parts if p)) if any(parts) else None,
        telephones=tuple(sorted(p for p in phones if p)),
        emails=tuple(sorted(emails)),
        bank_accounts=tuple(sorted(accounts)),
    )


def _complaints(entries: list[dict] | None, award_id: str | None) -> list[Complaint]:
    return [
        Complaint(
            id=str(entry.get("id")),
            status=str(entry.get("status") or "pending"),
            award_id=award_id,
            submitted=moment(entry.get("dateSubmitted")),
            decided=moment(entry.get("dateDecision")),
        )
        for entry in entries or []
    ]


def _award(entry: dict) -> Award:
    return Award(
        id=str(entry.get("id")),
        status=str(entry.get("status") or "pending"),
        supplier_ids=_ids(entry.get("suppliers")),
        value=amount(entry.get("value")),
        places=_places(entry.get("items")),
        date=moment(entry.get("date")),
    )


def _reports(entry: dict) -> tuple[AcceptedReport, ...]:
    milestones = (entry.get("implementation") or {}).get("milestones") or []
    return tuple(
        AcceptedReport(
            id=str(m.get("id")),
            date_met=moment(m.get("dateMet")),
            standards=tuple(
                (str(s["id"]), str(s.get("status"))) for s in m.get("standards") or [] if s.get("id") is not None
            ),
        )
        for m in milestones
        if m.get("type") == "reporting" and m.get("status") == "met"
    )


def _contract(entry: dict) -> Contract:
    period = entry.get("period") or {}
    amendments = entry.get("amendments") or []
    return Contract(
        id=str(entry.get("id")),
        award_id=str(entry["awardID"]) if entry.get("awardID") is not None else None,
        status=str(entry.get("status") or "pending"),
        value=amount(entry.get("value")),
        places=_places(entry.get("items")),
        start=moment(period.get("startDate")),
        end=moment(period.get("endDate")),
        signed=moment(entry.get("dateSigned")),
        extensions=sum(1 for a in amendments if "extension" in str(a.get("description") or "")),
        reports=_reports(entry),
    )


def _bids(release: dict) -> tuple[Bid, ...] | None:
    details = (release.get("bids") or {}).get("details")
    if details is None:
        return None
    return tuple(
        Bid(str(d.get("id")), d.get("status"), _ids(d.get("tenderers")), amount(d.get("value"))) for d in details
    )


def read_call(release: dict) -> Call:
    """A compiled release (a record's ``compiledRelease``) as a typed call."""
    tender = release.get("tender") or {}
    buyer_id = (release.get("buyer") or tender.get("procuringEntity") or {}).get("id")
    raw_awards = release.get("awards") or []
    complaints = _complaints(tender.get("complaints"), None)
    for entry in raw_awards:
        complaints += _complaints(entry.get("complaints"), str(entry.get("id")))
    return Call(
        ocid=str(release.get("ocid")),
        district_code=district_of(buyer_id),
        service_type=service_of(tender.get("items")),
        status=str(tender.get("status") or "planned"),
        method=tender.get("procurementMethod"),
        buyer_id=buyer_id,
        published=moment((tender.get("tenderPeriod") or {}).get("startDate")),
        deadline=moment((tender.get("tenderPeriod") or {}).get("endDate")),
        standstill_end=moment((tender.get("awardPeriod") or {}).get("endDate")),
        budget=amount(tender.get("value")),
        places=_places(tender.get("items")),
        number_of_tenderers=_int(tender.get("numberOfTenderers")),
        tenderer_ids=_ids(tender.get("tenderers")),
        bids=_bids(release),
        awards=tuple(_award(entry) for entry in raw_awards),
        contracts=tuple(_contract(entry) for entry in release.get("contracts") or []),
        complaints=tuple(complaints),
        parties={party.id: party for party in map(_party, release.get("parties") or [])},
        predecessors=tuple(str(r.get("identifier") or r.get("id")) for r in release.get("relatedProcesses") or []),
    )


def ocid_order(ocid: str) -> tuple:
    """ocds-x-2 before ocds-x-10: numbers in an ocid compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", ocid))


def read_calls(releases: list[dict]) -> list[Call]:
    """Every compiled release as a call, in ocid order (so every table comes out in the same order)."""
    return sorted((read_call(release) for release in releases), key=lambda call: ocid_order(call.ocid))


def party_names(calls: list[Call]) -> dict[str, str]:
    """Every party's name by id (the latest call that names it wins)."""
    return {party.id: party.name for call in calls for party in call.parties.values()}
