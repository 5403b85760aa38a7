"""Which status changes are allowed, for accreditations and user accounts; a refused one names what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.registry.domain.rules import RuleViolation


class TransitionRefused(Exception):
    """An action the current status does not allow (the web layer answers 409 with the allowed next ones)."""

    def __init__(self, entity: str, current: str, attempted: str, allowed: list[str]) -> None:
        super().__init__(f"{entity} is {current!r}: cannot {attempted}")
        self.entity = entity
        self.current = current
        self.attempted = attempted
        self.allowed = allowed


@dataclass(frozen=True)
class Lifecycle:
    entity: str
    # status -> action -> status after it
    transitions: dict[str, dict[str, str]]

    def allowed(self, current: str) -> list[str]:
        return sorted(self.transitions.get(current, {}))

    def next_status(self, current: str, action: str) -> str:
        following = self.transitions.get(current, {})
        if action not in following:
            raise TransitionRefused(self.entity, current, action, self.allowed(current))
        return following[action]


ACCREDITATION_LIFECYCLE = Lifecycle(
    "accreditation",
    {
        "active": {"renew": "active", "suspend": "suspended", "revoke": "revoked", "expire": "expired"},
        # A suspension is lifted by reinstating; the daily check still expires it when its term runs out.
        "suspended": {"reinstate": "active", "revoke": "revoked", "expire": "expired"},
        # A lapsed accreditation comes back only through a renewal with a new term.
        "expired": {"renew": "active"},
        "revoked": {},
    },
)

USER_LIFECYCLE = Lifecycle(
    "user",
    {"active": {"deactivate": "inactive"}, "inactive": {"reactivate": "active"}},
)


def check_renewal(valid_from: date, valid_to: date, new_valid_to: date, today: date) -> None:
    """A renewal extends the term past its current end and is not already over."""
    if new_valid_to <= valid_to:
        raise RuleViolation("valid_to", f"a renewal must end after the current valid_to {valid_to.isoformat()}")
    if new_valid_to < today:
        raise RuleViolation("valid_to", f"a renewal must not end in the past (today is {today.isoformat()})")
    if new_valid_to < valid_from:
        raise RuleViolation("valid_to", "valid_to must not be before valid_from")
