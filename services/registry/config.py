"""Registry settings from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir

# Log-in throttling (Flask-Limiter). The counters must be shared by every gunicorn worker (memory:// counts per
# process, so N workers let N times the guesses through): by default a SQLite file under VAR_DIR, shared by the
# workers of one host (see adapters/throttle_storage.py). Across hosts use one store for all, e.g.
# RATE_LIMIT_STORAGE_URI=redis://host:6379 (needs the `redis` package) or sqla+postgresql://… (a database of its own).


def default_throttle_storage() -> str:
    return f"sqla+sqlite:///{var_dir() / 'login-throttle.sqlite'}"


@dataclass(frozen=True)
class RegistrySettings:
    """The registry's own settings, read once from the environment: JWT_KEYS_DIR, ACCESS_TOKEN_TTL_SECONDS (900),
    SESSION_MAX_SECONDS (43200: how long after signing in POST /auth/refresh still renews a token),
    RATE_LIMIT_STORAGE_URI, LOGIN_RATE_LIMIT_PER_ACCOUNT ("10 per minute"), LOGIN_RATE_LIMIT_PER_ADDRESS ("100 per
    minute")."""

    keys_dir: Path
    token_ttl_seconds: int
    session_max_seconds: int
    rate_limit_storage_uri: str
    login_limit_per_account: str
    login_limit_per_address: str

    @classmethod
    def from_env(cls, **overrides) -> RegistrySettings:
        """From the environment; ``overrides`` (by field name, e.g. from a test's app config) win."""
        environment = {
            "keys_dir": os.environ.get("JWT_KEYS_DIR") or var_dir() / "keys",
            "token_ttl_seconds": os.environ.get("ACCESS_TOKEN_TTL_SECONDS") or 900,
            "session_max_seconds": os.environ.get("SESSION_MAX_SECONDS") or 12 * 3600,
            "rate_limit_storage_uri": os.environ.get("RATE_LIMIT_STORAGE_URI") or default_throttle_storage(),
            "login_limit_per_account": os.environ.get("LOGIN_RATE_LIMIT_PER_ACCOUNT") or "10 per minute",
            "login_limit_per_address": os.environ.get("LOGIN_RATE_LIMIT_PER_ADDRESS") or "100 per minute",
        }
        values = {**environment, **{name: value for name, value in overrides.items() if value not in (None, "")}}
        return cls(
            keys_dir=Path(values["keys_dir"]),
            token_ttl_seconds=int(values["token_ttl_seconds"]),
            session_max_seconds=int(values["session_max_seconds"]),
            rate_limit_storage_uri=values["rate_limit_storage_uri"],
            login_limit_per_account=values["login_limit_per_account"],
            login_limit_per_address=values["login_limit_per_address"],
        )


def registry_settings(**overrides) -> ServiceSettings:
    return ServiceSettings.from_env("registry", **overrides)
