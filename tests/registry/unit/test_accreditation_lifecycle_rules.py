"""Accreditation and account status changes: what each status allows, and what a renewal must extend."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.domain.lifecycle import (
    ACCREDITATION_LIFECYCLE,
    USER_LIFECYCLE,
    TransitionRefused,
    check_renewal,
)
from services.registry.domain.rules import RuleViolation


@pytest.mark.parametrize(
    ("current", "action", "after"),
    [
        ("active", "renew", "active"),
        ("active", "suspend", "suspended"),
        ("active", "revoke", "revoked"),
        ("active", "expire", "expired"),
        ("suspended", "reinstate", "active"),
        ("suspended", "revoke", "revoked"),
        ("suspended", "expire", "expired"),
        ("expired", "renew", "active"),
    ],
)
def test_each_allowed_accreditation_change_leads_to_its_status(current, action, after):
    assert ACCREDITATION_LIFECYCLE.next_status(current, action) == after


def test_a_revoked_accreditation_allows_nothing_and_the_refusal_says_so():
    with pytest.raises(TransitionRefused) as refused:
        ACCREDITATION_LIFECYCLE.next_status("revoked", "reinstate")
    assert (refused.value.current, refused.value.allowed) == ("revoked", [])


@pytest.mark.parametrize(
    ("current", "action"), [("suspended", "renew"), ("expired", "suspend"), ("active", "reinstate")]
)
def test_a_change_the_status_does_not_allow_is_refused_naming_what_it_allows(current, action):
    with pytest.raises(TransitionRefused) as refused:
        ACCREDITATION_LIFECYCLE.next_status(current, action)
    assert refused.value.allowed == ACCREDITATION_LIFECYCLE.allowed(current)
    assert action not in refused.value.allowed


def test_an_inactive_account_can_only_be_reactivated():
    assert USER_LIFECYCLE.next_status("active", "deactivate") == "inactive"
    with pytest.raises(TransitionRefused) as refused:
        USER_LIFECYCLE.next_status("inactive", "deactivate")
    assert refused.value.allowed == ["reactivate"]


def test_a_renewal_that_extends_the_term_into_the_future_is_accepted():
    check_renewal(date(2026, 1, 1), date(2030, 12, 31), date(2035, 12, 31), today=date(2030, 6, 1))


@pytest.mark.parametrize(
    "new_valid_to",
    [date(2030, 12, 31), date(2029, 1, 1)],
)
def test_a_renewal_that_does_not_end_after_the_current_term_is_refused_naming_valid_to(new_valid_to):
    with pytest.raises(RuleViolation) as refused:
        check_renewal(date(2026, 1, 1), date(2030, 12, 31), new_valid_to, today=date(2030, 6, 1))
    assert refused.value.field == "valid_to"


def test_renewing_a_lapsed_accreditation_into_a_term_already_over_is_refused():
    with pytest.raises(RuleViolation, match="past"):
        check_renewal(date(2020, 1, 1), date(2024, 12, 31), date(2025, 6, 30), today=date(2026, 1, 1))
