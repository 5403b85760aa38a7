"""Evidence files a CSO attaches to its complaint or monitoring report, through contracting's documents API.

Each file's SHA-256 is computed here and sent along, so contracting refuses bytes that changed on the way; the
hash it stored is shown to the person to keep.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import flash
from flask_babel import gettext, lazy_gettext
from werkzeug.datastructures import FileStorage

from services.portal.adapters.api_client import ApiRefusal
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.requests import api

# What contracting says of a refused file (services/contracting/domain/documents.py), in the person's words.
FILE_REFUSALS = {
    "not an allowed format": lazy_gettext(
        "its content is not an allowed format (PDF, DOCX, ODT, XLSX, ODS, JPEG or PNG), whatever its name says."
    ),
    "the file is empty": lazy_gettext("the file is empty."),
    "the limit is": lazy_gettext("the file is larger than the platform accepts."),
    "file name": lazy_gettext("rename the file with plain letters and digits, then attach it again."),
}


def _why_refused(text: str) -> str:
    known = next((words for fragment, words in FILE_REFUSALS.items() if fragment in text), None)
    return str(known) if known is not None else person_message(text)


@dataclass(frozen=True)
class Uploaded:
    title: str
    sha256: str
    document_id: int


@dataclass(frozen=True)
class Refused:
    file_name: str
    reason: str


def chosen_files(files: list[FileStorage] | FileStorage | None) -> list[FileStorage]:
    """The files actually chosen (a browser sends one empty part when the person chose none)."""
    if files is None:
        return []
    listed = files if isinstance(files, list) else [files]
    return [item for item in listed if isinstance(item, FileStorage) and item.filename]


def attach_files(
    tender_id: int, kind: str, owner_id: int, files: list[FileStorage], document_type: str | None = None
) -> tuple[list[Uploaded], list[Refused]]:
    uploaded: list[Uploaded] = []
    refused: list[Refused] = []
    for item in files:
        content = item.read()
        form = {"kind": kind, "owner_id": str(owner_id), "title": item.filename[:300]}
        form["sha256"] = hashlib.sha256(content).hexdigest()
        if document_type:
            form["document_type"] = document_type
        upload = {"file": (item.filename, content, item.mimetype or "application/octet-stream")}
        try:
            answer = api().post("contracting", f"/tenders/{tender_id}/documents", data=form, files=upload)
        except ApiRefusal as refusal:
            messages = [text for texts in refusal.field_errors.values() for text in texts] or [refusal.message]
            refused.append(Refused(item.filename, " ".join(_why_refused(text) for text in messages)))
            continue
        document = answer["document"]
        uploaded.append(Uploaded(document["title"], document["sha256"], int(document["id"])))
    return uploaded, refused


def tell_uploads(uploaded: list[Uploaded], refused: list[Refused]) -> bool:
    """Flash each file attached (with its SHA-256 to keep) and each refused (with why); True when none was."""
    for file in uploaded:
        flash(gettext("%(name)s was attached (SHA-256: %(hash)s).", name=file.title, hash=file.sha256), "success")
    for file in refused:
        flash(gettext("%(name)s was not attached: %(reason)s", name=file.file_name, reason=file.reason), "error")
    return not refused
