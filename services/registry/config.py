"""Registry settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir

# Log-in throttling (Flask-Limiter): environment variable -> (settings.extra key, default).
# memory:// counts per process: with several gunicorn workers or hosts use a shared store, e.g.
# RATE_LIMIT_STORAGE_URI=redis://127.0.0.1:6379 (needs the `redis` package), so the limits hold across them.
THROTTLE_OPTIONS = {
    "RATE_LIMIT_STORAGE_URI": ("rate_limit_storage_uri", "memory://"),
    "LOGIN_RATE_LIMIT_PER_ACCOUNT": ("login_limit_per_account", "10 per minute"),
    "LOGIN_RATE_LIMIT_PER_ADDRESS": ("login_limit_per_address", "100 per minute"),
}


def registry_settings(**overrides) -> ServiceSettings:
    keys_dir = overrides.pop("keys_dir", None) or os.environ.get("JWT_KEYS_DIR") or str(var_dir() / "keys")
    token_ttl = int(overrides.pop("token_ttl_seconds", None) or os.environ.get("ACCESS_TOKEN_TTL_SECONDS", 900))
    throttle = {
        key: overrides.pop(key, None) or os.environ.get(name) or default
        for name, (key, default) in THROTTLE_OPTIONS.items()
    }
    settings = ServiceSettings.from_env("registry", **overrides)
    settings.extra.update(keys_dir=Path(keys_dir), token_ttl_seconds=token_ttl, **throttle)
    return settings
