"""Reading what was published: the change feed after a cursor, release pages, and one process's record.

Everything here reads the publication tables only (written with each change), never the tenders' own tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from services.common.errors import NotFound
from services.contracting.adapters.orm_public import OcdsRecord, OcdsRelease, PublicChange
from services.contracting.domain.ocds_bids import BID_EXTENSION
from services.contracting.service_layer.base import utc

OCDS_VERSION = "1.1"
# Clarifications are published with the enquiry extension's fields, bids (after the decision) with the bid extension's,
# the call's lots (tender.lots, items' relatedLot) with the lots extension's. Each lot's ``referenceCost`` is the
# platform's own field, described in domain/ocds_extension_reference_cost.json.
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json",
    BID_EXTENSION,  # bids.details, from the decision on
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
]


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: int
    has_more: bool


def changes_after(session_factory: sessionmaker, cursor: int, limit: int) -> Page:
    """Public changes after ``cursor``, in commit order; following next_cursor misses none and repeats none."""
    with session_factory() as session:
        query = select(PublicChange, OcdsRelease.release).join(
            OcdsRelease, OcdsRelease.position == PublicChange.position
        )
        rows = session.execute(
            query.where(PublicChange.position > cursor).order_by(PublicChange.position).limit(limit + 1)
        ).all()
    items = [_change(change, release) for change, release in rows[:limit]]
    return Page(items, items[-1]["position"] if items else cursor, len(rows) > limit)


def _change(change: PublicChange, release: dict) -> dict:
    return {
        "position": change.position,
        "event_type": change.event_type,
        "ocid": change.ocid,
        "tender_id": change.tender_id,
        "district_code": change.district_code,
        "tags": change.tags,
        "release_id": change.release_id,
        "date": utc(change.published_at),
        "release": release,
    }


def releases_after(
    session_factory: sessionmaker,
    cursor: int,
    limit: int,
    ocid: str | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> Page:
    """Releases in commit order, optionally of one process and within [date_from, date_to)."""
    query = select(OcdsRelease).where(OcdsRelease.position > cursor)
    if ocid:
        query = query.where(OcdsRelease.ocid == ocid)
    if date_from:
        query = query.where(OcdsRelease.date >= utc(date_from))
    if date_to:
        query = query.where(OcdsRelease.date < utc(date_to))
    with session_factory() as session:
        rows = list(session.scalars(query.order_by(OcdsRelease.position).limit(limit + 1)))
    page = rows[:limit]
    return Page([row.release for row in page], page[-1].position if page else cursor, len(rows) > limit)


def record_of(session_factory: sessionmaker, ocid: str) -> dict:
    """The OCDS record of one process: every release, in order, and the compiled release."""
    with session_factory() as session:
        record = session.get(OcdsRecord, ocid)
        if record is None:
            raise NotFound(f"no contracting process {ocid} has been published")
        query = select(OcdsRelease.release).where(OcdsRelease.ocid == ocid).order_by(OcdsRelease.position)
        releases = list(session.scalars(query))
    return {"ocid": ocid, "releases": releases, "compiledRelease": record.compiled}


def package_header(publication: dict, uri: str, published: datetime) -> dict:
    """The fields a release or record package opens with: who publishes, when, under which licence."""
    publisher = {key: publication[key] for key in ("name", "scheme", "uid", "uri") if publication.get(key)}
    header = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": utc(published).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "publisher": publisher,
        "license": publication.get("license") or None,
        "publicationPolicy": publication.get("policy") or None,
    }
    return {key: item for key, item in header.items() if item is not None}
