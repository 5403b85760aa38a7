"""The read models' version counters: bumped in the transaction of any change that alters what they show.

A reader compares the counter with the one its cached answer was built at (services/common/read_cache.py):
equal means nothing it shows has changed, because every session of contracting's session factory bumps the
counter before committing a change to one of the watched tables — whichever use case made it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, Engine, String, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from services.common import version_watch
from services.contracting.adapters.base import Base
from services.contracting.adapters.orm_evaluation import Complaint
from services.contracting.adapters.orm_tendering import Criterion, Lot, Tender

TENDERS = "tenders"
# What a call's public view is built from: the call, its lots and criteria, and the complaints that can hold
# a deadline (a pending complaint changes the status a listing shows).
WATCHED = (Tender, Lot, Criterion, Complaint)
_CHANGED = "read_versions.changed"
_BUMPED = "read_versions.bumped"
CHANNEL = "sscp_read_versions"  # PostgreSQL: each bump is notified here, at commit (services/common/version_watch.py)


class ReadVersion(Base):
    __tablename__ = "read_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def track(session_factory: sessionmaker) -> None:
    """Make every session of ``session_factory`` bump the tenders' version when it commits a watched change."""
    event.listen(session_factory, "before_flush", _note_changes)
    event.listen(session_factory, "before_commit", _bump_if_changed)
    event.listen(session_factory, "after_commit", _tell_this_process)
    event.listen(session_factory, "after_rollback", _forget)  # a failed commit's note must not reach the next one


_CURRENT = select(ReadVersion.version).where(ReadVersion.name == TENDERS)


def tenders_version(engine: Engine) -> int:
    """The tenders' version now: from this process's listener on PostgreSQL while it listens, else read."""
    watched = _watch(engine)
    version = watched.current() if watched else None
    if version is not None:
        return version
    with engine.connect() as connection:
        return current_version(connection)


def current_version(connection: Connection) -> int:
    """The tenders' version now (one indexed read; 0 on a database without the seed row)."""
    return connection.execute(_CURRENT).scalar() or 0


def _watch(engine: Engine) -> version_watch.VersionWatch | None:
    return version_watch.watch(engine, CHANNEL, _read_with_psycopg)


def _read_with_psycopg(connection) -> int:
    row = connection.execute("SELECT version FROM read_versions WHERE name = %s", (TENDERS,)).fetchone()
    return row[0] if row else 0


def _note_changes(session: Session, _flush_context, _instances) -> None:
    if session.info.get(_CHANGED):
        return
    touched = (*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o)))
    if any(isinstance(instance, WATCHED) for instance in touched):
        session.info[_CHANGED] = True


def _bump_if_changed(session: Session) -> None:
    session.flush()  # commit flushes after this hook: what is still pending must be seen now
    if not session.info.pop(_CHANGED, False):
        return
    # Last statement before COMMIT: on PostgreSQL the row lock it takes is held for the commit only.
    bump = update(ReadVersion).where(ReadVersion.name == TENDERS).values(version=ReadVersion.version + 1)
    version = session.execute(bump.returning(ReadVersion.version)).scalar()
    if version is None:  # a database built with metadata.create_all (tests), not the migration's seed row
        session.add(ReadVersion(name=TENDERS, version=1))
        session.flush()
        version = 1
    if session.get_bind().dialect.name == "postgresql":
        # Delivered when (and only if) this transaction commits, to every process listening.
        session.execute(select(func.pg_notify(CHANNEL, str(version))))
        session.info[_BUMPED] = version


def _tell_this_process(session: Session) -> None:
    version = session.info.pop(_BUMPED, None)
    watched = _watch(session.get_bind()) if version is not None else None
    if watched:
        watched.saw(version)


def _forget(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_BUMPED, None)
