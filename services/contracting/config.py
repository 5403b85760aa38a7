"""Contracting settings from the environment."""

from __future__ import annotations

import os

from services.common.settings import ServiceSettings


def contracting_settings(**overrides) -> ServiceSettings:
    settings = ServiceSettings.from_env("contracting", **overrides)
    settings.extra.update(ocid_prefix=os.environ.get("OCID_PREFIX", "ocds-sscp01"))
    return settings
