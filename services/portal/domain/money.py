"""Money as a person reads it: MDL in each language's own way (``1 234 567,89 lei`` in Romanian)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"  # grouping with a no-break space keeps an amount on one line on a phone


def as_decimal(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(" ", "").replace(NBSP, "").replace(",", "."))
    except InvalidOperation:
        return None


def _grouped(amount: Decimal, group: str, decimal_mark: str) -> str:
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, cents = f"{abs(rounded):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{group.join(groups)}{decimal_mark}{cents}"


def format_mdl(value: object, language: str) -> str:
    amount = as_decimal(value)
    if amount is None:
        return "—"
    if language == "en":
        return f"MDL{NBSP}{_grouped(amount, ',', '.')}"
    unit = "лей" if language == "ru" else "lei"
    return f"{_grouped(amount, NBSP, ',')}{NBSP}{unit}"
