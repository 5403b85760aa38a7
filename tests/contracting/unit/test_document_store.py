"""The content-addressed document store: durable, never overwritten, orphans swept after a grace period."""

from __future__ import annotations

import hashlib
import io
import os
import time

import pytest

from services.contracting.adapters.document_store import DocumentStore, TooLarge

CONTENT = b"%PDF-1.4\nterms of reference\n%%EOF\n"


def test_a_file_is_stored_under_its_sha256_and_reads_back_the_same(tmp_path):
    store = DocumentStore(tmp_path)
    stored = store.put(io.BytesIO(CONTENT), max_bytes=1000)
    assert stored.sha256 == hashlib.sha256(CONTENT).hexdigest() and stored.size == len(CONTENT)
    with store.open(stored.sha256) as stream:
        assert stream.read() == CONTENT
    assert list((tmp_path / "incoming").iterdir()) == [], "no partial write left behind"


def test_the_same_bytes_twice_are_one_file_and_nothing_is_overwritten(tmp_path):
    store = DocumentStore(tmp_path)
    first = store.put(io.BytesIO(CONTENT), max_bytes=1000)
    written = store.path(first.sha256).stat().st_mtime_ns
    time.sleep(0.01)
    assert store.put(io.BytesIO(CONTENT), max_bytes=1000) == first
    assert store.path(first.sha256).stat().st_mtime_ns == written


def test_a_stream_over_the_limit_keeps_nothing(tmp_path):
    store = DocumentStore(tmp_path)
    with pytest.raises(TooLarge):
        store.put(io.BytesIO(b"x" * 5000), max_bytes=4096)
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_the_sweep_removes_old_unreferenced_files_and_keeps_referenced_and_recent_ones(tmp_path):
    store = DocumentStore(tmp_path)
    kept = store.put(io.BytesIO(CONTENT), max_bytes=1000).sha256
    orphan = store.put(io.BytesIO(b"%PDF-1.4 orphan"), max_bytes=1000).sha256
    recent = store.put(io.BytesIO(b"%PDF-1.4 in flight"), max_bytes=1000).sha256
    an_hour_ago = time.time() - 7200
    for sha in (kept, orphan):
        os.utime(store.path(sha), (an_hour_ago, an_hour_ago))

    assert store.sweep(referenced={kept}) == [orphan]
    assert store.exists(kept) and store.exists(recent) and not store.exists(orphan)
