"""Small statistics the indicators share: shares, medians, quartiles, an outlier fence and the HHI."""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal

PLACES = Decimal("0.0001")


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole to four decimals, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(PLACES, rounding=ROUND_HALF_UP)


def rounded(number: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if number is None else number.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def median(numbers: list[Decimal]) -> Decimal | None:
    return statistics.median(numbers) if numbers else None


def mean(numbers: list[Decimal]) -> Decimal | None:
    return rounded(sum(numbers, Decimal(0)) / len(numbers)) if numbers else None


def upper_fence(numbers: list[Decimal], minimum_points: int) -> Decimal | None:
    """Q3 + 1.5 x IQR (quartiles by the inclusive method, i.e. linear interpolation as in a spreadsheet's
    QUARTILE), or None with fewer than ``minimum_points`` points: too few to call anything an outlier."""
    if len(numbers) < max(minimum_points, 2):
        return None
    q1, _q2, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
    return q3 + Decimal("1.5") * (q3 - q1)


def hhi(amounts: list[Decimal]) -> Decimal | None:
    """Herfindahl-Hirschman index on a 0-10,000 scale: the sum of squared market shares in percent."""
    total = sum(amounts, Decimal(0))
    if not total:
        return None
    return rounded(sum(((a * 100 / total) ** 2 for a in amounts), Decimal(0)), "0.1")
