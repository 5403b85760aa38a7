"""What each contracting write asks for, as typed commands: the entrypoint builds one from the validated request
(its schema's ``post_load``), a use case reads its attributes.

A field left ``None`` was not given: no request may clear a field by sending null (where a schema accepts null, it
means the same as leaving the field out), so the partial updates (``AmendTender``, ``LotChange``, ``EditContract``,
``AmendContract``) need no sentinel; ``given`` lists what was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from services.contracting.domain.report_standards import StandardAnswer


def given(command) -> dict:
    """The fields the caller gave (not ``None``), in the order the command declares them."""
    return {f.name: getattr(command, f.name) for f in fields(command) if getattr(command, f.name) is not None}


# Tenders


@dataclass(frozen=True)
class NewLot:
    title: str
    places: int
    budget: Decimal | None  # None only in a re-tender of a lot that had none
    duration_months: int
    max_awards: int = 1


@dataclass(frozen=True)
class NewCriterion:
    kind: str
    name: str
    weight: int
    minimum: Decimal | None = None


@dataclass(frozen=True)
class CreateTender:
    """A draft call; no criteria means the default ones, no standstill the procedure's default."""

    district_code: str
    service_type: str
    title: str
    enquiry_end: datetime
    submission_deadline: datetime
    lots: tuple[NewLot, ...]
    criteria: tuple[NewCriterion, ...] = ()
    description: str = ""
    title_ru: str | None = None
    title_en: str | None = None
    description_ru: str | None = None
    description_en: str | None = None
    committee_size: int = 3
    standstill_days: int | None = None


@dataclass(frozen=True)
class LotChange:
    id: int
    places: int | None = None
    budget: Decimal | None = None
    duration_months: int | None = None
    max_awards: int | None = None


@dataclass(frozen=True)
class AmendTender:
    rationale: str
    submission_deadline: datetime | None = None
    title: str | None = None
    description: str | None = None
    title_ru: str | None = None
    title_en: str | None = None
    description_ru: str | None = None
    description_en: str | None = None
    lots: tuple[LotChange, ...] = ()


# Bids and complaints


@dataclass(frozen=True)
class QualityAnswer:
    criterion_id: int
    answer: str


@dataclass(frozen=True)
class WriteBid:
    """A bid's whole offer, the same for a new bid and for one that replaces the standing offer."""

    lot_id: int
    unit_price: Decimal
    places: int
    quality_text: str
    quality_answers: tuple[QualityAnswer, ...]
    # Metadata of the bidder's files, stored and hashed into the receipt as given.
    documents: tuple[dict, ...] = ()


@dataclass(frozen=True)
class LodgeComplaint:
    title: str
    description: str
    award_id: int | None = None


# Contracts


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    target: Decimal
    unit: str = ""


@dataclass(frozen=True)
class CreateContracts:
    """Terms for every contract made now; each left ``None`` takes its default."""

    start_at: datetime | None = None
    milestone_frequency: str | None = None
    kpis: tuple[Kpi, ...] | None = None


@dataclass(frozen=True)
class WrittenMilestone:
    period_start: datetime
    period_end: datetime
    amount: Decimal


@dataclass(frozen=True)
class EditContract:
    reason: str | None = None
    start_at: datetime | None = None
    milestone_frequency: str | None = None
    kpis: tuple[Kpi, ...] | None = None
    milestones: tuple[WrittenMilestone, ...] | None = None


@dataclass(frozen=True)
class AmendContract:
    reason: str
    places: int | None = None
    value: Decimal | None = None
    extend_months: int | None = None


@dataclass(frozen=True)
class ProposeRenewal:
    months: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class SubmitReport:
    milestone_number: int
    beneficiaries_served: int
    narrative: str
    kpi_values: Mapping[str, Decimal] = field(default_factory=dict)
    documents: tuple[dict, ...] = ()
    standards: tuple[StandardAnswer, ...] = ()  # the schema requires them; checked against the service type
