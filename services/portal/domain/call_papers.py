"""What a call published besides its terms: its documents (with size and SHA-256), its questions and answers, and
its amendments (what changed, why, and where the deadline moved)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.money import as_decimal

_DOCUMENT_ID = re.compile(r"/documents/(\d+)/download")
SHORT_FORMATS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


@dataclass(frozen=True)
class Document:
    document_id: int | None
    title: str
    document_type: str | None
    media_type: str | None
    size_bytes: int | None
    sha256: str | None
    published_at: str | None

    @property
    def format_name(self) -> str | None:
        return SHORT_FORMATS.get(self.media_type or "", self.media_type)


@dataclass(frozen=True)
class Question:
    question: str
    asked_at: str | None
    answer: str | None
    answered_at: str | None


@dataclass(frozen=True)
class LotChange:
    """A lot's terms as an amendment set them (None: left as they were)."""

    lot_number: int | None
    places: int | None
    budget: Decimal | None
    duration_months: int | None
    max_awards: int | None


@dataclass(frozen=True)
class Amendment:
    date: str | None
    rationale: str
    changed: tuple[str, ...]
    lot_changes: tuple[LotChange, ...]
    previous_deadline: str | None
    new_deadline: str | None


def document_id(document: dict) -> int | None:
    """The contracting API's id of an OCDS document: from its download url, else from its OCDS id ("doc-14")."""
    in_url = _DOCUMENT_ID.search(document.get("url") or "")
    if in_url:
        return int(in_url[1])
    ocds_id = str(document.get("id") or "")
    return int(ocds_id[4:]) if ocds_id.startswith("doc-") and ocds_id[4:].isdigit() else None


def documents_of(compiled: dict, listing: list[dict]) -> tuple[Document, ...]:
    """Every downloadable document of the call, its awards and its contracts, once each, as published."""
    listed = {row.get("id"): row for row in listing}
    sections = [compiled.get("tender") or {}, *(compiled.get("awards") or []), *(compiled.get("contracts") or [])]
    found: dict[int, Document] = {}
    for section in sections:
        for document in section.get("documents") or []:
            number = document_id(document)
            if number is None or number in found:
                continue  # a cancellation notice has no file: the page shows its reason instead
            row = listed.get(number, {})
            stated = (document.get("description") or "").removeprefix("SHA-256: ")
            found[number] = Document(
                document_id=number,
                title=document.get("title") or row.get("title") or row.get("file_name") or "",
                document_type=document.get("documentType") or row.get("document_type"),
                media_type=document.get("format") or row.get("format"),
                size_bytes=row.get("size"),
                sha256=row.get("sha256") or (stated if re.fullmatch(r"[0-9a-f]{64}", stated) else None),
                published_at=document.get("datePublished") or row.get("created_at"),
            )
    return tuple(found.values())


def question_of(enquiry: dict) -> Question:
    return Question(
        question=enquiry.get("description") or "",
        asked_at=enquiry.get("date"),
        answer=enquiry.get("answer"),
        answered_at=enquiry.get("dateAnswered"),
    )


def amendments_of(rows: list[dict] | None, ocds_tender: dict, tender: dict) -> tuple[Amendment, ...]:
    """From the amendments view when it answered (``tender`` numbers the lots), else from OCDS."""
    if rows:
        return tuple(_amendment(row, tender) for row in rows)
    # OCDS words what changed as "Changed: lots, submission deadline"
    return tuple(
        Amendment(
            date=entry.get("date"),
            rationale=entry.get("rationale") or "",
            changed=tuple(
                name.strip().replace(" ", "_")
                for name in (entry.get("description") or "").removeprefix("Changed:").split(",")
                if name.strip()
            ),
            lot_changes=(),
            previous_deadline=None,
            new_deadline=None,
        )
        for entry in ocds_tender.get("amendments") or []
    )


def _amendment(row: dict, tender: dict) -> Amendment:
    changes = row.get("changes") or {}
    changed = []
    for name in changes:
        # A title or description in another language is still a change of the title or description
        plain = name.removesuffix("_ru").removesuffix("_en")
        if plain not in changed:
            changed.append(plain)
    moved = row.get("previous_submission_deadline") != row.get("submission_deadline")
    if moved and "submission_deadline" not in changed:
        changed.append("submission_deadline")
    numbers = {lot.get("id"): lot.get("number") for lot in tender.get("lots") or []}
    return Amendment(
        date=row.get("created_at"),
        rationale=row.get("rationale") or "",
        changed=tuple(changed),
        lot_changes=tuple(
            LotChange(
                lot_number=numbers.get(change.get("id")),
                places=change.get("places"),
                budget=as_decimal(change.get("budget")),
                duration_months=change.get("duration_months"),
                max_awards=change.get("max_awards"),
            )
            for change in changes.get("lots") or []
        ),
        previous_deadline=row.get("previous_submission_deadline") if moved else None,
        new_deadline=row.get("submission_deadline") if moved else None,
    )
