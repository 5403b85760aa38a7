"""Documents over HTTP: a call's documents public once published, a bid's sealed until the deadline and public
after the award only for a winner that did not mark them confidential, receipts carrying the files' hashes,
downloads as attachments whose bytes hash to what is stated, and bad files refused saying why."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from urllib.parse import urlsplit

import pytest

from services.common.migrations import upgrade
from services.contracting.entrypoints.api import create_app
from tests.clock import Clock
from tests.contracting.conftest import BIDDERS, EVALUATORS, START, Driver, score, seed_market

TERMS = b"%PDF-1.4\n% Caiet de sarcini: ingrijire la domiciliu\n%%EOF\n"
PROPOSAL = b"%PDF-1.4\n% Propunere tehnica AO Grija 5\n%%EOF\n"
SECRET = b"%PDF-1.4\n% Bugetul detaliat AO Grija 7 (date personale)\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def on_both(request):
    """The driver on SQLite, then on PostgreSQL: who reads what is the same on both databases."""
    if request.param == "sqlite":
        return request.getfixturevalue("driver")
    url = request.getfixturevalue("postgres_database")
    upgrade("contracting", url)
    clock, mint = Clock(START), request.getfixturevalue("token_mint")
    bus = request.getfixturevalue("brokerless_bus_url")
    app = create_app({"DATABASE_URL": url, "BUS_URL": bus}, token_verifier=mint.verifier, clock=clock)
    seed_market(app)
    return Driver(app, clock, request.getfixturevalue("tokens"))


def upload(driver, headers, content: bytes, name: str = "caiet.pdf", **form):
    data = {"title": form.pop("title", "Caietul de sarcini"), **{k: str(v) for k, v in form.items()}}
    data["file"] = (io.BytesIO(content), name)
    return driver.client.post(f"{driver.url}/documents", data=data, headers=headers, content_type="multipart/form-data")


def readers(driver, document_id: int) -> set[str]:
    """Who gets the document (its description and its bytes) now, by role."""
    tokens = driver.tokens
    everyone = {
        "author": tokens.cso[5],
        "rival": tokens.cso[6],
        "department": tokens.authority,
        "other department": tokens.authority_other,
        "committee": tokens.evaluators[EVALUATORS[0]],
        "operator": tokens.operator,
        "public": tokens.anonymous,
    }
    found = set()
    for who, headers in everyone.items():
        described = driver.client.get(f"/api/v1/documents/{document_id}", headers=headers).status_code
        downloaded = driver.client.get(f"/api/v1/documents/{document_id}/download", headers=headers).status_code
        listing = driver.client.get(f"{driver.url}/documents", headers=headers)  # 404: a draft not theirs to see
        listed = listing.status_code == 200 and document_id in {d["id"] for d in listing.json}
        assert {described, downloaded} <= {200, 404} and (described == 200) == (downloaded == 200) == listed, who
        if described == 200:
            found.add(who)
    return found


def test_a_calls_terms_of_reference_are_the_departments_while_draft_then_anyones_with_their_bytes_and_hash(on_both):
    driver = on_both
    driver.create()
    attached = upload(driver, driver.tokens.authority, TERMS, document_type="technicalSpecifications")
    assert attached.status_code == 201, attached.json
    document = attached.json["document"]
    assert document["sha256"] == hashlib.sha256(TERMS).hexdigest() and document["format"] == "application/pdf"
    assert readers(driver, document["id"]) == {"department", "operator"}

    driver.client.post(f"{driver.url}/publish", headers=driver.tokens.authority)

    assert readers(driver, document["id"]) == {
        "author", "rival", "department", "other department", "committee", "operator", "public"
    }  # fmt: skip
    download = driver.client.get(document["url"])
    assert download.data == TERMS and hashlib.sha256(download.data).hexdigest() == document["sha256"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Document-SHA256"] == document["sha256"]
    assert [e.payload["document_id"] for e in driver.events("document.added")] == [document["id"]]


def test_every_document_the_ocds_record_lists_downloads_without_a_token_and_hashes_to_what_it_states(driver):
    driver.publish()
    upload(driver, driver.tokens.authority, TERMS, document_type="technicalSpecifications")
    upload(driver, driver.tokens.authority, PNG, "plan.png", title="Planul sectorului")

    record = driver.client.get("/api/v1/ocds/records", query_string={"ocid": driver.tender["ocid"]}).json
    listed = record["records"][0]["compiledRelease"]["tender"]["documents"]

    assert [d["title"] for d in listed] == ["Caietul de sarcini", "Planul sectorului"]
    for document in listed:
        path = urlsplit(document["url"]).path
        download = driver.client.get(path)  # no token
        assert download.status_code == 200
        assert document["description"] == f"SHA-256: {hashlib.sha256(download.data).hexdigest()}"
        assert download.headers["Content-Type"] == document["format"]


def test_a_new_version_keeps_the_old_one_marked_replaced_and_reaches_the_bidders_and_askers(driver):
    driver.publish()
    first = upload(driver, driver.tokens.authority, TERMS).json["document"]
    assert driver.bid(5).status_code == 201
    asked = {"question": "Se acceptă consorții?"}
    assert driver.client.post(f"{driver.url}/questions", json=asked, headers=driver.tokens.cso[8]).status_code == 201
    second = upload(driver, driver.tokens.authority, TERMS + b"% v2\n", replaces_id=first["id"]).json["document"]
    assert second["replaces_id"] == first["id"]
    told = driver.events("document.added")[-1].payload
    assert told["replaces_id"] == first["id"] and told["provider_ids"] == [5, 8]
    assert driver.client.get(f"/api/v1/documents/{first['id']}").json["status"] == "replaced"
    assert [d["id"] for d in driver.client.get(f"{driver.url}/documents").json] == [second["id"]]


def test_a_bid_document_is_sealed_until_the_deadline_and_public_after_the_award_only_for_a_winner(on_both):
    driver = on_both
    driver.publish()
    for provider_id, price in zip(BIDDERS, ("9000.00", "10000.00", "8000.00"), strict=True):
        assert driver.bid(provider_id, unit_price=price).status_code == 201
    bids = {b["provider_id"]: b["id"] for b in (_own_bid(driver, p) for p in BIDDERS)}
    before = _own_bid(driver, 5)["receipt_sha256"]

    attached = upload(
        driver, driver.tokens.cso[5], PROPOSAL, "propunere.pdf", kind="bid", owner_id=bids[5], title="Propunere"
    )
    assert attached.status_code == 201, attached.json
    proposal, receipt = attached.json["document"], attached.json["receipt"]
    assert receipt["sha256"] != before, "a new receipt, with the file in it"
    entry = next(d for d in _own_bid(driver, 5)["documents"] if d.get("document_id") == proposal["id"])
    assert entry["sha256"] == hashlib.sha256(PROPOSAL).hexdigest()
    secret = upload(
        driver,
        driver.tokens.cso[7],
        SECRET,
        "buget.pdf",
        kind="bid",
        owner_id=bids[7],
        confidential="true",
        confidentiality_reason="Date personale ale angajaților",
    ).json["document"]
    assert readers(driver, proposal["id"]) == {"author"}, "sealed: nobody else, not the department nor operators"
    assert driver.events("document.added") == [], "a bid's file is told of by no event before the deadline"

    driver.seat_committee()
    driver.close()
    assert readers(driver, proposal["id"]) == {"author", "department", "committee", "operator"}

    ids = driver.eligible_bid_ids()
    driver.evaluate({ids[0]: "90", ids[1]: "80", ids[2]: "60"})
    assert driver.complete().status_code == 200  # provider 5 wins the lot

    assert "public" in readers(driver, proposal["id"]), "the winner's documents are public after the award"
    assert "public" not in readers(driver, secret["id"]), "a loser's, and a confidential one, never"

    award = next(a for a in driver.client.get(f"{driver.url}/awards").json if a["status"] == "pending")
    report = upload(
        driver, driver.tokens.authority, TERMS, "raport.pdf", kind="award", owner_id=award["id"], title="Raportul"
    ).json["document"]
    assert report["document_type"] == "evaluationReports"
    assert "public" in readers(driver, report["id"]), "a decision's document is public"
    complaint = driver.client.post(
        f"{driver.url}/complaints",
        json={"award_id": award["id"], "title": "Punctaj greșit", "description": "Calitatea a fost subevaluată"},
        headers=driver.tokens.cso[6],
    ).json
    evidence = upload(
        driver, driver.tokens.cso[6], PNG, "dovada.png", kind="complaint", owner_id=complaint["id"], title="Dovada"
    )
    assert evidence.status_code == 201, evidence.json
    assert readers(driver, evidence.json["document"]["id"]) == {"rival", "department", "operator"}
    not_theirs = upload(driver, driver.tokens.cso[7], PNG, "x.png", kind="complaint", owner_id=complaint["id"])
    assert not_theirs.status_code == 404, "another bidder's complaint does not exist for it"
    ruling = upload(
        driver, driver.tokens.authority, TERMS, "decizie.pdf", kind="complaint_ruling", owner_id=complaint["id"]
    )
    assert ruling.status_code == 201, ruling.json
    assert "public" in readers(driver, ruling.json["document"]["id"]), "a ruling is public, as the decision is"


def test_a_bidder_replaces_and_removes_its_files_until_the_deadline_only(driver):
    driver.publish()
    assert driver.bid(5).status_code == 201
    bid_id = _own_bid(driver, 5)["id"]
    first = upload(driver, driver.tokens.cso[5], PROPOSAL, "p.pdf", kind="bid", owner_id=bid_id).json["document"]
    removed = driver.client.delete(f"/api/v1/documents/{first['id']}", headers=driver.tokens.cso[5])
    assert removed.status_code == 200 and removed.json["document"]["status"] == "removed"
    assert all(d.get("document_id") != first["id"] for d in _own_bid(driver, 5)["documents"])
    second = upload(driver, driver.tokens.cso[5], PNG, "scan.png", kind="bid", owner_id=bid_id).json["document"]
    rival = upload(driver, driver.tokens.cso[6], PNG, "scan.png", kind="bid", owner_id=bid_id)
    assert rival.status_code == 404, "another CSO's bid does not exist for it"

    driver.close()

    late = driver.client.delete(f"/api/v1/documents/{second['id']}", headers=driver.tokens.cso[5])
    assert late.status_code == 409 and "deadline" in late.json["message"]
    late_upload = upload(driver, driver.tokens.cso[5], PNG, "late.png", kind="bid", owner_id=bid_id)
    assert late_upload.status_code == 409


@pytest.mark.parametrize(
    ("content", "name", "form", "says"),
    [
        (b"", "empty.pdf", {}, "empty"),
        (b"<html><script>alert(1)</script>", "offer.pdf", {}, "not an allowed format"),
        (TERMS, "../../etc/passwd", {}, "path"),
        (TERMS, "a" * 201 + ".pdf", {}, "at most 200"),
        (TERMS, "caiet.pdf", {"sha256": "0" * 64}, "changed on the way"),
        (TERMS, "caiet.pdf", {"document_type": "contractSigned"}, "one of"),
    ],
)
def test_a_bad_file_is_refused_saying_what_is_wrong_and_nothing_is_recorded(driver, content, name, form, says):
    driver.publish()
    refused = upload(driver, driver.tokens.authority, content, name, **form)
    assert refused.status_code == 422, refused.json
    assert says in str(refused.json)
    assert driver.client.get(f"{driver.url}/documents").json == []


def test_a_file_over_the_limit_is_refused(driver):
    context = driver.app.extensions["service_context"]
    context.own_settings = replace(context.own_settings, document_max_bytes=1024)
    driver.publish()
    refused = upload(driver, driver.tokens.authority, TERMS + b"%" * 5000)
    assert refused.status_code in (413, 422) and refused.is_json
    assert driver.client.get(f"{driver.url}/documents").json == []


def test_only_the_calls_department_attaches_to_it(driver):
    driver.publish()
    assert upload(driver, driver.tokens.authority_other, TERMS).status_code in (403, 404)
    assert upload(driver, driver.tokens.cso[5], TERMS).status_code == 403
    assert upload(driver, driver.tokens.anonymous, TERMS).status_code == 401


def _own_bid(driver, provider_id: int) -> dict:
    bids = driver.client.get(f"{driver.url}/bids", headers=driver.tokens.cso[provider_id]).json["bids"]
    return bids[0]


def test_clarification_and_amendment_files_are_the_calls_public_documents(on_both):
    driver = on_both
    driver.publish()
    question = driver.client.post(
        f"{driver.url}/questions", json={"question": "Se acceptă consorții?"}, headers=driver.tokens.cso[8]
    ).json
    answer = upload(
        driver, driver.tokens.authority, TERMS, "raspuns.pdf", kind="clarification", owner_id=question["id"]
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["document"]["document_type"] == "clarifications"
    amendment = driver.client.post(
        f"{driver.url}/amendments", json={"rationale": "Caiet revizuit"}, headers=driver.tokens.authority
    ).json
    revised = upload(driver, driver.tokens.authority, PNG, "plan.png", kind="amendment", owner_id=amendment["id"])
    assert revised.status_code == 201, revised.json
    for document in (answer.json["document"], revised.json["document"]):
        assert "public" in readers(driver, document["id"]) and "rival" in readers(driver, document["id"])
    wrong_owner = upload(driver, driver.tokens.authority, PNG, "plan.png", kind="amendment", owner_id=999)
    assert wrong_owner.status_code == 422, wrong_owner.json
    assert f"call {driver.tender['id']} has no amendment 999" in str(wrong_owner.json)


def test_a_signed_contract_is_public_and_report_evidence_stays_with_the_parties_and_operators(on_both):
    from tests.contracting.integration.test_reports_api import file_report, to_active

    driver = to_active(score(on_both))
    contract = driver.contract
    signed = upload(
        driver, driver.tokens.authority, TERMS, "contract.pdf", kind="contract", owner_id=contract["id"], title="Semnat"
    )
    assert signed.status_code == 201, signed.json
    assert "public" in readers(driver, signed.json["document"]["id"])
    assert driver.events("contract.document_added")[-1].payload["provider_id"] == contract["provider_id"]

    report = file_report(driver)
    assert report.status_code == 201, report.json
    evidence = upload(
        driver, driver.tokens.cso[5], PNG, "fise.png", kind="report", owner_id=report.json["id"], title="Fișe"
    )
    assert evidence.status_code == 201, evidence.json
    assert readers(driver, evidence.json["document"]["id"]) == {"author", "department", "operator"}
    assert (
        upload(driver, driver.tokens.cso[6], PNG, "x.png", kind="report", owner_id=report.json["id"]).status_code == 404
    )
