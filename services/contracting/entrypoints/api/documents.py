"""Documents: attach a file to a call, a bid, a decision, a contract, a complaint or a report; list and download.

Uploads are multipart (``file`` and the form fields below); downloads are served as attachments with their
stored type, ``nosniff`` and their SHA-256, so a reader can check the bytes against what the platform states.
Who may read a document when is the domain's rule (services/contracting/domain/documents.py): a bid's files are
its author's alone until the deadline, and a document the caller may not read answers 404, as a missing one.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

from flask import request, send_file, url_for
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.web import documents_errors
from services.contracting.domain import documents as rules
from services.contracting.entrypoints.api.common import make_call, own_settings
from services.contracting.entrypoints.api.schemas_competition import ReceiptSchema
from services.contracting.service_layer import documents
from services.contracting.service_layer.documents import AttachDocument

blp = Blueprint("documents", __name__, description="Documents of a call and of what happens in it")
# The multipart envelope around the file (its headers and the form fields) on top of the file's own limit.
FORM_OVERHEAD_BYTES = 64 * 1024
UPLOAD_ENDPOINT = "documents.TenderDocuments"


@blp.before_request
def allow_uploads() -> None:
    """The platform's 1 MB body limit, raised for an upload to the documents' own limit."""
    if request.endpoint == UPLOAD_ENDPOINT and request.method == "POST":
        request.max_content_length = own_settings().document_max_bytes + FORM_OVERHEAD_BYTES


class UploadFormSchema(Schema):
    kind = fields.String(
        load_default="tender",
        validate=validate.OneOf(rules.KINDS),
        metadata={"description": "What the document is attached to: " + ", ".join(rules.KINDS)},
    )
    owner_id = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "The id of the bid, award, contract, complaint, report, question or amendment"},
    )
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    document_type = fields.String(
        load_default=None,
        validate=validate.Length(max=40),
        metadata={"description": "OCDS documentType; allowed values depend on kind (refusals list them)"},
    )
    language = fields.String(load_default="ro", validate=validate.OneOf(("ro", "ru", "en")))
    sha256 = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^[0-9a-fA-F]{64}$"),
        metadata={"description": "The SHA-256 you computed; a file whose bytes do not match it is refused"},
    )
    confidential = fields.Boolean(load_default=False, metadata={"description": "A bidder's file kept from the public"})
    confidentiality_reason = fields.String(
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={"description": "Why a confidential file must not be public (required with confidential)"},
    )
    replaces_id = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "An earlier document this is a new version of (kept, marked replaced)"},
    )


class UploadFileSchema(Schema):
    file = fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "The file itself", "example": "caiet.pdf"},
    )


class StoredDocumentSchema(Schema):
    id = fields.Integer()
    tender_id = fields.Integer()
    kind = fields.String()
    owner_id = fields.Integer(allow_none=True)
    document_type = fields.String()
    title = fields.String()
    file_name = fields.String()
    format = fields.String(attribute="media_type", metadata={"description": "The media type of the bytes stored"})
    size = fields.Integer()
    sha256 = fields.String()
    language = fields.String()
    confidential = fields.Boolean()
    confidentiality_reason = fields.String(allow_none=True)
    status = fields.String()
    replaces_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    modified_at = fields.DateTime()
    url = fields.Method("download_url")

    def download_url(self, document) -> str:
        return url_for("documents.Download", document_id=document.id, _external=True)


class AttachedSchema(Schema):
    document = fields.Nested(StoredDocumentSchema)
    receipt = fields.Nested(ReceiptSchema, allow_none=True)


@blp.route("/tenders/<int:tender_id>/documents")
class TenderDocuments(MethodView):
    @blp.response(200, StoredDocumentSchema(many=True))
    def get(self, tender_id):
        """The call's documents the caller may read now (a published call's own documents are public)"""
        return documents.visible_documents(make_call(), tender_id)

    @require_roles("authority", "cso")
    @blp.arguments(UploadFormSchema, location="form")
    @blp.arguments(UploadFileSchema, location="files")
    @blp.response(201, AttachedSchema)
    @documents_errors(HTTPStatus.CONFLICT, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    def post(self, form, files, tender_id):
        """Attach a file (PDF, DOCX, ODT, XLSX, ODS, JPEG, PNG; checked by content). The department attaches to
        its call and its decisions; a CSO to its own bid (until the deadline: the answer carries the bid's new
        receipt, with the file's SHA-256 in it), complaint or report"""
        upload = files["file"]
        command = AttachDocument(**form, file_name=upload.filename or "")
        return documents.attach(make_call(), service_context().document_storage, tender_id, command, upload)


@blp.route("/documents/<int:document_id>")
class DocumentView(MethodView):
    @blp.response(200, StoredDocumentSchema)
    def get(self, document_id):
        """One document's description, if the caller may read it now"""
        return documents.readable_document(make_call(), document_id)

    @require_roles("cso")
    @blp.response(200, AttachedSchema)
    @documents_errors(HTTPStatus.CONFLICT)
    def delete(self, document_id):
        """Take a document off your bid, until the deadline (the answer carries the bid's new receipt)"""
        return documents.remove(make_call(), document_id)


@blp.route("/documents/<int:document_id>/download")
class Download(MethodView):
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
    def get(self, document_id):
        """The document's bytes, as an attachment, with their SHA-256 in X-Document-SHA256 (no token needed for
        a public document)"""
        document = documents.readable_document(make_call(), document_id)
        stream = service_context().document_store.open(document.sha256)
        answer = send_file(
            stream,
            mimetype=document.media_type,
            as_attachment=True,
            download_name=document.file_name,
            etag=document.sha256,
            max_age=0,
        )
        answer.headers["X-Content-Type-Options"] = "nosniff"
        answer.headers["X-Document-SHA256"] = document.sha256
        answer.headers["Content-Disposition"] = (
            f"attachment; filename=\"{_ascii(document.file_name)}\"; filename*=UTF-8''{quote(document.file_name)}"
        )
        return answer


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
