"""Rendered observatory pages, kept for anonymous visitors until the data moves.

At national scale a view's tables hold thousands of rows: building and rendering them costs far more than the
cached indicators behind them (measured in bench/observatory.py). A page for a visitor who is not signed in
depends only on the data read, the address and the language, so it is kept under that key; a signed-in person's
page carries their name and a sign-out form and is always rendered. Bounded by total size, least recently used
out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

DEFAULT_BUDGET_BYTES = 64 * 2**20


@dataclass(frozen=True)
class RenderedPage:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]


class RenderedPages:
    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._pages: OrderedDict[tuple, RenderedPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> RenderedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: RenderedPage) -> None:
        if len(page.body) > self.budget_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._size -= len(old.body) if old else 0
            self._pages[key] = page
            self._size += len(page.body)
            while self._size > self.budget_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.body)

    @property
    def size_bytes(self) -> int:
        return self._size
