"""Sign-in throttling at the portal: per person's address, as the registry does per caller.

The registry sees every portal sign-in coming from the portal's own address, so the portal must do the
per-address counting itself (its per-account limit still applies at the registry). Only refused attempts count.
Behind a reverse proxy, set PORTAL_TRUSTED_PROXIES so the address is the person's, not the proxy's.
"""

from __future__ import annotations

import os

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("PORTAL_RATE_LIMIT_STORAGE_URI", "memory://"),
    strategy="moving-window",
    key_prefix="sscp-portal-sign-in",
)

sign_in_limited = limiter.limit(
    lambda: os.environ.get("LOGIN_RATE_LIMIT_PER_ADDRESS") or "100 per minute",
    methods=["POST"],
    deduct_when=lambda response: response.status_code in (401, 422, 429),
)
