"""Document use cases: attach a file to a call or to what happens in it, list and read what the caller may see.

The bytes are written to the document store (durably) before the transaction that records the document and its
event; a crash in between leaves only an orphan file, which the store's sweep removes. Who may attach what is
checked here (the department for the call and its decisions, a CSO for its own bid, complaint or report); who may
read what is the domain's rule (domain/documents.py). A bid's document changes the bid: its receipt is issued
again with the file's SHA-256 in it, so the receipt proves which files came with the bid, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select

from services.common.errors import Conflict, Forbidden, Invalid, NotFound
from services.contracting.adapters.document_store import DocumentStore, TooLarge
from services.contracting.adapters.orm_contracts import Contract, MonitoringReport
from services.contracting.adapters.orm_documents import Document
from services.contracting.adapters.orm_evaluation import Award, Bid, CommitteeMember, Complaint
from services.contracting.adapters.orm_tendering import Amendment, Question, Tender
from services.contracting.domain import documents as rules
from services.contracting.domain import tender_status
from services.contracting.domain.bids import Receipt
from services.contracting.domain.documents import CallStage, DocumentFacts, Reader
from services.contracting.service_layer.base import Call, event, lifecycle_of, load_tender, record, utc
from services.contracting.service_layer.bids import commit_bid_change, own_standing_bid

ACTIVE, REPLACED, REMOVED = "active", "replaced", "removed"
# The department's documents may be attached while the call is at these statuses (by the clock)
CALL_DOCUMENT_STATUSES = (tender_status.DRAFT, *tender_status.BIDDING)


@dataclass(frozen=True)
class AttachDocument:
    kind: str
    title: str
    file_name: str
    owner_id: int | None = None
    document_type: str | None = None
    language: str = "ro"
    sha256: str | None = None
    confidential: bool = False
    confidentiality_reason: str | None = None
    replaces_id: int | None = None


@dataclass(frozen=True)
class Attached:
    document: Document
    receipt: Receipt | None = None  # a bid's new receipt, when the document came with a bid


@dataclass(frozen=True)
class Storage:
    """Where the bytes go, how large a file may be, and the public base of download urls."""

    store: DocumentStore
    max_bytes: int
    public_api_url: str

    def url(self, document: Document) -> str:
        return f"{self.public_api_url}/documents/{document.id}/download"


def attach(call: Call, storage: Storage, tender_id: int, command: AttachDocument, stream: BinaryIO) -> Attached:
    file_name = rules.check_file_name(command.file_name)
    document_type = rules.check_document_type(command.kind, command.document_type)
    if command.confidential and not (command.confidentiality_reason or "").strip():
        raise Invalid("confidentiality_reason", "a confidential document needs the reason it is confidential")
    if command.confidential and command.kind != rules.BID:
        raise Invalid("confidential", "only a bidder marks its own documents confidential")
    try:
        stored = storage.store.put(stream, storage.max_bytes)  # durable before anything points to it
    except TooLarge as exc:
        raise Invalid("file", f"{exc}") from exc
    with storage.store.open(stored.sha256) as written:
        found = rules.check_file(written.read(), storage.max_bytes)
    rules.check_sha256(command.sha256, stored.sha256)
    with call.uow:
        tender = load_tender(call, tender_id, scoped=False)
        bid = _check_may_attach(call, tender, command)
        replaced = _replaced(call, tender, command)
        document = Document(
            tender_id=tender.id,
            kind=command.kind,
            owner_id=command.owner_id,
            document_type=document_type,
            title=command.title,
            file_name=file_name,
            format=found.key,
            media_type=found.media_type,
            size=stored.size,
            sha256=stored.sha256,
            language=command.language,
            confidential=command.confidential,
            confidentiality_reason=command.confidentiality_reason if command.confidential else None,
            author=call.actor,
            author_provider_id=call.principal.provider_id if call.role == "cso" else None,
            status=ACTIVE,
            replaces_id=replaced.id if replaced else None,
            created_at=call.now,
            modified_at=call.now,
        )
        call.uow.session.add(document)
        call.uow.session.flush()
        if replaced is not None:
            replaced.status, replaced.modified_at = REPLACED, call.now
        if bid is not None:
            bid.documents = [*_without(bid.documents, replaced), _bid_entry(document)]
            bid.updated_at = call.now
            _, receipt = commit_bid_change(call, tender, bid, "modify_bid", "bid.modified")
            return Attached(document, receipt)
        told = {**document_payload(document), "url": storage.url(document), **_concerned(call, document)}
        record(call, tender, "add_document", event(call, tender, **told), rules.EVENT_TYPES[document.kind])
        call.uow.commit()
        return Attached(document)


def remove(call: Call, document_id: int) -> Attached:
    """A bidder takes a document off its bid, until the deadline (the file stays stored, for the audit)."""
    with call.uow:
        document = call.uow.session.get(Document, document_id)
        if document is None or document.kind != rules.BID or not _is_author(call, document):
            raise NotFound(f"document {document_id} does not exist")
        tender = load_tender(call, document.tender_id, scoped=False)
        bid = own_standing_bid(call, tender, document.owner_id)
        if document.status != ACTIVE:
            raise Conflict(f"document {document_id} is {document.status}", current_status=document.status)
        document.status, document.modified_at = REMOVED, call.now
        bid.documents = _without(bid.documents, document)
        bid.updated_at = call.now
        _, receipt = commit_bid_change(call, tender, bid, "modify_bid", "bid.modified")
        return Attached(document, receipt)


def visible_documents(call: Call, tender_id: int) -> list[Document]:
    """Every active document of the call the caller may read now, oldest first."""
    with call.uow:
        tender = load_tender(call, tender_id, lock=False, public=True)
        stage, reader = _stage(call, tender), _reader(call, tender)
        query = select(Document).where(Document.tender_id == tender.id, Document.status == ACTIVE)
        return [d for d in call.uow.session.scalars(query.order_by(Document.id)) if _may_read(d, reader, stage)]


def readable_document(call: Call, document_id: int) -> Document:
    """The document, if the caller may read it now; the same 404 as a missing one otherwise (nothing leaks)."""
    with call.uow:
        document = call.uow.session.get(Document, document_id)
        if document is None:
            raise NotFound(f"document {document_id} does not exist")
        tender = load_tender(call, document.tender_id, lock=False, public=True)
        if not _may_read(document, _reader(call, tender), _stage(call, tender)):
            raise NotFound(f"document {document_id} does not exist")
        return document


def sweep_orphans(session_factory, store: DocumentStore, older_than_seconds: float = 3600) -> list[str]:
    """Remove stored files no document points to (a crash between the write and the commit), once they are older
    than the grace period: an upload still on its way to its commit is never swept."""
    with session_factory() as session:
        referenced = set(session.scalars(select(Document.sha256).distinct()))
    return store.sweep(referenced, older_than_seconds)


def document_payload(document: Document) -> dict:
    """What an event and a reader are told of a document (never its bytes)."""
    return {
        "document_id": document.id,
        "kind": document.kind,
        "owner_id": document.owner_id,
        "document_type": document.document_type,
        "title": document.title,
        "file_name": document.file_name,
        "format": document.media_type,
        "size": document.size,
        "sha256": document.sha256,
        "language": document.language,
        "replaces_id": document.replaces_id,
        "created_at": utc(document.created_at).isoformat(),
    }


def _may_read(document: Document, reader: Reader, stage: CallStage) -> bool:
    facts = DocumentFacts(document.kind, document.author_provider_id, document.confidential)
    return rules.may_read(facts, reader, stage)


def _stage(call: Call, tender: Tender) -> CallStage:
    status = lifecycle_of(call.uow.session, tender).status_at(call.now)
    deadline = utc(tender.submission_deadline)
    winners = call.uow.session.scalars(
        select(Award.provider_id).where(Award.tender_id == tender.id, Award.status.in_(("pending", "active")))
    )
    return CallStage(
        district_code=tender.district_code,
        published=status != tender_status.DRAFT,
        opened=status != tender_status.DRAFT and deadline is not None and call.now >= deadline,
        decided=status in tender_status.DECIDED,
        winners=frozenset(winners),
    )


def _reader(call: Call, tender: Tender) -> Reader:
    principal = call.principal
    if principal is None:
        return Reader(None)
    on_committee = principal.role == "evaluator" and (
        call.uow.session.scalars(
            select(CommitteeMember.id).where(
                CommitteeMember.tender_id == tender.id, CommitteeMember.evaluator == principal.subject
            )
        ).first()
        is not None
    )
    return Reader(principal.role, principal.district_code, principal.provider_id, on_committee)


def _check_may_attach(call: Call, tender: Tender, command: AttachDocument) -> Bid | None:
    """Refused unless the caller may attach this kind of document to this thing now; a bid comes back locked."""
    kind, owner_id, session = command.kind, command.owner_id, call.uow.session
    if kind in (rules.BID, *rules.EVIDENCE_KINDS):
        if call.role != "cso":
            raise Forbidden(f"only the CSO that filed it attaches documents to a {kind}")
        if kind == rules.BID:
            return own_standing_bid(call, tender, owner_id)
        if kind == "complaint":
            complaint = session.get(Complaint, owner_id or 0)
            theirs = complaint is not None and complaint.provider_id == call.principal.provider_id
            if not theirs or complaint.tender_id != tender.id:
                raise NotFound(f"complaint {owner_id} does not exist")
            if complaint.status != "pending":
                raise Conflict(f"complaint {owner_id} is {complaint.status}", current_status=complaint.status)
            return None
        report = session.get(MonitoringReport, owner_id or 0)
        contract = session.get(Contract, report.contract_id) if report else None
        if contract is None or contract.tender_id != tender.id or contract.provider_id != call.principal.provider_id:
            raise NotFound(f"report {owner_id} does not exist")
        return None
    if call.role != "authority" or call.principal.district_code != tender.district_code:
        raise Forbidden(f"only the department of {tender.district_code} attaches documents to its call")
    if kind == "tender":
        status = lifecycle_of(session, tender).status_at(call.now)
        if status not in CALL_DOCUMENT_STATUSES:
            raise Conflict(
                f"the call is {status!r}: its own documents are attached until the submission deadline "
                "(later changes go with an amendment, a decision or a contract)",
                current_status=status,
            )
        return None
    owner_model = {
        "clarification": Question,
        "amendment": Amendment,
        "award": Award,
        "complaint_ruling": Complaint,
        "contract": Contract,
    }[kind]
    owner = session.get(owner_model, owner_id or 0)
    if owner is None or owner.tender_id != tender.id:
        raise Invalid("owner_id", f"call {tender.id} has no {kind.replace('_', ' ')} {owner_id}")
    return None


def _replaced(call: Call, tender: Tender, command: AttachDocument) -> Document | None:
    """The earlier version a new one replaces: same call, same thing, still current."""
    if command.replaces_id is None:
        return None
    earlier = call.uow.session.get(Document, command.replaces_id)
    same = earlier is not None and earlier.tender_id == tender.id and earlier.kind in (command.kind, "tender")
    if not same or (command.kind == rules.BID and earlier.owner_id != command.owner_id):
        raise Invalid("replaces_id", f"document {command.replaces_id} is not a document this one can replace")
    if earlier.status != ACTIVE:
        raise Conflict(f"document {earlier.id} is already {earlier.status}", current_status=earlier.status)
    return earlier


def _concerned(call: Call, document: Document) -> dict:
    """Whom the document's notice reaches (notifications' payload providers): for the call's own documents,
    its bidders and the CSOs that asked a question; for a contract's, the CSO party."""
    session = call.uow.session
    if document.kind == "contract":
        return {"provider_id": session.get(Contract, document.owner_id).provider_id}
    if document.kind not in rules.CALL_KINDS:
        return {}
    bidders = set(session.scalars(select(Bid.provider_id).where(Bid.tender_id == document.tender_id)))
    askers = session.scalars(
        select(Question.asker_provider_id).where(
            Question.tender_id == document.tender_id, Question.asker_provider_id.is_not(None)
        )
    )
    return {"provider_ids": sorted(bidders | set(askers))}


def _is_author(call: Call, document: Document) -> bool:
    return call.role == "cso" and document.author_provider_id == call.principal.provider_id


def _bid_entry(document: Document) -> dict:
    """How a stored document stands in the bid (and so in its receipt)."""
    return {
        "document_id": document.id,
        "title": document.title,
        "file_name": document.file_name,
        "sha256": document.sha256,
        "confidential": document.confidential,
    }


def _without(entries: list[dict], document: Document | None) -> list[dict]:
    if document is None:
        return list(entries or [])
    return [entry for entry in entries or [] if entry.get("document_id") != document.id]
