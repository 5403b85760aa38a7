"""Contracting settings from the environment, including the per-procedure periods.

Periods default to days (the law's units); each can be overridden in seconds so the demo can compress time:
CONTRACTING_MIN_ENQUIRY_SECONDS, CONTRACTING_MIN_TENDERING_SECONDS, CONTRACTING_MIN_AMENDMENT_EXTENSION_SECONDS,
CONTRACTING_STANDSTILL_SECONDS (replaces every tender's standstill_days); CONTRACTING_STANDSTILL_DAYS sets the
default standstill of new tenders (6, Law 131/2015 art. 31).
"""

from __future__ import annotations

import os
from datetime import timedelta

from services.common.settings import ServiceSettings
from services.contracting.domain.procedure import ProcedureRules

PROCEDURE_DEFAULTS = {
    "min_enquiry": timedelta(days=5),
    "min_tendering": timedelta(days=10),
    "min_amendment_extension": timedelta(days=4),
}


def _seconds(name: str) -> timedelta | None:
    value = os.environ.get(f"CONTRACTING_{name.upper()}_SECONDS")
    return timedelta(seconds=float(value)) if value else None


def procedure_rules() -> ProcedureRules:
    periods = {name: _seconds(name) or default for name, default in PROCEDURE_DEFAULTS.items()}
    return ProcedureRules(
        **periods,
        default_standstill_days=int(os.environ.get("CONTRACTING_STANDSTILL_DAYS", "6")),
        standstill_override=_seconds("standstill"),
    )


def contracting_settings(**overrides) -> ServiceSettings:
    settings = ServiceSettings.from_env("contracting", **overrides)
    settings.extra.update(ocid_prefix=os.environ.get("OCID_PREFIX", "ocds-sscp01"), procedure=procedure_rules())
    return settings
