"""How long until a deadline, in whole days, hours and minutes (the page words it in the person's language)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimeLeft:
    days: int
    hours: int
    minutes: int

    @property
    def urgent(self) -> bool:
        """Under a day: the page says so more loudly."""
        return self.days == 0


def time_left(now: datetime, deadline: datetime | None) -> TimeLeft | None:
    """None once the deadline has passed (or when there is none)."""
    if deadline is None or deadline <= now:
        return None
    seconds = int((deadline - now).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return TimeLeft(days, hours, rest // 60)


def parse_moment(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
