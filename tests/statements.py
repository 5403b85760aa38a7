"""Counting, in tests, the SQL statements a piece of work runs: what it costs the database, not how long it takes."""

from __future__ import annotations

import sqlalchemy


class StatementLog:
    """The SQL statements one engine runs while it is open."""

    def __init__(self, engine) -> None:
        self.engine, self.statements = engine, []

    def __enter__(self):
        sqlalchemy.event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        sqlalchemy.event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(" ".join(statement.split()))

    def count(self, prefix: str) -> int:
        return sum(statement.startswith(prefix) for statement in self.statements)
