"""The demo's documents: small real PDFs, attached at each step as the department and the CSOs would attach them."""

from __future__ import annotations

import hashlib
import unicodedata

from demo.platform import Api, StepFailed


def pdf(title: str, *lines: str) -> bytes:
    """A one-page PDF with the title and lines in Helvetica (accents folded: the standard font has no ș or ț)."""
    text = [_plain(title), "", *(_plain(line) for line in lines)]
    commands = ["BT /F1 14 Tf 72 770 Td 16 TL"] + [f"({_escaped(line)}) '" for line in text] + ["ET"]
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).encode("latin-1", "replace").decode("latin-1")


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def attach(
    api: Api, headers: dict, tender_id: int, file_name: str, title: str, content: bytes, what: str, **form
) -> dict:
    """Upload one file with the hash the sender computed (the platform refuses it if the bytes changed)."""
    data = {"title": title, "sha256": hashlib.sha256(content).hexdigest(), **{k: str(v) for k, v in form.items()}}
    files = {"file": (file_name, content, "application/pdf")}
    path = f"/tenders/{tender_id}/documents"
    return api.ok("POST", "contracting", path, headers, what, data=data, files=files)


def listed(api: Api, headers: dict | None, tender_id: int) -> list[dict]:
    return api.ok("GET", "contracting", f"/tenders/{tender_id}/documents", headers, "list documents")


def check_public_documents(api: Api, tenders: list[dict]) -> tuple[int, int]:
    """Download without a token every public document, as the API lists them and as each call's OCDS record
    lists them; each must hash to what the platform states (a mismatch or a refusal fails the round). Returns
    how many of each were checked."""
    listed_count = ocds_count = 0
    for tender in tenders:
        for document in listed(api, None, tender["id"]):
            _check(api, document["url"], document["sha256"])
            listed_count += 1
        record = api.ok("GET", "contracting", "/ocds/records", None, "OCDS record", params={"ocid": tender["ocid"]})
        for document in ocds_documents(record["records"][0]["compiledRelease"]):
            _check(api, document["url"], document["description"].removeprefix("SHA-256: "))
            ocds_count += 1
    return listed_count, ocds_count


def ocds_documents(release: dict) -> list[dict]:
    """The stored documents a compiled release lists (the call's, its awards', its contracts')."""
    sections = [release.get("tender", {}), *release.get("awards", []), *release.get("contracts", [])]
    found = [d for section in sections for d in section.get("documents", [])]
    return [d for d in found if d.get("url") and str(d.get("description", "")).startswith("SHA-256: ")]


def _check(api: Api, url: str, sha256: str) -> None:
    download = api.http.get(url)
    if download.status_code != 200 or hashlib.sha256(download.content).hexdigest() != sha256:
        raise StepFailed(f"public document {url} did not download as stated (HTTP {download.status_code})")
