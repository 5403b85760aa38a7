"""The registry's reference data (districts, service types) kept a few minutes per process.

Every page names districts and services in the person's language; asking the registry on every page would
double its load for data that changes a few times a year.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

KEEP_SECONDS = 300

_cache: dict[str, tuple[float, list[dict]]] = {}
_lock = threading.Lock()


def cached(name: str, load: Callable[[], list[dict]]) -> list[dict]:
    with _lock:
        kept = _cache.get(name)
        if kept and time.monotonic() - kept[0] < KEEP_SECONDS:
            return kept[1]
    rows = load()
    with _lock:
        _cache[name] = (time.monotonic(), rows)
    return rows


def forget() -> None:
    with _lock:
        _cache.clear()


def label(row: dict, language: str) -> str:
    """``name_<lang>``, falling back to Romanian (every row has it) and then to its code."""
    return row.get(f"name_{language}") or row.get("name_ro") or row.get("code", "")
