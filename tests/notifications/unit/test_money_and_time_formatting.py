"""Money in MDL with Decimal per language, and moments in Chișinău time across daylight saving."""

from __future__ import annotations

from decimal import Decimal

from services.notifications.domain.formatting import format_bani, format_local_time, format_mdl


def test_amounts_read_in_each_language_with_two_decimals():
    assert format_mdl(Decimal("1234567.5"), "ro") == "1.234.567,50 MDL"
    assert format_mdl("1234567.5", "ru") == "1\u00a0234\u00a0567,50 MDL"
    assert format_mdl(1234567, "en") == "MDL 1,234,567.00"


def test_half_a_ban_rounds_up_and_json_floats_are_read_through_their_text():
    assert format_mdl("0.005", "en") == "MDL 0.01"
    assert format_mdl(0.1 + 0.2, "en") == "MDL 0.30"
    assert format_bani(150050, "ro") == "1.500,50 MDL"


def test_a_value_that_is_not_money_is_shown_as_it_came():
    assert format_mdl("n/a", "ro") == "n/a"
    assert format_mdl(None, "ro") == "None"


def test_times_are_shown_in_chisinau_winter_and_summer_time():
    assert format_local_time("2026-01-15T10:00:00+00:00", "ro") == "15.01.2026 12:00 (EET)"
    assert format_local_time("2026-07-15T10:00:00+00:00", "en") == "15 Jul 2026, 13:00 (EEST)"
    assert format_local_time("2026-07-15T10:00:00", "ru") == "15.07.2026 13:00 (EEST)"  # naive means UTC
    assert format_local_time("yesterday", "ro") == "yesterday"
