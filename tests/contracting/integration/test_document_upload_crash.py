"""Nothing lost, nothing dangling: the API process SIGKILLed mid-upload, and between the file's write and the
commit of its description. No description ever points to a missing file; a file no description points to is
swept once older than the grace period; the upload succeeds when sent again."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import signal
import socket
import time

import httpx
import pytest
from werkzeug.serving import make_server

from deploy.supervisor import free_port
from services.contracting.service_layer.documents import sweep_orphans

TERMS = b"%PDF-1.4\n% Caiet de sarcini\n" + b"% ...\n" * 20_000 + b"%%EOF\n"


def serve(database_url: str, bus_url: str, verifier, port: int, die_after_write: bool) -> None:
    """The contracting API in a process of its own (forked: it inherits the test's VAR_DIR and verifier)."""
    from services.contracting.entrypoints.api import create_app
    from services.contracting.service_layer import documents

    if die_after_write:
        # The file is durably stored by now; its description has not been committed: die here, as a crash would.
        documents.rules.check_sha256 = lambda *_args: os.kill(os.getpid(), signal.SIGKILL)
    app = create_app({"DATABASE_URL": database_url, "BUS_URL": bus_url}, token_verifier=verifier)
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


@pytest.fixture
def published(driver):
    driver.publish()
    return driver


def start_api(driver, token_mint, die_after_write: bool) -> tuple[multiprocessing.Process, int]:
    context = driver.app.extensions["service_context"]
    port = free_port()
    args = (context.settings.database_url, context.settings.bus_url, token_mint.verifier, port, die_after_write)
    process = multiprocessing.get_context("fork").Process(target=serve, args=args, daemon=True)
    process.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, port
        time.sleep(0.1)
    process.kill()
    pytest.fail("the API process did not start")


def descriptions(driver) -> list[dict]:
    return driver.client.get(f"{driver.url}/documents", headers=driver.tokens.authority).json


def test_a_crash_between_the_files_write_and_the_commit_leaves_no_description_and_the_orphan_is_swept(
    published, token_mint
):
    driver = published
    process, port = start_api(driver, token_mint, die_after_write=True)
    url = f"http://127.0.0.1:{port}/api/v1/tenders/{driver.tender['id']}/documents"
    with pytest.raises(httpx.TransportError):
        httpx.post(
            url,
            data={"title": "Caietul de sarcini"},
            files={"file": ("caiet.pdf", io.BytesIO(TERMS), "application/pdf")},
            headers=driver.tokens.authority,
            timeout=30,
        )
    process.join(10)
    assert process.exitcode == -signal.SIGKILL

    context = driver.app.extensions["service_context"]
    sha = hashlib.sha256(TERMS).hexdigest()
    assert descriptions(driver) == [], "no description was committed"
    assert context.document_store.exists(sha), "the file was durably written first"
    assert sweep_orphans(context.session_factory, context.document_store, older_than_seconds=3600) == []
    assert sweep_orphans(context.session_factory, context.document_store, older_than_seconds=0) == [sha]

    again = driver.client.post(
        f"{driver.url}/documents",
        data={"title": "Caietul de sarcini", "file": (io.BytesIO(TERMS), "caiet.pdf")},
        headers=driver.tokens.authority,
        content_type="multipart/form-data",
    )
    assert again.status_code == 201 and again.json["document"]["sha256"] == sha
    assert context.document_store.exists(sha)
    assert sweep_orphans(context.session_factory, context.document_store, older_than_seconds=0) == []


def test_an_upload_cut_by_a_crash_mid_stream_leaves_nothing(published, token_mint):
    driver = published
    process, port = start_api(driver, token_mint, die_after_write=False)
    body = TERMS * 4
    boundary = "sscp-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nCaiet\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="caiet.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    request = (
        f"POST /api/v1/tenders/{driver.tender['id']}/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {driver.tokens.authority['Authorization']}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) + len(body) + len(tail)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request + head + body[: len(body) // 2])
        time.sleep(0.5)
        os.kill(process.pid, signal.SIGKILL)
    process.join(10)

    context = driver.app.extensions["service_context"]
    assert descriptions(driver) == []
    stored = [p for p in context.own_settings.documents_dir.rglob("*") if p.is_file() and p.parent.name != "incoming"]
    assert stored == [], "nothing half-received is ever stored"
