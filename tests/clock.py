"""The one movable clock every service's tests inject: tests move time instead of sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta


class Clock:
    """Callable like the services' clocks; each suite passes the moment its seeded data expects."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now
