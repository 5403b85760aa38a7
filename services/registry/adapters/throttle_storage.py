"""A `limits` storage in an SQL database, so every gunicorn worker (and host) counts log-in attempts together.

``memory://`` counts per process: with N workers a guesser got N times the allowed tries. Redis is not part of
the embedded mode, so this storage keeps the counters in SQL instead: a SQLite file under VAR_DIR (the default,
shared by every worker of a host) or any database SQLAlchemy reaches (``sqla+postgresql://…``, shared by every
host). The URI is the SQLAlchemy URL with ``sqla+`` in front, as for the bus. Its tables are its own (created on
first use, outside the service's Alembic history): they hold only short-lived counters, never the service's state.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from services.common.db import make_engine

SCHEMES = ["sqla+sqlite", "sqla+postgresql", "sqla+postgresql+psycopg"]

TABLES = (
    # One row per counted attempt: the moving window counts the rows younger than the window.
    "CREATE TABLE IF NOT EXISTS throttle_hits (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL,"
    " expires_at DOUBLE PRECISION NOT NULL)",
    "CREATE INDEX IF NOT EXISTS throttle_hits_key_at ON throttle_hits (key, at)",
    "CREATE INDEX IF NOT EXISTS throttle_hits_expires_at ON throttle_hits (expires_at)",
    # Fixed-window counters (the other `limits` strategies), one row per key.
    "CREATE TABLE IF NOT EXISTS throttle_counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
    " expires_at DOUBLE PRECISION NOT NULL)",
)


class SqlThrottleStorage(Storage, MovingWindowSupport):
    """Moving-window (and fixed-window) counters in SQL; each check-and-count runs under a lock per key, so two
    workers cannot both let the tenth attempt through."""

    STORAGE_SCHEME = SCHEMES

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.engine = _engine(uri.removeprefix("sqla+"))
        self._tables_ready = False
        self._setup_lock = threading.Lock()

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    # --- moving window (what the log-in throttle uses) ---

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._transaction(key) as connection:
            taken = connection.execute(
                text("SELECT COUNT(*) FROM throttle_hits WHERE key = :key AND at >= :since"),
                {"key": key, "since": now - expiry},
            ).scalar_one()
            if taken + amount > limit:
                return False
            rows = [{"key": key, "at": now, "expires_at": now + expiry}] * amount
            connection.execute(text("INSERT INTO throttle_hits VALUES (:key, :at, :expires_at)"), rows)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with self._connection() as connection:
            oldest, taken = connection.execute(
                text("SELECT MIN(at), COUNT(*) FROM throttle_hits WHERE key = :key AND at >= :since"),
                {"key": key, "since": now - expiry},
            ).one()
        return (oldest, taken) if taken else (now, 0)

    # --- fixed window ---

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._transaction(key) as connection:
            row = connection.execute(
                text("SELECT count, expires_at FROM throttle_counters WHERE key = :key"), {"key": key}
            ).one_or_none()
            if row is None or row.expires_at <= now:
                connection.execute(text("DELETE FROM throttle_counters WHERE key = :key"), {"key": key})
                connection.execute(
                    text("INSERT INTO throttle_counters VALUES (:key, :count, :expires_at)"),
                    {"key": key, "count": amount, "expires_at": now + expiry},
                )
                return amount
            connection.execute(
                text("UPDATE throttle_counters SET count = count + :amount WHERE key = :key"),
                {"key": key, "amount": amount},
            )
            return row.count + amount

    def get(self, key: str) -> int:
        with self._connection() as connection:
            count = connection.execute(
                text("SELECT count FROM throttle_counters WHERE key = :key AND expires_at > :now"),
                {"key": key, "now": time.time()},
            ).scalar_one_or_none()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with self._connection() as connection:
            expires_at = connection.execute(
                text("SELECT expires_at FROM throttle_counters WHERE key = :key"), {"key": key}
            ).scalar_one_or_none()
        return expires_at or time.time()

    # --- housekeeping ---

    def check(self) -> bool:
        try:
            with self._connection() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self._connection() as connection, connection.begin():
            removed = connection.execute(text("DELETE FROM throttle_hits")).rowcount
            removed += connection.execute(text("DELETE FROM throttle_counters")).rowcount
        return removed

    def clear(self, key: str) -> None:
        with self._connection() as connection, connection.begin():
            connection.execute(text("DELETE FROM throttle_hits WHERE key = :key"), {"key": key})
            connection.execute(text("DELETE FROM throttle_counters WHERE key = :key"), {"key": key})

    # --- plumbing ---

    def _connection(self) -> Connection:
        self._create_tables()
        return self.engine.connect()

    def _transaction(self, key: str):
        return _LockedTransaction(self, key)

    def _create_tables(self) -> None:
        # Lazily, so a gunicorn master that imports the app before forking holds no connection its workers share.
        if self._tables_ready:
            return
        with self._setup_lock:
            if self._tables_ready:
                return
            for attempt in range(3):
                try:
                    with self.engine.begin() as connection:
                        for statement in TABLES:
                            connection.execute(text(statement))
                    break
                except DBAPIError:
                    # Two workers creating the tables at the same moment: one loses the race; the tables exist.
                    if attempt == 2:
                        raise
                    time.sleep(0.1)
            self._tables_ready = True


class _LockedTransaction:
    """A transaction that holds the per-key lock until it ends, and drops expired rows of every key."""

    def __init__(self, storage: SqlThrottleStorage, key: str) -> None:
        self.storage = storage
        self.key = key

    def __enter__(self) -> Connection:
        self.connection = self.storage._connection()
        self.transaction = self.connection.begin()  # SQLite: BEGIN IMMEDIATE (see _engine)
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": self.key})
        self.connection.execute(text("DELETE FROM throttle_hits WHERE expires_at < :now"), {"now": time.time()})
        return self.connection

    def __exit__(self, exc_type, *_exc) -> None:
        try:
            if exc_type is None:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            self.connection.close()


def _engine(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        # pysqlite's own BEGIN is deferred: two workers could both read nine and both write a tenth. BEGIN
        # IMMEDIATE takes the write lock first, so each check-and-count sees the other's attempts.
        event.listen(engine, "connect", _no_implicit_transactions)
        event.listen(engine, "begin", _begin_immediate)
    return engine


def _no_implicit_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
