"""Registry settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir

# Log-in throttling (Flask-Limiter): environment variable -> (settings.extra key, default).
# The counters must be shared by every gunicorn worker (memory:// counts per process, so N workers let N times the
# guesses through): by default a SQLite file under VAR_DIR, shared by the workers of one host (see
# adapters/throttle_storage.py). Across hosts use one store for all, e.g. RATE_LIMIT_STORAGE_URI=redis://host:6379
# (needs the `redis` package) or sqla+postgresql://… (a database of its own).
THROTTLE_OPTIONS = {
    "RATE_LIMIT_STORAGE_URI": ("rate_limit_storage_uri", None),
    "LOGIN_RATE_LIMIT_PER_ACCOUNT": ("login_limit_per_account", "10 per minute"),
    "LOGIN_RATE_LIMIT_PER_ADDRESS": ("login_limit_per_address", "100 per minute"),
}


def default_throttle_storage() -> str:
    return f"sqla+sqlite:///{var_dir() / 'login-throttle.sqlite'}"


def registry_settings(**overrides) -> ServiceSettings:
    keys_dir = overrides.pop("keys_dir", None) or os.environ.get("JWT_KEYS_DIR") or str(var_dir() / "keys")
    token_ttl = int(overrides.pop("token_ttl_seconds", None) or os.environ.get("ACCESS_TOKEN_TTL_SECONDS", 900))
    throttle = {
        key: overrides.pop(key, None) or os.environ.get(name) or default
        for name, (key, default) in THROTTLE_OPTIONS.items()
    }
    throttle["rate_limit_storage_uri"] = throttle["rate_limit_storage_uri"] or default_throttle_storage()
    settings = ServiceSettings.from_env("registry", **overrides)
    settings.extra.update(keys_dir=Path(keys_dir), token_ttl_seconds=token_ttl, **throttle)
    return settings
