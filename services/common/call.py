"""One use case's call: its unit of work, its caller and the server time, the one shape every service's
handlers take (``handler(call, <ids>, command)``).

An entrypoint builds it from the request (``ServiceContext.call()``), a flow or a test builds it directly; a
handler never reads the clock, the environment or Flask's globals itself, so what it decides depends only on
what it was given. A service adds what all of its use cases share by subclassing (contracting's ``Call`` adds
the OCID prefix and the procedure's rules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.common.tokens import Principal
from services.common.unit_of_work import UnitOfWork


@dataclass
class Call:
    """``now`` is read as the call starts; a use case that must decide by the time it is serialized at (a bid
    against the deadline, once the tender's lock is held) calls ``read_clock_under_lock`` and ``now`` becomes
    that time, read once per call."""

    uow: UnitOfWork
    principal: Principal | None
    now: datetime
    clock: Callable[[], datetime] | None = None
    now_under_lock: bool = field(default=False, repr=False)

    def read_clock_under_lock(self) -> None:
        if self.clock is not None and not self.now_under_lock:
            self.now = as_utc(self.clock())
            self.now_under_lock = True

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject}" if self.principal else "anonymous"

    @property
    def role(self) -> str | None:
        return self.principal.role if self.principal else None


def as_utc(moment: datetime | None) -> datetime | None:
    """An aware UTC instant: SQLite hands back naive datetimes and PostgreSQL the session's zone, while everything
    the platform stores is UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
