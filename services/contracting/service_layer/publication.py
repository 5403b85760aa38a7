"""Publication: each public event becomes an OCDS release and a change-feed row in the transaction that caused it.

``PublishingUnitOfWork`` is contracting's unit of work: ``emit`` builds the release of a public event at once
(domain/ocds.release_for, with the facts it needs read inside the same transaction), and ``commit`` stores the
staged releases just before the commit. Feed positions are handed out there, by one UPDATE of the feed_head row:
its lock, the last one a write takes, is held until the commit, so public writers commit one after another and
positions are gap-free and committed in order (a reader following the feed never skips a row that commits late).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.bus.envelope import Envelope
from services.common.unit_of_work import UnitOfWork
from services.contracting.adapters.orm_contracts import TenderSuccession
from services.contracting.adapters.orm_public import FEED_HEAD_ID, FeedHead, OcdsRecord, OcdsRelease, PublicChange
from services.contracting.adapters.orm_replicas import ProviderReplica
from services.contracting.adapters.orm_tendering import Tender
from services.contracting.adapters.repository import TenderRepository
from services.contracting.domain import call_search, ocds
from services.contracting.domain.canonical import sha256_of
from services.contracting.domain.ocds_model import LotFacts, Provider, ReleaseContext, TenderFacts

if TYPE_CHECKING:
    import ocdsmerge
from services.contracting.service_layer.base import utc

FACTS_NEEDED = ("tender.published", "tender.amended", "tender.cancelled")
CONTRACT_FAMILIES = ("contract", "report", "milestone")


@dataclass(frozen=True)
class Staged:
    envelope: Envelope
    release: dict
    payload_hash: str
    date: datetime


@dataclass
class Publication:
    """What building a release needs from the service: the ocid prefix and the clock (the release date)."""

    ocid_prefix: str
    clock: Callable[[], datetime]

    def stage(self, session: Session, envelope: Envelope) -> Staged | None:
        payload = envelope.payload
        context = ReleaseContext(
            release_id=envelope.event_id,
            date=utc(self.clock()),
            ocid_prefix=self.ocid_prefix,
            providers=_providers(session, payload),
            tender=_tender_facts(session, envelope.type, payload),
            contract_awards=_contract_awards(session, envelope.type, payload),
            predecessor_ocid=_predecessor(session, envelope.type, payload),
        )
        release = ocds.release_for(envelope.type, payload, context)
        if release is None:
            return None
        return Staged(envelope, release, sha256_of(payload), context.date)

    def store(self, session: Session, staged: list[Staged]) -> None:
        """Feed rows and releases at the next positions, then the compiled records they change."""
        first = _next_positions(session, len(staged))
        positions = [first + offset for offset in range(len(staged))]
        session.add_all(_change(position, item) for position, item in zip(positions, staged, strict=True))
        session.flush()
        session.add_all(
            OcdsRelease(
                release_id=item.release["id"],
                position=position,
                ocid=item.release["ocid"],
                date=item.date,
                release=item.release,
            )
            for position, item in zip(positions, staged, strict=True)
        )
        session.flush()
        for ocid_ in dict.fromkeys(item.release["ocid"] for item in staged):
            _recompile(session, ocid_, [item for item in staged if item.release["ocid"] == ocid_])


def _change(position: int, item: Staged) -> PublicChange:
    payload, release = item.envelope.payload, item.release
    return PublicChange(
        position=position,
        event_id=item.envelope.event_id,
        event_type=item.envelope.type,
        ocid=release["ocid"],
        tender_id=payload.get("tender_id"),
        district_code=payload.get("district_code"),
        release_id=release["id"],
        tags=release["tag"],
        payload_hash=item.payload_hash,
        published_at=item.date,
    )


class PublishingUnitOfWork(UnitOfWork):
    """Contracting's unit of work: public events are published with the state change, or not at all."""

    def __init__(self, session_factory, outbox_model, producer: str, publication: Publication) -> None:
        super().__init__(session_factory, outbox_model, producer)
        self.publication = publication
        self.staged: list[Staged] = []

    def __enter__(self) -> PublishingUnitOfWork:
        super().__enter__()
        self.staged = []
        return self

    def emit(self, event_type: str, payload: dict, correlation_id: str | None = None) -> Envelope:
        envelope = super().emit(event_type, payload, correlation_id)
        if ocds.is_public(event_type):
            staged = self.publication.stage(self.session, envelope)
            if staged is not None:
                self.staged.append(staged)
        return envelope

    def commit(self) -> None:
        if self.staged:
            self.publication.store(self.session, self.staged)
            self.staged = []
        super().commit()


