"""A database that cannot be reached is answered 503 + Retry-After ("try again shortly"), not 500 ("a bug").

The unit of work commits a state change and its outbox row together or not at all, so a write refused here left
nothing behind and the caller may simply send it again. Only errors that mean the database is unreachable (no
connection, a dropped one, a server shutting down, SQLite's file locked or gone) count: a constraint violation or
an error in the SQL itself stays what it was (a 4xx where handled, else the generic 500).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import ServiceUnavailable

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5  # a PostgreSQL restart or fail-over takes seconds; a SQLite lock, less
# PostgreSQL SQLSTATEs that mean "no usable server": class 08 (connection exceptions), admin/crash shutdown,
# starting up, too many connections.
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite reports its file being locked, gone or unwritable with these messages (as OperationalError, which it also
# uses for SQL errors such as "no such table": those are bugs, not outages).
SQLITE_UNREACHABLE = (
    "database is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
    "readonly database",
)


def register_outage_handlers(app: Flask) -> None:
    for error_type in (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError):
        app.register_error_handler(error_type, _database_error)


def database_unreachable(error: Exception) -> bool:
    if isinstance(error, (DisconnectionError, PoolTimeoutError, InterfaceError)):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or error.statement is None:  # dropped, or never connected at all
        return True
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    if sqlstate.startswith(UNREACHABLE_SQLSTATES):
        return True
    return any(message in str(error.orig).lower() for message in SQLITE_UNREACHABLE)


def _database_error(error: Exception):
    if not database_unreachable(error):
        generic = current_app.error_handler_spec.get(None, {}).get(None, {}).get(Exception)
        if generic is None:
            raise error
        return generic(error)
    # The driver's text names hosts, ports and SQL: it goes to the log, never to the caller.
    log.warning("database unreachable, answered 503: %s", error)
    refusal = ServiceUnavailable(f"the database is unavailable; try again in {RETRY_AFTER_SECONDS} seconds")
    refusal.data = {"retry_after": RETRY_AFTER_SECONDS}
    response: Response = current_app.make_response(current_app.handle_http_exception(refusal))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
