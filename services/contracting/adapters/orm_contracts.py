"""Tables of contracts: contracts and their versions, milestones, monitoring reports, renewal proposals,
re-tender links (successions) and the continuity alerts already raised.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.contracting.adapters.base import Base, Hundredths

LIVE_REPORT = text("status IN ('submitted', 'accepted')")
OPEN_PROPOSAL = text("status = 'proposed'")


class Contract(Base):
    __tablename__ = "contracts"
    # One contract per award: two racing "create contracts" calls cannot both make one.
    __table_args__ = (UniqueConstraint("award_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    district_code: Mapped[str] = mapped_column(String(8), index=True)
    service_type: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    places: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Hundredths)
    value: Mapped[Decimal] = mapped_column(Hundredths)
    # What was awarded: amendment limits are measured against it
    original_places: Mapped[int] = mapped_column(Integer)
    original_value: Mapped[Decimal] = mapped_column(Hundredths)
    start_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    original_months: Mapped[int] = mapped_column(Integer)
    total_months: Mapped[int] = mapped_column(Integer)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    milestone_frequency: Mapped[str] = mapped_column(String(10))
    kpis: Mapped[list] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    authority_signed_by: Mapped[str | None] = mapped_column(String(60))
    authority_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider_signed_by: Mapped[str | None] = mapped_column(String(60))
    provider_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(Text)
    expiring_notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContractVersion(Base):
    """Every state of a contract's terms, in order: amendments add a version and never rewrite one."""

    __tablename__ = "contract_versions"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON)
    terms: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Milestone(Base):
    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    report_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    status: Mapped[str] = mapped_column(String(20))
    payable_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MonitoringReport(Base):
    __tablename__ = "monitoring_reports"
    # A period has at most one report standing (submitted or accepted); a returned one is kept beside its successor.
    __table_args__ = (
        Index(
            "uq_reports_live_milestone",
            "milestone_id",
            unique=True,
            sqlite_where=LIVE_REPORT,
            postgresql_where=LIVE_REPORT,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    provider_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    beneficiaries_served: Mapped[int] = mapped_column(Integer)
    kpi_values: Mapped[dict] = mapped_column(JSON)
    narrative: Mapped[str] = mapped_column(Text)
    documents: Mapped[list] = mapped_column(JSON)
    # [{code, status, note}] against the service type's checklist; None for reports filed before it existed.
    standards: Mapped[list | None] = mapped_column(JSON)
    submitted_by: Mapped[str] = mapped_column(String(80))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comments: Mapped[str | None] = mapped_column(Text)


class RenewalProposal(Base):
    __tablename__ = "renewal_proposals"
    # One proposal awaits the authority at a time.
    __table_args__ = (
        Index(
            "uq_renewal_open_proposal",
            "contract_id",
            unique=True,
            sqlite_where=OPEN_PROPOSAL,
            postgresql_where=OPEN_PROPOSAL,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    months: Mapped[int] = mapped_column(Integer)
    recommendation: Mapped[dict] = mapped_column(JSON)
    proposed_by: Mapped[str] = mapped_column(String(80))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)


class TenderSuccession(Base):
    """A re-tender's link to the contract it replaces (OCDS relatedProcesses: 'predecessor')."""

    __tablename__ = "tender_successions"
    __table_args__ = (UniqueConstraint("tender_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"))
    predecessor_contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    predecessor_ocid: Mapped[str] = mapped_column(String(80))
    planned_contract_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContinuityAlert(Base):
    """A continuity.at_risk already raised: at most once per contract, term and threshold.

    ``term`` counts the contract's renewals: a renewed contract approaching its new end is a new risk.
    """

    __tablename__ = "continuity_alerts"
    __table_args__ = (UniqueConstraint("contract_id", "term", "threshold_days"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    term: Mapped[int] = mapped_column(Integer)
    threshold_days: Mapped[int] = mapped_column(Integer)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    restored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
