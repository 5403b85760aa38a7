"""What a file must be to be taken, and who reads a document when (domain/documents.py), in plain Python."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.common.errors import Invalid
from services.contracting.domain import documents as docs
from services.contracting.domain.documents import CallStage, DocumentFacts, Reader, may_read


def office(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


SAMPLES = {
    "pdf": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    "jpeg": b"\xff\xd8\xff\xe0" + b"\x00" * 20,
    "docx": office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
    "xlsx": office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
    "odt": office({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}),
    "ods": office({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"}),
}


@pytest.mark.parametrize("key", list(SAMPLES))
def test_every_allowed_format_is_recognised_by_its_content(key):
    assert docs.check_file(SAMPLES[key]).key == key


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable named offer.pdf",
        b"<html><script>alert(1)</script></html>",
        office({"payload.exe": b"MZ"}),  # a zip that is no office document
        b"PK\x03\x04 not really a zip",
    ],
)
def test_a_file_of_another_format_is_refused_whatever_its_name(content):
    with pytest.raises(Invalid, match="not an allowed format"):
        docs.check_file(content)


def test_an_empty_file_and_one_over_the_limit_are_refused_saying_why():
    with pytest.raises(Invalid, match="empty"):
        docs.check_file(b"")
    with pytest.raises(Invalid, match="limit is 10 bytes"):
        docs.check_file(SAMPLES["pdf"], max_bytes=10)


@pytest.mark.parametrize("name", ["../../etc/passwd", "C:\\offer.pdf", "dir/offer.pdf", "a\x00.pdf", "..", "  "])
def test_a_file_name_with_a_path_or_a_control_character_is_refused(name):
    with pytest.raises(Invalid):
        docs.check_file_name(name)


def test_a_plain_name_is_kept_and_a_long_one_refused():
    assert docs.check_file_name(" Ofertă tehnică — lot 1.pdf ") == "Ofertă tehnică — lot 1.pdf"
    with pytest.raises(Invalid, match="at most 200"):
        docs.check_file_name("a" * 197 + ".pdf")


def test_a_stated_hash_that_does_not_match_the_bytes_is_refused():
    docs.check_sha256(None, "ab" * 32)
    docs.check_sha256("AB" * 32, "ab" * 32)
    with pytest.raises(Invalid, match="changed on the way"):
        docs.check_sha256("cd" * 32, "ab" * 32)


def test_a_document_type_must_fit_what_it_is_attached_to():
    assert docs.check_document_type("tender", None) == "tenderNotice"
    assert docs.check_document_type("bid", "commercialProposal") == "commercialProposal"
    with pytest.raises(Invalid, match="a bid document is one of"):
        docs.check_document_type("bid", "contractSigned")


DEPARTMENT = Reader("authority", district_code="MD-CU")
OTHER_DEPARTMENT = Reader("authority", district_code="MD-BL")
OPERATOR = Reader("operator")
MEMBER = Reader("evaluator", district_code="MD-CU", on_committee=True)
AUTHOR = Reader("cso", provider_id=7)
RIVAL = Reader("cso", provider_id=8)
PUBLIC = Reader(None)
EVERYONE = (DEPARTMENT, OTHER_DEPARTMENT, OPERATOR, MEMBER, AUTHOR, RIVAL, PUBLIC)

BIDDING = CallStage("MD-CU", published=True, opened=False, decided=False)
OPENED = CallStage("MD-CU", published=True, opened=True, decided=False)
DECIDED = CallStage("MD-CU", published=True, opened=True, decided=True, winners=frozenset({7}))


def readers(document: DocumentFacts, stage: CallStage) -> set[Reader]:
    return {reader for reader in EVERYONE if may_read(document, reader, stage)}


def test_a_bid_document_is_its_authors_alone_until_the_deadline():
    assert readers(DocumentFacts("bid", 7), BIDDING) == {AUTHOR}


def test_at_the_opening_the_department_the_committee_and_operators_see_bid_documents_but_not_the_public():
    assert readers(DocumentFacts("bid", 7), OPENED) == {AUTHOR, DEPARTMENT, OPERATOR, MEMBER}


def test_after_the_award_a_winners_documents_are_public_unless_marked_confidential():
    assert PUBLIC in readers(DocumentFacts("bid", 7), DECIDED)
    assert RIVAL in readers(DocumentFacts("bid", 7), DECIDED)
    assert PUBLIC not in readers(DocumentFacts("bid", 7, confidential=True), DECIDED)
    assert PUBLIC not in readers(DocumentFacts("bid", 8), DECIDED), "a loser's bid stays with the department"


def test_a_calls_documents_are_public_once_published_and_the_departments_before():
    draft = CallStage("MD-CU", published=False, opened=False, decided=False)
    assert readers(DocumentFacts("tender"), draft) == {DEPARTMENT, OPERATOR}
    assert readers(DocumentFacts("tender"), BIDDING) == set(EVERYONE)


def test_complaint_and_report_evidence_stays_with_its_author_the_department_and_operators():
    for kind in ("complaint", "report"):
        assert readers(DocumentFacts(kind, 7), DECIDED) == {AUTHOR, DEPARTMENT, OPERATOR}
