"""Whose notifications the caller may read: a CSO its provider's, an authority its district's, operators theirs."""

from __future__ import annotations

from services.common.auth import Principal, current_principal
from services.common.errors import Forbidden
from services.notifications.service_layer.recipients import OPERATORS_KEY, district_key, provider_key

INBOX_ROLES = ("cso", "authority", "operator")


def recipient_of(principal: Principal) -> str:
    if principal.role == "cso" and principal.provider_id is not None:
        return provider_key(int(principal.provider_id))
    if principal.role == "authority" and principal.district_code:
        return district_key(principal.district_code)
    if principal.role == "operator":
        return OPERATORS_KEY
    raise Forbidden("this token names no provider or district whose notifications it could read")


def caller_recipient() -> str:
    return recipient_of(current_principal())


def webhook_owner() -> int | None:
    """The CSO's provider id; None for an operator, who may see every webhook."""
    principal = current_principal()
    if principal.role == "operator":
        return None
    if principal.provider_id is None:
        raise Forbidden("this token names no provider")
    return int(principal.provider_id)
