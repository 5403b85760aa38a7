"""Documents: what a file must be to be taken, and who may read it when.

A file is taken only if its bytes are one of the allowed formats (recognised by content, never by its name), it
is not empty and not over the size limit, and its name is a plain file name. Every document is stored by its
SHA-256, which is shown with it and goes into a bid's receipt.

Who reads a document depends on what it is attached to and where the call is (the rules of issue 17):
- a call's own documents (terms of reference, contract template, cost calculation, clarification answers,
  amendments), award decisions, complaint rulings and signed contracts are public once the call is published
  (before that, the district's department and operators only);
- a bid's documents are sealed until the deadline: its author alone sees them. From the opening the department,
  the committee and operators see them too; once the award is decided the winners' documents are public unless
  the bidder marked them confidential (with a reason), which keeps them from the public for ever;
- a complaint's or a monitoring report's evidence is for its author, the department and operators.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from services.common.errors import Invalid

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class FileFormat:
    key: str
    media_type: str
    extension: str


PDF = FileFormat("pdf", "application/pdf", "pdf")
DOCX = FileFormat("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileFormat("odt", "application/vnd.oasis.opendocument.text", "odt")
ODS = FileFormat("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods")
JPEG = FileFormat("jpeg", "image/jpeg", "jpg")
PNG = FileFormat("png", "image/png", "png")
FORMATS = (PDF, DOCX, XLSX, ODT, ODS, JPEG, PNG)
ALLOWED = ", ".join(f.key.upper() for f in FORMATS)

# Where a document belongs; each kind has its own readers (module docstring).
CALL_KINDS = ("tender", "clarification", "amendment")
DECISION_KINDS = ("award", "complaint_ruling", "contract")
BID = "bid"
EVIDENCE_KINDS = ("complaint", "report")
KINDS = (*CALL_KINDS, *DECISION_KINDS, BID, *EVIDENCE_KINDS)

# OCDS documentType codelist values a document may carry, by what it is attached to (the first is the default).
DOCUMENT_TYPES = {
    "tender": ("tenderNotice", "technicalSpecifications", "contractDraft", "billOfQuantity", "eligibilityCriteria"),
    "clarification": ("clarifications",),
    "amendment": ("tenderNotice", "technicalSpecifications", "contractDraft", "billOfQuantity"),
    "award": ("evaluationReports", "awardNotice"),
    "complaint_ruling": ("complaints",),
    "contract": ("contractSigned", "contractAnnexe"),
    "bid": ("technicalSpecifications", "qualificationDocuments", "eligibilityDocuments", "commercialProposal"),
    "complaint": ("complaints",),
    "report": ("physicalProgressReport", "financialProgressReport"),
}


# The event that tells of a new document, by what it is attached to: the first three are public (OCDS releases:
# tenderUpdate, awardUpdate, contractUpdate); evidence is told only inside the platform; a bid's file is told of
# by the bid's own sealed event (bid.modified), never by one naming the file.
EVENT_TYPES = {
    **dict.fromkeys(("tender", "clarification", "amendment", "complaint_ruling"), "document.added"),
    "award": "award.document_added",
    "contract": "contract.document_added",
    **dict.fromkeys(EVIDENCE_KINDS, "document.attached"),
}


def sniff(head: bytes, whole: bytes | None = None) -> FileFormat | None:
    """The format the bytes are, from their content; ``whole`` is needed to tell the zip-based formats apart."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and whole is not None:
        return _office_format(whole)
    return None


def _office_format(data: bytes) -> FileFormat | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return next((f for f in (ODT, ODS) if f.media_type == declared), None)
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def check_file(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> FileFormat:
    """The file's format, or a refusal saying what is wrong with it."""
    if not data:
        raise Invalid("file", "the file is empty")
    if len(data) > max_bytes:
        raise Invalid("file", f"the file is {len(data)} bytes; the limit is {max_bytes} bytes")
    found = sniff(data[:16], data)
    if found is None:
        raise Invalid("file", f"the file's content is not an allowed format ({ALLOWED}), whatever its name says")
    return found


_UNSAFE = re.compile(r"[\\/\x00-\x1f\x7f]")


def check_file_name(name: str | None) -> str:
    """A plain file name (no folder, no control character), NFC-normalised, at most MAX_NAME_LENGTH characters."""
    cleaned = unicodedata.normalize("NFC", (name or "").strip())
    if not cleaned:
        raise Invalid("file", "the file has no name")
    if _UNSAFE.search(cleaned) or cleaned in (".", "..") or cleaned.startswith(".."):
        raise Invalid(
            "file", f"the file name {cleaned[:60]!r} holds a path or a control character; send the name alone"
        )
    if len(cleaned) > MAX_NAME_LENGTH:
        raise Invalid("file", f"the file name is {len(cleaned)} characters; at most {MAX_NAME_LENGTH}")
    return cleaned


def check_sha256(stated: str | None, actual: str) -> None:
    """A client may state the hash it computed; a file whose bytes do not match it is refused."""
    if stated is not None and stated.lower() != actual:
        raise Invalid("sha256", f"the file's SHA-256 is {actual}, not the {stated} stated: it changed on the way")


def check_document_type(kind: str, document_type: str | None) -> str:
    allowed = DOCUMENT_TYPES[kind]
    if document_type is None:
        return allowed[0]
    if document_type not in allowed:
        raise Invalid("document_type", f"a {kind} document is one of: {', '.join(allowed)}")
    return document_type


@dataclass(frozen=True)
class Reader:
    """Who asks: their role, and the district, provider or committee seat that role comes with."""

    role: str | None
    district_code: str | None = None
    provider_id: int | None = None
    on_committee: bool = False


@dataclass(frozen=True)
class CallStage:
    """Where the call stands now, as the document rules need it."""

    district_code: str
    published: bool
    opened: bool  # the submission deadline has passed: bids are open to the department and the committee
    decided: bool  # the award decision is out (standstill or later)
    winners: frozenset[int] = frozenset()  # providers with an award that stands


@dataclass(frozen=True)
class DocumentFacts:
    kind: str
    author_provider_id: int | None = None  # the CSO that attached it (bids, complaints, reports)
    confidential: bool = False


def may_read(document: DocumentFacts, reader: Reader, stage: CallStage) -> bool:
    """Whether ``reader`` may see the document (its metadata and its bytes) now."""
    department = reader.role == "authority" and reader.district_code == stage.district_code
    operator = reader.role in ("operator", "service")
    author = (
        reader.role == "cso" and reader.provider_id is not None and reader.provider_id == document.author_provider_id
    )
    if document.kind in CALL_KINDS or document.kind in DECISION_KINDS:
        return stage.published or department or operator
    if document.kind == BID:
        if author:
            return True
        if not stage.opened:
            return False  # sealed: not the department, the committee, an operator or the public
        if department or operator or (reader.role == "evaluator" and reader.on_committee):
            return True
        public = stage.decided and document.author_provider_id in stage.winners and not document.confidential
        return public
    return author or department or operator
