"""How money and moments read in each language: MDL with Decimal, times in Europe/Chisinau.

Both are forgiving on purpose: a template must never fail on a malformed value, so what cannot be read is
shown as it came.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from services.common.reference_data import district_name

CHISINAU = ZoneInfo("Europe/Chisinau")
CENT = Decimal("0.01")

# language -> (thousands separator, decimal separator)
_SEPARATORS = {"ro": (".", ","), "ru": ("\u00a0", ","), "en": (",", ".")}


def to_decimal(value) -> Decimal | None:
    """Decimal from Decimal, int or a decimal string; a JSON float goes through its shortest repr, never binary."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(value if isinstance(value, (Decimal, int, str)) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def format_mdl(value, language: str = "ro") -> str:
    amount = to_decimal(value)
    if amount is None or not amount.is_finite():
        return str(value)
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    thousands, decimal_point = _SEPARATORS.get(language, _SEPARATORS["ro"])
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    number = f"{sign}{grouped}{decimal_point}{cents or '00'}"
    return f"MDL {number}" if language == "en" else f"{number} MDL"


def format_bani(value, language: str = "ro") -> str:
    """Integer bani (1/100 leu) as MDL."""
    amount = to_decimal(value)
    return str(value) if amount is None else format_mdl(amount / 100, language)


def to_chisinau(value) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # everything stored is UTC
    return value.astimezone(CHISINAU)


def format_local_time(value, language: str = "ro") -> str:
    local = to_chisinau(value)
    if local is None:
        return "" if value is None else str(value)
    if language == "en":
        return f"{local:%d %b %Y, %H:%M} ({local.tzname()})"
    return f"{local:%d.%m.%Y %H:%M} ({local.tzname()})"


def format_local_date(value, language: str = "ro") -> str:
    """The calendar day in Chisinau (a contract's start and end), without the hour."""
    local = to_chisinau(value)
    if local is None:
        return "" if value is None else str(value)
    return f"{local:%d %b %Y}" if language == "en" else f"{local:%d.%m.%Y}"


_DEPARTMENT = {
    "ro": "Direcția de asistență socială {name}",
    "ru": "Управление социальной помощи ({name})",
    "en": "Social assistance department of {name}",
}


def department_name(district_code: str, language: str = "ro") -> str:
    """How a notice greets a district's social assistance department: by its district's name, never its code."""
    return _DEPARTMENT.get(language, _DEPARTMENT["ro"]).format(name=district_name(district_code, language))
