"""Log-in throttling: password guessing against one account, or from one address, is answered 429 + Retry-After.

Flask-Limiter counts refused POST /auth/token in a moving window, in a store every gunicorn worker shares
(RATE_LIMIT_STORAGE_URI; by default a SQLite file under VAR_DIR, see adapters/throttle_storage.py, whose sqla+…
schemes the registry's bootstrap registers), twice: per (client address, e-mail) — stops a guesser on one account
without locking its owner out from elsewhere — and per client address — stops one address spraying many accounts.
Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so the client address is the caller's, not the proxy's.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, jsonify, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from services.registry.config import RegistrySettings

TOO_MANY = "too many log-in attempts; wait and try again"


def client_address() -> str:
    return get_remote_address() or "unknown"


def client_address_and_email() -> str:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # unreadable JSON is answered 400 elsewhere; it names no account
        body = None
    email = body.get("email") if isinstance(body, dict) else None
    return f"{client_address()}|{str(email or '').strip().lower()[:320]}"


def throttle_log_in(app: Flask, blueprint: Blueprint, options: RegistrySettings) -> Limiter:
    """Limits the log-in blueprint of ``app``; apps on the same store (RATE_LIMIT_STORAGE_URI) share counters."""
    limiter = Limiter(
        key_func=client_address,
        app=app,
        storage_uri=options.rate_limit_storage_uri,
        strategy="moving-window",
        key_prefix="sscp-registry-login",
        # A shared store (the SQL file, redis) that fails degrades to per-process counting, not to no limit (or a 500).
        in_memory_fallback_enabled=True,
    )
    # Only refused log-ins count: guessing is throttled, while services that log in often (the flows' account,
    # one log-in per flow run) are never locked out by their own successes, nor by a database outage's 503s.
    failed = {"error_message": TOO_MANY, "deduct_when": lambda response: 400 <= response.status_code < 500}
    limiter.limit(options.login_limit_per_address, key_func=client_address, **failed)(blueprint)
    limiter.limit(options.login_limit_per_account, key_func=client_address_and_email, **failed)(blueprint)

    @app.errorhandler(RateLimitExceeded)
    def too_many_attempts(exc: RateLimitExceeded):
        breached = [limit for limit in limiter.current_limits if limit.breached]
        resets = [limit.reset_at for limit in breached]
        # The stores give reset times in whole seconds: never ask for more than the window itself (a 61 for 60).
        window = max((limit.limit.get_expiry() for limit in breached), default=60)
        retry_after = max(1, min(window, math.ceil(max(resets, default=time.time() + 60) - time.time())))
        body = {"code": 429, "status": "Too Many Requests", "message": f"{exc.description}", "retry_after": retry_after}
        return jsonify(body), 429, {"Retry-After": str(retry_after)}

    return limiter
