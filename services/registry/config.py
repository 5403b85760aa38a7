"""Registry settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir


def registry_settings(**overrides) -> ServiceSettings:
    keys_dir = overrides.pop("keys_dir", None) or os.environ.get("JWT_KEYS_DIR") or str(var_dir() / "keys")
    token_ttl = int(overrides.pop("token_ttl_seconds", None) or os.environ.get("ACCESS_TOKEN_TTL_SECONDS", 900))
    settings = ServiceSettings.from_env("registry", **overrides)
    settings.extra.update(keys_dir=Path(keys_dir), token_ttl_seconds=token_ttl)
    return settings
