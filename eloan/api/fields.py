"""The field types of the API's schemas: each states in /openapi.json exactly what the server checks.

Patterns are the parsers' own constants (domain/money.py), lengths come from the model columns, so the
description and the checks cannot drift apart. A refused value is a 400 naming the field, before any
service or database sees it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from eloan.domain.calendar import in_shanghai
from eloan.domain.limits import MAX_ID
from eloan.domain.money import (
    AMOUNT_PATTERN,
    RATE_PATTERN,
    RATIO_PATTERN,
    AmountError,
    parse_amount,
    parse_rate,
    parse_ratio,
)
from eloan.domain.roles import REVIEWING_UNITS

# Free text without a column limit (Text columns): as long as the pages allow (web forms' Length(max=…)).
LONG_TEXT = 2000
LONGER_TEXT = 4000
# No NUL (PostgreSQL refuses it in text) and nothing that is not Unicode text (a lone surrogate cannot be stored).
TEXT_PATTERN = r"^[^\u0000]*$"
# GB 32100-2015 characters in their places; the check character is verified by the server (422 invalid_uscc).
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"


def column_length(attribute) -> int:
    """The declared length of a String column, e.g. column_length(Repayment.reference) == 100."""
    return attribute.property.columns[0].type.length


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\u0000）。")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("含有无效的 Unicode 字符（孤立的代理项），请检查编码。") from None
    return value


def text(max_length: int, *, min_length: int = 0, description: str | None = None, **kw: Any) -> Any:
    """A free-text field (type Text) of at most `max_length` characters (a column's length, or LONG_TEXT).
    The pattern is published; Text's validator applies it with a Chinese message."""
    return Field(
        min_length=min_length or None,
        max_length=max_length,
        description=description,
        json_schema_extra={"pattern": TEXT_PATTERN},
        **kw,
    )


Text = Annotated[str, AfterValidator(_storable)]


def _checked(parse, **kw):
    """How the number is written is checked here (400); whether its value is allowed (a rate of 0, a share
    above 1) is the service's rule with its own 422 code, as for a page."""

    def check(value: str) -> str:
        try:
            parse(value, **kw)
        except AmountError as exc:
            if not exc.out_of_range:
                raise ValueError(str(exc).removesuffix("。")) from None
        return value  # the service parses it again, exactly as the page's text is parsed

    return AfterValidator(check)


Amount = Annotated[
    str,
    _checked(parse_amount, grouping=False),
    Field(
        json_schema_extra={"pattern": AMOUNT_PATTERN},
        examples=["864197.52"],
        description="金额（元）：半角数字，最多两位小数，不带符号、千分位或指数",
    ),
]
RatePercent = Annotated[
    str,
    _checked(parse_rate),
    Field(
        json_schema_extra={"pattern": RATE_PATTERN},
        examples=["3.45"],
        description="年利率（%）：大于 0、小于 100，最多四位小数",
    ),
]
Ratio = Annotated[
    str,
    _checked(parse_ratio),
    Field(
        json_schema_extra={"pattern": RATIO_PATTERN},
        examples=["0.3000"],
        description="比例：0 到 1，最多四位小数，如 0.3000 表示 30%",
    ),
]
Uscc = Annotated[
    str,
    Field(
        json_schema_extra={"pattern": USCC_PATTERN},
        examples=["91370405MA3C8XXQ0X"],
        description="统一社会信用代码（18位，GB 32100-2015）；校验位不符 → 422 invalid_uscc",
    ),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# Whatever the database hands back, the API answers in Asia/Shanghai with the offset (API.md).
Time = Annotated[dt.datetime, AfterValidator(in_shanghai)]

ReviewDecision = Literal["approve", "return"]
OpinionDecision = Literal["approve", "reduce", "reject"]
ReviewRole = Literal[REVIEWING_UNITS]  # the three units of 第十六条
