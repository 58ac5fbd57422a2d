"""Money and ratios as exact decimals (POLICY.md §3).

CNY amounts are Decimal with 2 places, rounded ROUND_HALF_UP to the fen; a split
rounds one part and gives the other the remainder so the parts always add up.
Floats are refused outright: a float has already lost the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")
_HUNDRED = Decimal(100)
_WAN = Decimal(10000)


def _to_decimal(value: object, what: str) -> Decimal:
    """Read a Decimal, an int or a string ("1,234.50") exactly; refuse float, bool and junk."""
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float (got {value!r}); pass a str or Decimal")
    if isinstance(value, bool):
        raise TypeError(f"{what} must not be a bool (got {value!r})")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if not text:
            raise ValueError(f"{what} is empty")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{what} is not a number: {value!r}") from None
    else:
        raise TypeError(f"{what} must be a Decimal, int or str (got {type(value).__name__})")
    if not d.is_finite():
        raise ValueError(f"{what} must be a finite number (got {value!r})")
    return d


def round_money(d: Decimal) -> Decimal:
    """Round to the fen, half up (POLICY.md §3)."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def to_money(value: object) -> Decimal:
    """An amount as Decimal with 2 places; accepts Decimal, int or str, refuses float."""
    return round_money(_to_decimal(value, "amount"))


def split(total: Decimal, ratio: Decimal) -> tuple[Decimal, Decimal]:
    """Split total by ratio: the first part is rounded, the second is the remainder."""
    total_d = _to_decimal(total, "total")
    ratio_d = _to_decimal(ratio, "ratio")
    if not Decimal(0) <= ratio_d <= Decimal(1):
        raise ValueError(f"ratio must be within 0..1 (got {ratio_d})")
    first = round_money(total_d * ratio_d)
    return first, total_d - first


def to_fen(amount: object) -> int:
    """An amount as integer fen."""
    return int(to_money(amount) * _HUNDRED)


def from_fen(fen: int) -> Decimal:
    """Integer fen back to a 2-place Decimal."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be an int (got {type(fen).__name__})")
    return (Decimal(fen) / _HUNDRED).quantize(CENT)


def format_money(amount: object) -> str:
    """¥1,234,567.89; negative as -¥1.00."""
    d = to_money(amount)
    sign = "-" if d < 0 else ""
    return f"{sign}¥{abs(d):,.2f}"


def _trim(d: Decimal) -> str:
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_wan(amount: object) -> str:
    """Amount in 万元 with up to 4 decimals, trailing zeros trimmed ("500", "12.5").

    The list form (附件1) states recommended amounts in 万元.
    """
    wan = (to_money(amount) / _WAN).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    return _trim(wan)


def rmb_capitals(amount: object) -> str:
    """人民币大写 for the forms (POLICY.md §3): 864197.52 → 捌拾陆万肆仟壹佰玖拾柒元伍角贰分."""
    d = _to_decimal(amount, "amount")
    if d < 0:
        raise ValueError(f"人民币大写不支持负数金额（got {d}）")
    if d != d.quantize(CENT):
        raise ValueError(f"金额最多两位小数（got {d}）")
    return cn2an.an2cn(format(d.quantize(CENT), "f"), "rmb")


def parse_ratio(value: object) -> Decimal:
    """A share or ratio such as "0.3000": exact, 0 ≤ r ≤ 1, 4 places."""
    d = _to_decimal(value, "ratio")
    if not Decimal(0) <= d <= Decimal(1):
        raise ValueError(f"比例必须在 0 与 1 之间（got {d}）")
    return d.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def format_ratio(r: Decimal) -> str:
    """0.3 → "0.3000"."""
    return format(_to_decimal(r, "ratio").quantize(RATIO_PLACES, rounding=ROUND_HALF_UP), "f")


def format_percent(r: Decimal) -> str:
    """A ratio as a percentage: 0.3 → "30.00%"."""
    pct = (_to_decimal(r, "ratio") * _HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{pct:f}%"


def format_percent_precise(r: Decimal) -> str:
    """A computed ratio as a percentage with 4 places, so 3.0001 % is not shown as the 3.00 % it exceeds."""
    pct = (_to_decimal(r, "ratio") * _HUNDRED).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    return f"{pct:f}%"


def format_rate(percent: Decimal) -> str:
    """An interest rate already in percent, 2 to 4 places: 3.6 → "3.60%", 3.455 → "3.455%"."""
    d = _to_decimal(percent, "rate").quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    text = format(d, "f").rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}%"
