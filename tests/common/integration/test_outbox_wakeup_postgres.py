"""An idle relay on PostgreSQL waits to be notified of a commit instead of polling (services/common/bus/
outbox_wakeup.py): each service's migrations install the trigger, a commit wakes the relay long before its
fallback, and without notifications (no trigger, or the listening connection killed) the relay still publishes."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import create_engine, text

from services.common.bus.outbox import OutboxRelay
from services.common.bus.outbox_wakeup import OutboxWakeup, install_notify_trigger
from services.common.migrations import upgrade
from tests.waiting import eventually

pytestmark = pytest.mark.postgres
LONG_FALLBACK = 30.0  # longer than any wait below: a row published sooner was published because it was notified


@pytest.fixture
def notifying_db(postgres_database, open_service_db_at):
    db = open_service_db_at(postgres_database)
    with db.engine.begin() as connection:
        install_notify_trigger(connection)
    return db


class RunningRelay:
    """A relay in a thread, as `sscp background` runs it, until the test ends."""

    def __init__(self, db, bus, wakeup: OutboxWakeup) -> None:
        self.db, self.stopped = db, threading.Event()
        self.relay = OutboxRelay(db.sessions, db.outbox_model, bus)
        self.thread = threading.Thread(
            target=self.relay.run, kwargs={"should_stop": self.stopped.is_set, "wakeup": wakeup}, daemon=True
        )

    def __enter__(self) -> RunningRelay:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        with self.db.engine.begin() as connection:  # wake it, so it sees the stop now and not after its fallback
            connection.execute(text("SELECT pg_notify('sscp_outbox', '')"))
        self.thread.join(timeout=LONG_FALLBACK + 5)
        assert not self.thread.is_alive()


def idle(db) -> None:
    """Let the relay finish its first passes and settle into waiting."""
    time.sleep(0.3)
    assert db.unpublished_count() == 0


@pytest.mark.parametrize("service", ["registry", "contracting", "notifications"])
def test_each_service_migration_installs_the_trigger_that_notifies_the_relay_at_commit(postgres_database, service):
    upgrade(service, postgres_database)
    with psycopg.connect(postgres_database, autocommit=True) as listener, psycopg.connect(postgres_database) as writer:
        listener.execute("LISTEN sscp_outbox")
        writer.execute(
            "INSERT INTO outbox (event_id, event_type, body, created_at, attempts)"
            " VALUES ('e1', 'provider.registered', '{}', now(), 0)"
        )
        assert list(listener.notifies(timeout=0.2)) == []  # nothing before the commit
        writer.commit()
        assert [n.channel for n in listener.notifies(timeout=2, stop_after=1)] == ["sscp_outbox"]


def test_an_idle_relay_publishes_a_commit_as_soon_as_it_is_notified(notifying_db, memory_bus):
    wakeup = OutboxWakeup.for_engine(notifying_db.engine, fallback_seconds=LONG_FALLBACK)
    with RunningRelay(notifying_db, memory_bus, wakeup):
        idle(notifying_db)
        for _ in range(3):  # again and again: each wait ends with its own commit
            started = time.monotonic()
            notifying_db.commit_events(2)
            assert eventually(lambda: notifying_db.unpublished_count() == 0, seconds=2.0)
            assert time.monotonic() - started < 2.0 < LONG_FALLBACK


def test_without_notifications_the_relay_still_publishes_within_its_fallback(
    postgres_database, open_service_db_at, memory_bus
):
    db = open_service_db_at(postgres_database)  # tables made directly: no trigger, nothing ever notifies
    wakeup = OutboxWakeup.for_engine(db.engine, fallback_seconds=0.3)
    with RunningRelay(db, memory_bus, wakeup):
        idle(db)
        db.commit_events(1)
        assert eventually(lambda: db.unpublished_count() == 0, seconds=3.0)


def test_a_relay_whose_listening_connection_is_killed_listens_again(notifying_db, postgres_database, memory_bus):
    wakeup = OutboxWakeup.for_engine(notifying_db.engine, fallback_seconds=0.5)
    with RunningRelay(notifying_db, memory_bus, wakeup):
        idle(notifying_db)
        with psycopg.connect(postgres_database, autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'sscp outbox relay' AND datname = current_database()"
            ).fetchall()
        assert killed == [(True,)]
        notifying_db.commit_events(1)  # found by the fallback pass while the relay reconnects
        assert eventually(lambda: notifying_db.unpublished_count() == 0, seconds=3.0)

        def listening() -> bool:
            with psycopg.connect(postgres_database, autocommit=True) as admin:
                query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sscp outbox relay'"
                return admin.execute(query + " AND datname = current_database()").fetchone()[0] == 1

        assert eventually(listening, seconds=3.0)


def test_on_sqlite_the_relay_polls(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'service.sqlite'}")
    assert OutboxWakeup.for_engine(engine) is None
    with engine.begin() as connection:
        install_notify_trigger(connection)  # nothing to install
    engine.dispose()
