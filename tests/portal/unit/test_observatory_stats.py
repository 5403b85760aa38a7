"""The statistics behind the indicators: the outlier fence (and when there are too few points for one), the
HHI, and shares that are None rather than a division by zero."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.observatory.stats import hhi, share, upper_fence


def test_the_upper_fence_is_q3_plus_one_and_a_half_iqr_with_spreadsheet_quartiles():
    rates = [Decimal(n) for n in ("0", "0", "0", "0.25", "0.75")]
    assert upper_fence(rates, minimum_points=4) == Decimal("0.625")


def test_one_data_point_or_fewer_than_the_minimum_has_no_fence_so_nothing_is_an_outlier():
    assert upper_fence([Decimal("0.9")], minimum_points=1) is None
    assert upper_fence([Decimal("0.1"), Decimal("0.2"), Decimal("0.9")], minimum_points=4) is None


def test_equal_points_give_a_fence_at_their_value_so_none_of_them_is_above_it():
    assert upper_fence([Decimal("0.2")] * 4, minimum_points=4) == Decimal("0.2")


def test_hhi_runs_from_ten_thousand_for_a_monopoly_down_with_more_equal_suppliers():
    assert hhi([Decimal(5)]) == Decimal("10000.0")
    assert hhi([Decimal(1)] * 4) == Decimal("2500.0")
    assert hhi([Decimal(3), Decimal(1)]) == Decimal("6250.0")
    assert hhi([]) is None and hhi([Decimal(0)]) is None


def test_a_share_of_nothing_is_none():
    assert share(1, 0) is None and share(1, 3) == Decimal("0.3333")
