"""Engines and sessions: one database per service, tuned per dialect."""

from __future__ import annotations

import weakref

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker

# Every engine this process made, so that a forked child can let go of its parent's connections (after_fork).
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def make_engine(url: str, **kwargs) -> Engine:
    """An engine that behaves the same on SQLite (embedded) and PostgreSQL (production)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        # Several processes share the file: wait for the write lock instead of failing at once.
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **kwargs)
    _engines.add(engine)
    return engine


def after_fork() -> None:
    """In a forked child (a gunicorn worker of a preloaded app): drop the pooled connections inherited from the
    parent without closing them (they are the parent's sockets and files), so this process opens its own."""
    for engine in list(_engines):
        engine.dispose(close=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one process writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)
