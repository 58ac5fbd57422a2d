"""Money and ratios as exact decimals (POLICY.md §3).

CNY amounts are Decimal with 2 places, rounded ROUND_HALF_UP to the fen; a split
rounds one part and gives the other the remainder so the parts always add up.
Floats are refused outright: a float has already lost the fen.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")
_HUNDRED = Decimal(100)
_WAN = Decimal(10000)

# What a person or a client may type, as patterns the API's description publishes and the parsers below
# apply (one constant each, so the two cannot drift). ASCII digits only ([0-9], not \d: Python's \d also
# matches full-width digits), no sign, no exponent, no underscore, no bare leading or trailing dot.
# 15 integer digits keep an amount, and the sum of two, inside the columns' NUMERIC(18, 2).
AMOUNT_INTEGER_DIGITS = 15
AMOUNT_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,2})?$"
# An interest rate in percent, below 100, to 4 places ("3.45").
RATE_PATTERN = r"^[0-9]{1,2}(\.[0-9]{1,4})?$"
# A share or ratio between 0 and 1, to 4 places ("0.3000").
RATIO_PATTERN = r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$"
_GROUPING = str.maketrans("", "", ",，")


def ungrouped(text: str) -> str:
    """The text without thousands separators ("1,234.56" → "1234.56"; the full-width comma too)."""
    return text.translate(_GROUPING)


class AmountError(ValueError):
    """A typed amount, rate or ratio that is refused; the message (Chinese) says what is wrong and how to fix it.
    `out_of_range` tells a value too large (or small) from one that is not written as a number at all."""

    def __init__(self, message: str, out_of_range: bool = False):
        super().__init__(message)
        self.out_of_range = out_of_range


class AmountTypeError(AmountError, TypeError):
    """A float or another non-text value: a caller's mistake as much as the typist's (a float has lost the fen)."""


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


def _typed_text(value: object, what: str, grouping: bool) -> str:
    """The plain decimal text of a typed value; a Decimal or int from a form or a sheet is written out."""
    if value is None:
        raise AmountError(f"{what}不能为空。")
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise AmountTypeError(
            f'{what}须以文字填写（如 "1234.56"），不接受{"浮点数" if isinstance(value, float) else "此类型"}。'
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError(f"{what}须为有限的数。")
        # A Decimal (a form's field, a sheet's cell) is exact already: 1.000 is 1.00, not three decimals.
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    text = str(value).strip()
    return ungrouped(text) if grouping else text


def _explain(text: str, what: str, places: int) -> str:
    """Why `text` is not a plain decimal number: the first thing a person would need to change."""
    if not text:
        return f"{what}不能为空。"
    if any(not ch.isascii() for ch in text):
        return f"{what}“{text}”含全角或其他非半角字符，请用半角数字 0–9 和小数点填写。"
    if text.startswith("-"):
        return f"{what}不能为负数。"
    integer, dot, fraction = text.partition(".")
    if re.fullmatch(r"[0-9]+", integer) and dot and re.fullmatch(r"[0-9]+", fraction) and len(fraction) > places:
        return f"{what}“{text}”最多 {places} 位小数，请改正后再提交（系统不会自动四舍五入）。"
    return f"{what}“{text}”不是有效的数字：只能用数字 0–9 和一个小数点，小数点前后都要有数字，最多 {places} 位小数。"


def parse_amount(value: object, what: str = "金额", *, grouping: bool = True) -> Decimal:
    """An amount a person or client typed, in yuan, exactly as typed: at most two decimals, never rounded.

    Thousands separators ("1,234.56") are tolerated when `grouping` (forms and sheets); the API's
    description does not list them, so the API passes grouping=False. Raises AmountError in Chinese."""
    text = _typed_text(value, what, grouping)
    if not re.fullmatch(AMOUNT_PATTERN, text):
        integer = text.partition(".")[0]
        if re.fullmatch(r"[0-9]+", integer) and len(integer) > AMOUNT_INTEGER_DIGITS:
            raise AmountError(f"{what}超出范围：整数部分最多 {AMOUNT_INTEGER_DIGITS} 位。", out_of_range=True)
        raise AmountError(_explain(text, what, 2))
    return Decimal(text).quantize(CENT)


def parse_rate(value: object, what: str = "利率") -> Decimal:
    """An interest rate in percent ("3.45", a form may add "%"): above 0, below 100, at most four decimals."""
    text = _typed_text(value, what, grouping=False)
    text = text.removesuffix("%").strip() if isinstance(value, str) else text
    if not re.fullmatch(RATE_PATTERN, text):
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) and Decimal(text) >= 100:
            raise AmountError(f"{what}须小于 100（单位：%）。", out_of_range=True)
        raise AmountError(_explain(text, what, 4))
    rate = Decimal(text)
    if rate <= 0:
        raise AmountError(f"{what}须大于 0。", out_of_range=True)
    return value if isinstance(value, Decimal) else rate  # as given: "2.90" stays 2.90


def parse_ratio(value: object, what: str = "比例") -> Decimal:
    """A share or ratio such as "0.3000": exact, 0 ≤ r ≤ 1, at most four decimals (never rounded)."""
    text = _typed_text(value, what, grouping=False)
    if not re.fullmatch(RATIO_PATTERN, text):
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) and Decimal(text) > 1:
            raise AmountError(f"{what}必须在 0 与 1 之间（如 0.3000 表示 30%），“{text}”超出范围。", out_of_range=True)
        raise AmountError(_explain(text, what, 4))
    return Decimal(text).quantize(RATIO_PLACES)


def is_plain_number(text: str) -> bool:
    """A form's typed number is plain: ASCII digits with at most one dot between digits, an optional
    minus sign, thousands separators allowed. Decimal() alone would also take "1_000", "１００", ".5", "1e3"."""
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", ungrouped(text.strip())) is not None


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
