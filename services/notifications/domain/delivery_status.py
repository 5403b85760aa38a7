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

from services.common.state_machine import StateMachine

HELD = "held"
QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
DEAD = "dead"
DIGESTED = "digested"

STATUSES = (HELD, QUEUED, SENDING, SENT, FAILED, DEAD, DIGESTED)

# action -> {from status: to status}; sent and digested are final
TRANSITIONS: dict[str, dict[str, str]] = {
    "digest": {HELD: DIGESTED},
    "release": {HELD: QUEUED},
    "claim": {QUEUED: SENDING, FAILED: SENDING, SENDING: SENDING},
    "succeed": {SENDING: SENT},
    "fail": {SENDING: FAILED},
    "give_up": {SENDING: DEAD},
    "retry": {FAILED: QUEUED, DEAD: QUEUED},
}

DELIVERY = StateMachine("delivery", TRANSITIONS)
# The actions allowed from a status, and the status after an action (InvalidTransition, 409, when refused)
allowed_actions = DELIVERY.allowed
transition = DELIVERY.next


def after_failure(attempts: int, max_attempts: int) -> str:
    """The action after a failed attempt: try again later, or give up once the attempts are spent."""
    return "give_up" if attempts >= max_attempts else "fail"


def next_attempt_at(now: datetime, attempts: int, base_seconds: float, cap_seconds: float) -> datetime:
    """Exponential backoff: base, 2·base, 4·base … after the 1st, 2nd, 3rd failure, never beyond the cap."""
    delay = min(base_seconds * 2 ** max(attempts - 1, 0), cap_seconds)
    return now + timedelta(seconds=delay)
