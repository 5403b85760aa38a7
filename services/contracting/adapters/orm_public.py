"""Tables of what contracting publishes: the change feed, its OCDS releases and the compiled record per ocid.

All three are written in the transaction of the change they describe (service_layer/publication.py), and never
read another module's tables at request time: the public API and the exports serve from these.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.contracting.adapters.base import Base, Hundredths

FEED_HEAD_ID = 1


class FeedHead(Base):
    """The single row whose update serializes public writers: it hands out the next feed position.

    Its row lock is held from assignment to commit, so positions are gap-free and commit in order: when a reader
    sees position n, every position before n is already committed.
    """

    __tablename__ = "feed_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)


class PublicChange(Base):
    """One public change, in commit order; the change feed reads these."""

    __tablename__ = "public_changes"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(100))
    ocid: Mapped[str] = mapped_column(String(120), index=True)
    tender_id: Mapped[int | None] = mapped_column(Integer, index=True)
    district_code: Mapped[str | None] = mapped_column(String(8))
    release_id: Mapped[str] = mapped_column(String(80))
    tags: Mapped[list[str]] = mapped_column(JSON)
    # The SHA-256 of the event payload: the same value the tender's audit chain holds for that write, so a
    # published change anchors the audit chain (deleting or rewriting the entry no longer goes unnoticed).
    payload_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OcdsRelease(Base):
    __tablename__ = "ocds_releases"

    release_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(ForeignKey("public_changes.position"), unique=True)
    ocid: Mapped[str] = mapped_column(String(120), index=True)
    date: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    release: Mapped[dict] = mapped_column(JSON)


class OcdsRecord(Base):
    """The compiled release of one contracting process (ocdsmerge over its releases), kept current.

    Beside it, what the public search filters and sorts on (domain/call_search.py), copied out of the compiled
    release at each recompilation so the listing is one indexed query, never a scan of the JSON.
    """

    __tablename__ = "ocds_records"
    # The listing's sorts page through these in order (newest first, soonest deadline, largest budget).
    __table_args__ = (
        Index("ix_ocds_records_first_date", "first_date", "ocid"),
        Index("ix_ocds_records_submission_deadline", "submission_deadline", "ocid"),
        Index("ix_ocds_records_budget_amount", "budget_amount", "ocid"),
    )

    ocid: Mapped[str] = mapped_column(String(120), primary_key=True)
    tender_id: Mapped[int | None] = mapped_column(Integer, index=True)
    district_code: Mapped[str | None] = mapped_column(String(8), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    first_date: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_position: Mapped[int] = mapped_column(BigInteger)
    release_count: Mapped[int] = mapped_column(Integer)
    compiled: Mapped[dict] = mapped_column(JSON)
    service_type: Mapped[str | None] = mapped_column(String(60), index=True)
    budget_amount: Mapped[Decimal | None] = mapped_column(Hundredths)  # MDL, the sum of the lots' budgets
    currency: Mapped[str | None] = mapped_column(String(3))
    submission_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lot_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The title case-folded in Python, so the search is case-insensitive beyond ASCII on SQLite too.
    title_search: Mapped[str | None] = mapped_column(Text)
