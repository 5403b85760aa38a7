"""An idle outbox relay woken by PostgreSQL when its outbox is written, instead of polling it 50 times a second.

On PostgreSQL a statement-level trigger on the outbox table notifies ``CHANNEL`` (delivered at commit, one
notification per transaction however many events it wrote). The relay listens on a connection of its own and,
when a pass found nothing, waits for a notification or ``FALLBACK_SECONDS``, whichever comes first: the
fallback also covers a notification lost while the listening connection was down, so a row is never left
waiting longer than that. The listening connection is opened before the relay's first pass, so no commit slips
in between a pass that found nothing and the wait.

Before: each relay polled every 20 ms (bench/README.md: at 100 ms the poll was most of the relay lag), three
relays on a machine made 150 idle transactions a second. SQLite keeps polling (a local file, no NOTIFY).
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

CHANNEL = "sscp_outbox"
FALLBACK_SECONDS = 1.0
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION sscp_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$
"""
_DROP_TRIGGER = "DROP TRIGGER IF EXISTS outbox_notify ON outbox"
_CREATE_TRIGGER = (
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION sscp_outbox_notify()"
)


def install_notify_trigger(connection: Connection) -> None:
    """The outbox's notification on commit (each service's migration; tests that create tables directly)."""
    if connection.dialect.name != "postgresql":
        return
    for statement in (_FUNCTION, _DROP_TRIGGER, _CREATE_TRIGGER):
        connection.execute(text(statement))


def remove_notify_trigger(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    connection.execute(text(_DROP_TRIGGER))
    connection.execute(text("DROP FUNCTION IF EXISTS sscp_outbox_notify()"))


class OutboxWakeup:
    """``wait()``: until the outbox is written (notified) or ``fallback_seconds`` have passed."""

    def __init__(self, url: str, fallback_seconds: float = FALLBACK_SECONDS) -> None:
        self.url, self.fallback_seconds = url, fallback_seconds
        self._connection = None
        self._told = False  # the operator was told it is polling: once per outage, not once a second

    @classmethod
    def for_engine(cls, engine: Engine, fallback_seconds: float = FALLBACK_SECONDS) -> OutboxWakeup | None:
        """The wakeup of ``engine``'s database; None on SQLite (the relay polls)."""
        if engine.dialect.name != "postgresql":
            return None
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return cls(url, fallback_seconds)

    def listen(self) -> None:
        """Start listening (before the relay's first pass); a failure is logged and the next wait retries."""
        try:
            self._connect()
        except Exception as exc:
            self._broken(exc)

    def wait(self) -> None:
        try:
            connection = self._connect()
            for _ in connection.notifies(timeout=self.fallback_seconds, stop_after=1):
                pass
            # The others already queued are commits the next pass will find anyway: one pass serves them all.
            for _ in connection.notifies(timeout=0):
                pass
        except Exception as exc:  # the database restarted: poll at the fallback pace until it is back
            self._broken(exc)
            time.sleep(self.fallback_seconds)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self):
        if self._connection is None or self._connection.closed:
            import psycopg

            name = "sscp outbox relay"  # how an operator finds it in pg_stat_activity
            self._connection = psycopg.connect(self.url, autocommit=True, connect_timeout=5, application_name=name)
            self._connection.execute(f'LISTEN "{CHANNEL}"')
            if self._told:
                log.info("outbox relay: notified of commits again")
                self._told = False
        return self._connection

    def _broken(self, exc: Exception) -> None:
        if not self._told:
            log.warning("outbox relay: not notified of commits (%s); polling every %.1f s", exc, self.fallback_seconds)
            self._told = True
        self.close()
