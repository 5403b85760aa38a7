"""Notifications settings from the environment."""

from __future__ import annotations

from services.common.settings import ServiceSettings


def notifications_settings(**overrides) -> ServiceSettings:
    return ServiceSettings.from_env("notifications", **overrides)
