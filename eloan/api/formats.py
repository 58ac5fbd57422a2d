"""How the API writes numbers (API.md): money in yuan and percentages as exact decimal strings with two
places — never floats, which a bank's system would round differently."""

from __future__ import annotations

from decimal import Decimal

from eloan.domain.money import format_rate, to_money


def two_places(value: Decimal | None) -> str | None:
    """ "1234567.89" for ¥1,234,567.89 (or 3.45 %); None stays None (JSON null)."""
    if value is None:
        return None
    return f"{to_money(value):f}"


def rate(percent: Decimal | None) -> str | None:
    """An interest rate in percent as typed, two to four places: "3.60", "3.455" (not rounded to "3.46")."""
    if percent is None:
        return None
    return format_rate(percent).removesuffix("%")
