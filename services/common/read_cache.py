"""Rendered answers kept per process, each valid for one version of its data and until a moment in time.

A public read that nothing has changed since is answered with the bytes built the first time instead of
loading, computing and serializing the same rows again. The version is a counter the service bumps in the
transaction of every change to the data (contracting: adapters/read_versions.py), read with one query per
request; ``valid_until`` bounds what the clock alone changes (a status reached at a deadline). Each entry
carries a strong ETag, so a client that sends ``If-None-Match`` gets a 304 without the body.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Rendered:
    version: int
    built_at: datetime
    valid_until: datetime | None  # None: only a change of version makes it stale
    body: bytes
    etag: str
    total: int | None = None  # a page's row count, for the pagination header

    def fresh(self, version: int, now: datetime) -> bool:
        # built_at <= now: a clock moved back (tests, the demo) never sees an answer built in its future.
        in_time = self.built_at <= now and (self.valid_until is None or now < self.valid_until)
        return self.version == version and in_time


class ReadCache:
    """An LRU of ``Rendered`` answers by key, shared by a process's threads."""

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: int, now: datetime) -> Rendered | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or not entry.fresh(version, now):
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(
        self,
        key: Hashable,
        version: int,
        built_at: datetime,
        valid_until: datetime | None,
        body: bytes,
        total: int | None = None,
    ) -> Rendered:
        etag = f'"{version}-{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
        entry = Rendered(version, built_at, valid_until, body, etag, total)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
