"""Validity rules: accredited for service S in district D on day T, and why not when not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.registry.domain.rules import (
    AccreditationTerms,
    ProviderStanding,
    RuleViolation,
    check_idno,
    local_date,
    validity,
)

PROVIDER = ProviderStanding(7, "active", frozenset({"MD-CU", "MD-BA"}))


def terms(status: str = "active", service_type: str = "home-care", **dates) -> AccreditationTerms:
    valid_from = dates.get("valid_from", date(2026, 1, 1))
    return AccreditationTerms(7, service_type, valid_from, dates.get("valid_to", date(2030, 12, 31)), status, 1)


@pytest.mark.parametrize("on", [date(2026, 1, 1), date(2028, 6, 15), date(2030, 12, 31)])
def test_an_active_accreditation_covers_every_day_of_its_term_including_both_ends(on):
    assert validity(PROVIDER, [terms()], "home-care", "MD-CU", on).valid


@pytest.mark.parametrize("on", [date(2025, 12, 31), date(2031, 1, 1)])
def test_the_day_before_the_term_and_the_day_after_it_are_not_covered(on):
    answer = validity(PROVIDER, [terms()], "home-care", "MD-CU", on)
    assert not answer.valid
    assert answer.reasons == (f"no active accreditation for home-care valid on {on.isoformat()}",)


@pytest.mark.parametrize("status", ["suspended", "revoked", "expired"])
def test_a_suspended_revoked_or_expired_accreditation_covers_no_day_even_inside_its_term(status):
    assert not validity(PROVIDER, [terms(status)], "home-care", "MD-CU", date(2027, 1, 1)).valid


def test_an_accreditation_for_another_service_does_not_count():
    assert not validity(PROVIDER, [terms(service_type="day-centre")], "home-care", "MD-CU", date(2027, 1, 1)).valid


def test_another_providers_accreditation_does_not_count():
    other = AccreditationTerms(8, "home-care", date(2026, 1, 1), date(2030, 12, 31))
    assert not validity(PROVIDER, [other], "home-care", "MD-CU", date(2027, 1, 1)).valid


def test_a_provider_that_does_not_serve_the_district_is_not_valid_there_and_is_told_why():
    answer = validity(PROVIDER, [terms()], "home-care", "MD-CA", date(2027, 1, 1))
    assert not answer.valid
    assert answer.reasons == ("provider does not serve district MD-CA",)


def test_a_suspended_provider_is_valid_nowhere_and_every_reason_is_listed():
    suspended = ProviderStanding(7, "suspended", frozenset({"MD-CU"}))
    answer = validity(suspended, [terms("revoked")], "home-care", "MD-BA", date(2027, 1, 1))
    assert answer.reasons == (
        "provider is suspended",
        "provider does not serve district MD-BA",
        "no active accreditation for home-care valid on 2027-01-01",
    )


def test_the_answer_shows_the_covering_accreditation_that_lasts_longest():
    short = AccreditationTerms(7, "home-care", date(2026, 1, 1), date(2026, 12, 31), "active", 1)
    long = AccreditationTerms(7, "home-care", date(2026, 6, 1), date(2031, 5, 31), "active", 2)
    assert validity(PROVIDER, [short, long], "home-care", "MD-CU", date(2026, 7, 1)).accreditation == long


def test_a_term_ending_before_it_starts_is_refused_naming_valid_to():
    with pytest.raises(RuleViolation) as refused:
        terms(valid_from=date(2026, 1, 1), valid_to=date(2025, 12, 31))
    assert refused.value.field == "valid_to"


def test_a_one_day_term_is_allowed():
    assert terms(valid_from=date(2026, 1, 1), valid_to=date(2026, 1, 1)).covers("home-care", date(2026, 1, 1))


@pytest.mark.parametrize(
    ("status", "today", "due"),
    [
        ("active", date(2031, 1, 1), True),
        ("suspended", date(2031, 1, 1), True),
        ("active", date(2030, 12, 31), False),
        ("revoked", date(2031, 1, 1), False),
        ("expired", date(2031, 1, 1), False),
    ],
)
def test_only_a_live_accreditation_whose_last_day_has_passed_is_due_to_expire(status, today, due):
    assert terms(status).is_due_to_expire(today) is due


def test_the_calendar_day_is_chisinaus_so_late_evening_utc_is_already_tomorrow():
    assert local_date(datetime(2030, 12, 31, 22, 30, tzinfo=UTC)) == date(2031, 1, 1)
    assert local_date(datetime(2030, 6, 30, 20, 59, tzinfo=UTC)) == date(2030, 6, 30)


@pytest.mark.parametrize("idno", ["100360001234", "10036000123456", "100360001234a", "", "1003 600012345"])
def test_an_idno_that_is_not_exactly_13_digits_is_refused_naming_idno(idno):
    with pytest.raises(RuleViolation) as refused:
        check_idno(idno)
    assert refused.value.field == "idno"