def _next_positions(session: Session, count: int) -> int:
    """Take the feed lock (held to the commit) and reserve ``count`` positions; returns the first."""
    table = FeedHead.__table__
    bumped = session.execute(
        table.update()
        .where(table.c.id == FEED_HEAD_ID)
        .values(position=table.c.position + count)
        .returning(table.c.position)
    ).scalar_one_or_none()
    if bumped is None:
        # A database built without the migration's seed row (metadata.create_all): the first writer seeds it.
        session.add(FeedHead(id=FEED_HEAD_ID, position=count))
        session.flush()
        bumped = count
    return bumped - count + 1


def _providers(session: Session, payload: dict) -> dict[int, Provider]:
    ids = {payload.get("provider_id")}
    ids |= {entry.get("provider_id") for key in ("bidders", "awards") for entry in payload.get(key) or []}
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return {}
    rows = session.scalars(select(ProviderReplica).where(ProviderReplica.provider_id.in_(ids)))
    return {row.provider_id: Provider(row.idno, row.legal_name, row.address, row.email, row.phone) for row in rows}


def _tender_facts(session: Session, event_type: str, payload: dict) -> TenderFacts | None:
    """The call's terms at the moment of the event (the events carry only the fields every stage shares)."""
    if event_type not in FACTS_NEEDED or payload.get("tender_id") is None:
        return None
    tender = session.get(Tender, payload["tender_id"])
    if tender is None:
        return None
    rows = TenderRepository(session)
    lots, criteria = rows.lots(tender.id), rows.criteria(tender.id)
    fallen = [award.id for award in rows.awards(tender.id, "cancelled")]
    return TenderFacts(
        description=tender.description or "",
        published_at=utc(tender.published_at),
        lots=tuple(
            LotFacts(lot.id, lot.number, lot.title, lot.places, lot.budget, lot.duration_months) for lot in lots
        ),
        criteria=tuple((c.kind, c.name, c.weight) for c in criteria),
        cancelled_award_ids=tuple(fallen) if event_type == "tender.cancelled" else (),
    )


def _contract_awards(session: Session, event_type: str, payload: dict) -> dict[str, str]:
    """Contracts' award ids as already published for this process (our own table, not another module's)."""
    if event_type.split(".")[0] not in CONTRACT_FAMILIES or not payload.get("ocid"):
        return {}
    record = session.get(OcdsRecord, payload["ocid"])
    contracts = record.compiled.get("contracts", []) if record else []
    return {str(c["id"]): str(c["awardID"]) for c in contracts if "awardID" in c}


def _predecessor(session: Session, event_type: str, payload: dict) -> str | None:
    """A re-tender's predecessor process, as the re-tender recorded it when it created the call."""
    if event_type != "tender.published" or payload.get("tender_id") is None:
        return None
    query = select(TenderSuccession.predecessor_ocid).where(TenderSuccession.tender_id == payload["tender_id"])
    return session.scalars(query).first()


@functools.cache
def _merger() -> ocdsmerge.Merger:
    # Imported on the first merge: the relay and the consumer build this context too and never merge (~10 MB).
    import ocdsmerge

    # The release schema ships with the code: ocdsmerge would otherwise fetch it over the network.
    text = resources.files("services.contracting.domain").joinpath("ocds_release_schema_1_1_5.json").read_text("utf-8")
    return ocdsmerge.Merger(schema=json.loads(text))


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release (ocdsmerge): the current state of every field, releases taken in date order."""
    return _merger().create_compiled_release(releases)


def _recompile(session: Session, ocid_: str, staged: list[Staged]) -> None:
    rows = list(session.scalars(select(OcdsRelease).where(OcdsRelease.ocid == ocid_).order_by(OcdsRelease.position)))
    compiled = compile_releases([row.release for row in rows])
    record = session.get(OcdsRecord, ocid_) or OcdsRecord(ocid=ocid_, first_date=rows[0].date)
    latest = staged[-1].envelope.payload
    tender = compiled.get("tender", {})
    record.tender_id = record.tender_id or latest.get("tender_id")
    record.district_code = record.district_code or latest.get("district_code")
    record.title, record.status = tender.get("title"), tender.get("status")
    record.last_position, record.release_count, record.compiled = rows[-1].position, len(rows), compiled
    _refresh_search_facts(record, compiled, latest)
    session.add(record)


def _refresh_search_facts(record: OcdsRecord, compiled: dict, latest: dict) -> None:
    """What the public search filters, sorts and shows, as the compiled release now states it."""
    facts = call_search.search_facts(compiled)
    # A release without lots names no service: the tender events carry the tender row's own service type.
    record.service_type = facts.service_type or latest.get("service_type") or record.service_type
    record.budget_amount, record.currency = facts.budget_amount, facts.currency
    record.submission_deadline, record.lot_count = facts.submission_deadline, facts.lot_count
    record.title_search = call_search.folded(record.title)
