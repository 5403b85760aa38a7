"""The delivery state machine and its retry schedule.

```
held ──digest──▶ digested, or ──release──▶ queued (low-priority e-mail waiting for the recipient's digest)
queued ──claim──▶ sending ──succeed──▶ sent
failed ──claim──▶ sending ──fail──▶ failed (next_attempt_at = now + base · 2^(attempts-1)) or dead (attempts ≥ N)
dead | failed ──retry (operator)──▶ queued
sending ──claim (lease expired: its dispatcher died)──▶ sending
```
"""

from __future__ import annotations

from datetime import datetime, timedelta

HELD = "held"
QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
DEAD = "dead"
DIGESTED = "digested"

STATUSES = (HELD, QUEUED, SENDING, SENT, FAILED, DEAD, DIGESTED)

_TRANSITIONS: dict[str, dict[str, str]] = {
    HELD: {"digest": DIGESTED, "release": QUEUED},
    QUEUED: {"claim": SENDING},
    FAILED: {"claim": SENDING, "retry": QUEUED},
    SENDING: {"succeed": SENT, "fail": FAILED, "give_up": DEAD, "claim": SENDING},
    DEAD: {"retry": QUEUED},
    SENT: {},
    DIGESTED: {},
}


class IllegalTransition(Exception):
    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"a {current} delivery cannot {action}")
        self.current = current
        self.action = action
        self.allowed = allowed_actions(current)


def allowed_actions(status: str) -> list[str]:
    return sorted(_TRANSITIONS.get(status, {}))


def transition(status: str, action: str) -> str:
    try:
        return _TRANSITIONS[status][action]
    except KeyError:
        raise IllegalTransition(status, action) from None


def after_failure(attempts: int, max_attempts: int) -> str:
    """The action after a failed attempt: try again later, or give up once the attempts are spent."""
    return "give_up" if attempts >= max_attempts else "fail"


def next_attempt_at(now: datetime, attempts: int, base_seconds: float, cap_seconds: float) -> datetime:
    """Exponential backoff: base, 2·base, 4·base … after the 1st, 2nd, 3rd failure, never beyond the cap."""
    delay = min(base_seconds * 2 ** max(attempts - 1, 0), cap_seconds)
    return now + timedelta(seconds=delay)
