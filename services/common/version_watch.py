"""A version counter of a PostgreSQL database, kept current in this process by LISTEN/NOTIFY.

A read model cached in memory (services/common/read_cache.py) is valid while a counter row is unchanged. Reading
that row on every request cost a pooled connection's pre-ping, BEGIN, the SELECT and ROLLBACK: on PostgreSQL half
of a cached listing's time, waiting on round trips (issue 21, bench/README.md). Instead one thread per process
listens on a channel that the writer notifies, in the same transaction as its bump (delivered at commit), and
readers take the number from memory.

A reader is never left trusting a deaf listener: ``current()`` answers only while the listener has been heard
from within ``FRESH_SECONDS`` (it re-reads the row itself every ``RECHECK_SECONDS``, which also catches a
notification lost to a reconnect); otherwise it answers None and the caller reads the row as before. Another
process's commit reaches this one's memory a few milliseconds after it returns, the time a notification takes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

RECHECK_SECONDS = 2.0  # the listener reads the row itself this often, notified or not
FRESH_SECONDS = 5.0  # a listener not heard from for this long is not trusted (its connection may hang)
_watches: dict[tuple[int, object, str], VersionWatch] = {}
_lock = threading.Lock()


def watch(engine: Engine, channel: str, read: Callable[[object], int]) -> VersionWatch | None:
    """This process's watch of ``channel`` on ``engine``'s database (started on first use); None on SQLite,
    whose readers share the file on this machine and read the row for next to nothing."""
    if engine.dialect.name != "postgresql":
        return None
    # Called on every public read: the key is the URL object as it is (hashable), rendered only to connect.
    key = (os.getpid(), engine.url, channel)  # per process: a forked gunicorn worker starts its own listener
    with _lock:
        found = _watches.get(key)
        if found is None:
            url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            found = _watches[key] = VersionWatch(engine, url, channel, read)
            found.start()
            event.listen(engine, "engine_disposed", lambda _engine: _forget(key))
        return found


def _forget(key: tuple[int, object, str]) -> None:
    """The engine was disposed (its database may be gone): its listener stops; the next read starts another."""
    with _lock:
        found = _watches.pop(key, None)
    if found:
        found.stop()


class VersionWatch:
    def __init__(self, engine: Engine, url: str, channel: str, read: Callable[[object], int]) -> None:
        self._engine = weakref.ref(engine)  # the listener stops once the engine it serves is gone
        self.url, self.channel, self.read = url, channel, read
        self._version: int | None = None
        self._heard_at = float("-inf")
        self._stopped = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._listen_forever, name=f"listen {self.channel}", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        self._version, self._heard_at = None, float("-inf")

    def _wanted(self) -> bool:
        return not self._stopped.is_set() and self._engine() is not None

    def current(self) -> int | None:
        """The version, or None when the listener is not (or no longer) known to be listening."""
        if time.monotonic() - self._heard_at > FRESH_SECONDS:
            return None
        return self._version

    def saw(self, version: int) -> None:
        """A version this process committed itself: known here at once, before its notification comes back."""
        if self._version is not None and version > self._version:
            self._version = version

    def _listen_forever(self) -> None:
        delay = 0.5
        while self._wanted():
            try:
                self._listen()
            except Exception as exc:  # the database restarted or is unreachable: readers fall back meanwhile
                if self._heard_at > float("-inf"):
                    delay = 0.5  # it was listening: a first failure, not one more of a series
                self._version, self._heard_at = None, float("-inf")
                if self._wanted():
                    log.warning("listening on %s: %s; readers read the row until it is back", self.channel, exc)
                self._stopped.wait(delay)
                delay = min(delay * 2, 30.0)

    def _listen(self) -> None:
        import psycopg

        name = f"sscp listen {self.channel}"  # how an operator finds it in pg_stat_activity
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5, application_name=name) as connection:
            connection.execute(f'LISTEN "{self.channel}"')  # before the first read: no commit slips in between
            self._recheck(connection)
            while self._wanted():
                for notice in connection.notifies(timeout=RECHECK_SECONDS):
                    self._version = max(self._version or 0, int(notice.payload))
                    self._heard_at = time.monotonic()
                self._recheck(connection)

    def _recheck(self, connection) -> None:
        self._version = max(self._version or 0, self.read(connection))  # the row only ever goes up
        self._heard_at = time.monotonic()
