"""Who may change what in the registry, beyond the role gate of each endpoint.

A CSO edits only its own provider and never its status; an authority edits only its own district's department
and manages only its own district's evaluators. Operators may do all of it.
"""

from __future__ import annotations

from typing import Protocol

from services.registry.domain.rules import RuleViolation

PROVIDER_PROFILE_FIELDS = frozenset(
    {"legal_name", "legal_form", "email", "phone", "address", "districts_served", "languages"}
)
DISTRICT_ROLES = ("authority", "evaluator")


class Actor(Protocol):
    """The caller, as its token says (services.common.auth.Principal fits)."""

    subject: str
    role: str
    district_code: str | None
    provider_id: int | None


class NotAllowed(Exception):
    """The caller may not do this (403); ``field`` names the part of the request that is not theirs to set."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_provider_edit(actor: Actor, provider_id: int, fields: set[str]) -> None:
    if actor.role == "operator":
        return
    if actor.role != "cso" or actor.provider_id != provider_id:
        raise NotAllowed("provider_id", "a CSO may edit only its own provider profile")
    if "status" in fields:
        raise NotAllowed("status", "only an operator may suspend or reactivate a provider")


def check_authority_edit(actor: Actor, district_code: str) -> None:
    if actor.role == "operator" or (actor.role == "authority" and actor.district_code == district_code):
        return
    raise NotAllowed("district_code", "an authority may edit only its own district's department")


def district_for_new_user(actor: Actor, role: str, district_code: str | None) -> str | None:
    """The district the new account is bound to; an authority creates evaluators of its own district only."""
    if actor.role == "operator":
        return district_code
    if role != "evaluator":
        raise NotAllowed("role", "an authority may create evaluator accounts only")
    if district_code not in (None, actor.district_code):
        raise NotAllowed("district_code", f"an authority may create evaluators of {actor.district_code} only")
    return actor.district_code


def may_manage_user(actor: Actor, role: str, district_code: str | None) -> bool:
    """Operators manage every account; an authority only its own district's evaluators."""
    if actor.role == "operator":
        return True
    return actor.role == "authority" and role == "evaluator" and district_code == actor.district_code


def check_binding(role: str, district_code: str | None, provider_id: int | None) -> None:
    """Each role's token carries exactly the binding the other services rely on."""
    if role in DISTRICT_ROLES:
        if not district_code:
            raise RuleViolation("district_code", f"a {role} user must be bound to a district")
        if provider_id:
            raise RuleViolation("provider_id", f"a {role} user is bound to a district, not a provider")
    elif role == "cso":
        if not provider_id:
            raise RuleViolation("provider_id", "a cso user must be bound to a provider")
        if district_code:
            raise RuleViolation("district_code", "a cso user is bound to a provider, not a district")
    elif district_code or provider_id:
        field = "district_code" if district_code else "provider_id"
        raise RuleViolation(field, f"a {role} account is platform-wide: it has no district or provider")
