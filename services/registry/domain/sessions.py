"""How long a signed-in session lasts: refreshes renew the access token, but never past the session's longest life."""

from __future__ import annotations

import math
from datetime import datetime


class SessionTooOld(Exception):
    """The session began more than its longest life ago: the person signs in again with their password."""


def refreshed_token_ttl(signed_in_at: datetime, now: datetime, token_ttl_seconds: int, session_max_seconds: int) -> int:
    """Seconds the refreshed token may live: the usual TTL, cut where the session ends, so no token outlives it."""
    remaining = session_max_seconds - (now - signed_in_at).total_seconds()
    # Under a second left would sign a token that is already expired when it arrives.
    if remaining < 1:
        hours = session_max_seconds / 3600
        raise SessionTooOld(f"the session began more than {hours:g} hours ago: sign in again with your password")
    return min(token_ttl_seconds, math.floor(remaining))
