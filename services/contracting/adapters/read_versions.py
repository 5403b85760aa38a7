"""The read models' version counters: bumped in the transaction of any change that alters what they show.

A reader compares the counter with the one its cached answer was built at (services/common/read_cache.py):
equal means nothing it shows has changed, because every session of contracting's session factory bumps the
counter before committing a change to one of the watched tables — whichever use case made it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from services.contracting.adapters.base import Base
from services.contracting.adapters.orm_evaluation import Complaint
from services.contracting.adapters.orm_tendering import Criterion, Lot, Tender

TENDERS = "tenders"
# What a call's public view is built from: the call, its lots and criteria, and the complaints that can hold
# a deadline (a pending complaint changes the status a listing shows).
WATCHED = (Tender, Lot, Criterion, Complaint)
_CHANGED = "read_versions.changed"


class ReadVersion(Base):
    __tablename__ = "read_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def track(session_factory: sessionmaker) -> None:
    """Make every session of ``session_factory`` bump the tenders' version when it commits a watched change."""
    event.listen(session_factory, "before_flush", _note_changes)
    event.listen(session_factory, "before_commit", _bump_if_changed)
    event.listen(session_factory, "after_rollback", _forget)  # a failed commit's note must not reach the next one


_CURRENT = select(ReadVersion.version).where(ReadVersion.name == TENDERS)


def current_version(connection: Connection) -> int:
    """The tenders' version now (one indexed read; 0 on a database without the seed row)."""
    return connection.execute(_CURRENT).scalar() or 0


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
    bumped = session.execute(
        update(ReadVersion).where(ReadVersion.name == TENDERS).values(version=ReadVersion.version + 1)
    )
    if bumped.rowcount == 0:  # a database built with metadata.create_all (tests), not the migration's seed row
        session.add(ReadVersion(name=TENDERS, version=1))
        session.flush()


def _forget(session: Session) -> None:
    session.info.pop(_CHANGED, None)
