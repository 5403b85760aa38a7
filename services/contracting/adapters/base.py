"""The declarative base of contracting's tables and its exact decimal column type."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    pass


class Hundredths(TypeDecorator):
    """A Decimal with two places (MDL and bani, or a score) stored as an integer count of hundredths.

    Exact on every database: SQLite has no decimal type and would round through float.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        hundredths = Decimal(value) * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError(f"{value} has more than two decimal places")
        return int(hundredths)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))
