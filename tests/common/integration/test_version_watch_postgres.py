"""A version counter kept current in memory by LISTEN/NOTIFY (services/common/version_watch.py), on a real
PostgreSQL: a notified commit reaches readers, a lost listener makes readers read the row themselves, and a
version committed while the listener was away is read when it is back."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import create_engine

from services.common import version_watch
from tests.waiting import eventually

pytestmark = pytest.mark.postgres
CHANNEL = "test_versions"


def read(connection) -> int:
    return connection.execute("SELECT version FROM counter").fetchone()[0]


@pytest.fixture
def database(postgres_database):
    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute("CREATE TABLE counter (version bigint NOT NULL)")
        connection.execute("INSERT INTO counter VALUES (7)")
    engine = create_engine(postgres_database.replace("postgresql://", "postgresql+psycopg://"))
    yield postgres_database, engine
    engine.dispose()


def bump(url: str) -> int:
    """Another process's commit: the row goes up and the channel is told, in one transaction."""
    with psycopg.connect(url) as connection:
        version = connection.execute("UPDATE counter SET version = version + 1 RETURNING version").fetchone()[0]
        connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(version)))
    return version


def test_a_commit_of_another_process_reaches_the_readers_of_this_one(database):
    url, engine = database
    watch = version_watch.watch(engine, CHANNEL, read)
    assert eventually(lambda: watch.current() == 7)

    started = time.monotonic()
    assert bump(url) == 8
    assert eventually(lambda: watch.current() == 8, seconds=1.0)
    assert time.monotonic() - started < version_watch.RECHECK_SECONDS  # by the notification, not the re-read


def test_one_watch_per_process_database_and_channel(database):
    _, engine = database
    assert version_watch.watch(engine, CHANNEL, read) is version_watch.watch(engine, CHANNEL, read)


def test_readers_are_told_nothing_while_the_listener_is_gone_and_it_reads_what_it_missed_when_back(database):
    url, engine = database
    watch = version_watch.watch(engine, CHANNEL, read)
    assert eventually(lambda: watch.current() == 7)

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (f"sscp listen {CHANNEL}",),
        )
        admin.execute("UPDATE counter SET version = 20")  # committed while nobody listens, and never notified
    assert eventually(lambda: watch.current() is None, seconds=3.0)  # the caller reads the row meanwhile

    assert eventually(lambda: watch.current() == 20)


def test_a_listener_not_heard_from_is_not_trusted(database):
    _, engine = database
    watch = version_watch.watch(engine, CHANNEL, read)
    assert eventually(lambda: watch.current() == 7)

    watch._heard_at -= version_watch.FRESH_SECONDS + 1  # as if its connection hung since

    assert watch.current() is None


def test_a_version_committed_here_is_known_here_before_its_notification(database):
    _, engine = database
    watch = version_watch.watch(engine, CHANNEL, read)
    assert eventually(lambda: watch.current() == 7)

    watch.saw(9)

    assert watch.current() == 9


def test_sqlite_has_no_watch(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert version_watch.watch(engine, CHANNEL, read) is None
