"""Who may change what beyond the role gate: a CSO its own profile, an authority its own district's evaluators."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.registry.domain.access import (
    NotAllowed,
    check_authority_edit,
    check_binding,
    check_provider_edit,
    district_for_new_user,
    may_manage_user,
)
from services.registry.domain.rules import RuleViolation


@dataclass(frozen=True)
class Caller:
    role: str
    district_code: str | None = None
    provider_id: int | None = None
    subject: str = "1"


OPERATOR = Caller("operator")
CSO = Caller("cso", provider_id=4)
AUTHORITY = Caller("authority", district_code="MD-CU")


def test_a_cso_edits_its_own_profile_but_not_another_providers():
    check_provider_edit(CSO, 4, {"phone", "districts_served"})
    with pytest.raises(NotAllowed) as refused:
        check_provider_edit(CSO, 5, {"phone"})
    assert refused.value.field == "provider_id"


def test_a_cso_cannot_lift_or_set_its_own_suspension_but_an_operator_can():
    with pytest.raises(NotAllowed) as refused:
        check_provider_edit(CSO, 4, {"status"})
    assert refused.value.field == "status"
    check_provider_edit(OPERATOR, 4, {"status"})


def test_an_authority_edits_only_its_own_departments_details():
    check_authority_edit(AUTHORITY, "MD-CU")
    with pytest.raises(NotAllowed):
        check_authority_edit(AUTHORITY, "MD-BA")


def test_an_authority_creates_evaluators_of_its_own_district_even_without_naming_it():
    assert district_for_new_user(AUTHORITY, "evaluator", None) == "MD-CU"
    assert district_for_new_user(AUTHORITY, "evaluator", "MD-CU") == "MD-CU"


@pytest.mark.parametrize(
    ("role", "district", "field"),
    [("operator", None, "role"), ("authority", "MD-CU", "role"), ("evaluator", "MD-BA", "district_code")],
)
def test_an_authority_cannot_create_other_roles_or_other_districts_evaluators(role, district, field):
    with pytest.raises(NotAllowed) as refused:
        district_for_new_user(AUTHORITY, role, district)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("role", "district", "manages"),
    [("evaluator", "MD-CU", True), ("evaluator", "MD-BA", False), ("authority", "MD-CU", False), ("cso", None, False)],
)
def test_an_authority_manages_only_its_own_districts_evaluators(role, district, manages):
    assert may_manage_user(AUTHORITY, role, district) is manages
    assert may_manage_user(OPERATOR, role, district)


@pytest.mark.parametrize(
    ("role", "district", "provider", "field"),
    [
        ("authority", None, None, "district_code"),
        ("evaluator", "MD-CU", 3, "provider_id"),
        ("cso", None, None, "provider_id"),
        ("cso", "MD-CU", 3, "district_code"),
        ("service", "MD-CU", None, "district_code"),
        ("operator", None, 3, "provider_id"),
    ],
)
def test_each_role_carries_exactly_its_binding(role, district, provider, field):
    with pytest.raises(RuleViolation) as refused:
        check_binding(role, district, provider)
    assert refused.value.field == field
