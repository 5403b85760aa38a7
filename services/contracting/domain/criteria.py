"""Evaluation criteria: price or quality, weights summing to 100, an optional minimum score each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.common.errors import Invalid

PRICE = "price"
QUALITY = "quality"
KINDS = (PRICE, QUALITY)

# A draft posted without criteria (the skeleton's body) gets these: price counts, quality counts more.
DEFAULT_CRITERIA = (
    {"kind": PRICE, "name": "Preț", "weight": 40, "minimum": None},
    {"kind": QUALITY, "name": "Calitatea serviciului", "weight": 60, "minimum": None},
)


@dataclass(frozen=True)
class Criterion:
    id: int
    kind: str
    name: str
    weight: int
    minimum: Decimal | None = None


def check_criteria(criteria: list[dict]) -> None:
    """Refuse a criteria set that cannot be scored: unknown kinds, weights not summing to 100, two prices."""
    if not criteria:
        raise Invalid("criteria", "at least one criterion is needed")
    if any(c["kind"] not in KINDS for c in criteria):
        raise Invalid("criteria", f"kind must be one of {', '.join(KINDS)}")
    total = sum(c["weight"] for c in criteria)
    if total != 100:
        raise Invalid("criteria", f"weights must sum to 100 (they sum to {total})")
    if sum(1 for c in criteria if c["kind"] == PRICE) > 1:
        raise Invalid("criteria", "one price criterion at most: price is scored lowest / price x 100")
