"""What every contracting handler needs: the call's context (caller, server time, settings)."""

from __future__ import annotations

from services.common.app import service_context
from services.common.auth import current_principal
from services.contracting.config import ContractingSettings
from services.contracting.service_layer.base import Call, utc

EVERY_ROLE = ("operator", "authority", "evaluator", "cso", "service")


def own_settings() -> ContractingSettings:
    """Contracting's settings (config.py), parsed once as the process started."""
    return service_context().own_settings


def prefix() -> str:
    return own_settings().ocid_prefix


def make_call() -> Call:
    context = service_context()
    return Call(
        uow=context.uow(),
        principal=current_principal(),
        now=utc(context.clock()),
        prefix=prefix(),
        rules=context.own_settings.procedure,
        # Read again once the tender's lock is held (service_layer.base.Call): the deadline is decided then.
        clock=context.clock,
    )
