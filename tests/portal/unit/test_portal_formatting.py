"""Money, time left, who is signed in and where they may be sent: the portal's plain rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.portal.adapters.session_cookie import FernetSerializer
from services.portal.domain.deadlines import time_left
from services.portal.domain.money import NBSP, as_decimal, format_mdl
from services.portal.domain.search import CallSearch, pages
from services.portal.domain.signed_in import needs_refresh, safe_next


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("ro", f"1{NBSP}234{NBSP}567,89{NBSP}lei"),
        ("ru", f"1{NBSP}234{NBSP}567,89{NBSP}лей"),
        ("en", f"MDL{NBSP}1,234,567.89"),
    ],
)
def test_money_is_written_as_each_language_writes_lei(language, shown):
    assert format_mdl("1234567.891", language) == shown


def test_money_rounds_half_up_to_bani_and_keeps_small_and_negative_amounts_readable():
    assert format_mdl(Decimal("0.005"), "ro") == f"0,01{NBSP}lei"
    assert format_mdl("-1500", "en") == f"MDL{NBSP}-1,500.00"
    assert format_mdl(None, "ro") == "—"


def test_an_amount_typed_with_spaces_or_a_decimal_comma_is_read_as_lei():
    assert as_decimal("150 000,50") == Decimal("150000.50")
    assert as_decimal("abc") is None


def test_time_left_counts_whole_days_hours_and_minutes_and_is_none_once_passed():
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    left = time_left(now, now + timedelta(days=2, hours=3, minutes=4, seconds=59))
    assert (left.days, left.hours, left.minutes, left.urgent) == (2, 3, 4, False)
    assert time_left(now, now + timedelta(minutes=30)).urgent
    assert time_left(now, now) is None


def test_a_token_is_renewed_within_the_margin_before_it_expires():
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert needs_refresh(now, now + timedelta(seconds=299), 300)
    assert not needs_refresh(now, now + timedelta(seconds=301), 300)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "", None, "cso"])
def test_after_sign_in_only_a_path_on_this_site_is_followed(target):
    assert safe_next(target) is None


def test_the_session_cookie_cannot_be_read_or_altered_without_the_secret():
    sealed = FernetSerializer("secret-one").dumps({"token": "bearer-abc"})
    assert "bearer-abc" not in sealed
    assert FernetSerializer("secret-one").loads(sealed) == {"token": "bearer-abc"}
    from itsdangerous import BadSignature

    with pytest.raises(BadSignature):
        FernetSerializer("secret-two").loads(sealed)
    with pytest.raises(BadSignature):
        FernetSerializer("secret-one").loads(sealed[:-4] + "AAAA")


def test_a_search_sends_only_the_filters_set_and_whole_days_in_chisinau_time():
    query = CallSearch(district_code="MD-CU", deadline_to="2026-12-31", sort="bogus", page=0).api_query()
    assert query == {
        "district_code": "MD-CU",
        "deadline_to": "2026-12-31T23:59:59+02:00",
        "sort": "newest",
        "page": 1,
        "page_size": 20,
    }
    assert pages(41) == 3 and pages(0) == 1
