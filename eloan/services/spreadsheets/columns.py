"""The columns of the import sheets: order, Chinese headers, and how each cell is read."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from eloan.domain.loan_input import LOAN_LABELS
from eloan.domain.registry import FIELD_LABELS
from eloan.domain.uscc import check_character
from eloan.services.spreadsheets import reading


@dataclass(frozen=True)
class Sheet:
    """One import's sheet: the headers it looks for, the columns it cannot do without, how each cell is
    read, and the column with the credit code (by which the template's example row is known)."""

    labels: Mapping[str, str]
    required: tuple[str, ...]
    kinds: Mapping[str, Callable[[Any], Any]]
    uscc_field: str
    rows_are: str  # what a row holds, as a sheet with no rows is told so


# The template's order: identity first, then what eligibility looks at (第三、四条), then contacts.
ENTERPRISE_COLUMNS = (
    "uscc",
    "name",
    "industry",
    "size_class",
    "in_zone",
    "special_approval_note",
    "established_on",
    "employees",
    "revenue",
    "tax_sales",
    "mu_class",
    "mu_year",
    "legal_rep",
    "phone",
    "address",
)
ENTERPRISE_LABELS = {field: FIELD_LABELS[field] for field in ENTERPRISE_COLUMNS}
ENTERPRISE_REQUIRED = ("uscc", "name", "industry")
ENTERPRISE_KINDS = {
    "uscc": reading.code,
    "name": reading.text,
    "industry": reading.text,
    "size_class": reading.text,
    "in_zone": reading.flag,
    "special_approval_note": reading.text,
    "established_on": reading.day,
    "employees": reading.integer,
    "revenue": reading.money,
    "tax_sales": reading.money,
    "mu_class": reading.text,
    "mu_year": reading.integer,
    "legal_rep": reading.text,
    "phone": reading.text,
    "address": reading.text,
}
ENTERPRISE_SHEET = Sheet(ENTERPRISE_LABELS, ENTERPRISE_REQUIRED, ENTERPRISE_KINDS, "uscc", "企业")

MU_COLUMNS = ("uscc", "year", "mu_class", "note")
MU_LABELS = {"uscc": "统一社会信用代码", "year": "评价年度", "mu_class": "亩产效益类别", "note": "备注"}
MU_REQUIRED = ("uscc", "year", "mu_class")
MU_KINDS = {"uscc": reading.code, "year": reading.integer, "mu_class": reading.text, "note": reading.text}
MU_SHEET = Sheet(MU_LABELS, MU_REQUIRED, MU_KINDS, "uscc", "评价")


def _example_code() -> str:
    body = "91370405MA0000000"
    return body + check_character(body)


# The templates' example row carries this (valid but unissued) code; an import skips that row, so
# a template filled in below the example imports only the real enterprises.
EXAMPLE_USCC = _example_code()


# ---- programme loans (第六、七条), for a bank's own loans ---------------------------------------

RATE_PLACES = Decimal("0.0001")  # rates are stored in percent with four places (models.types.Rate)


def rate_percent(value):
    """An annual rate in percent (3.60 for 3.60 %), exactly, or refused — as reading.money does for yuan.

    A value under 1 is refused rather than guessed: it is what Excel stores when someone types "3.6%"
    into a cell (0.036), and registering that as 0.036 % would be silently wrong.
    """
    if isinstance(value, (bool, datetime, date, time, timedelta)):
        raise reading.CellProblem("须为百分数，如 3.60")
    if isinstance(value, float):
        if not math.isfinite(value) or not 0 < value < 100:
            raise reading.CellProblem("须为大于零、小于 100 的百分数，如 3.60")
        if value < 1:
            raise reading.CellProblem(
                f"年利率以 % 为单位填写，如 3.60；单元格中的值是 {value!r}，像是设成了百分比格式，请改为常规格式后填写"
            )
        rate = Decimal(value).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
        if float(rate) != value:  # the double of a typed 4-place rate converts back to itself; nothing else does
            raise reading.CellProblem("最多四位小数；如由公式计算，请用 ROUND(…,4) 取整，或以文本格式填写")
        return rate
    return value


LOAN_COLUMNS = (
    "contract_no",
    "enterprise_uscc",
    "amount",
    "rate_percent",
    "contract_date",
    "drawdown_date",
    "maturity_date",
    "guarantees",
)
LOAN_SHEET_LABELS = {field: LOAN_LABELS[field] for field in LOAN_COLUMNS}
LOAN_REQUIRED = LOAN_COLUMNS[:-1]  # no guarantee at all (a pure credit loan) is allowed
LOAN_KINDS = {
    "contract_no": reading.text,
    "enterprise_uscc": reading.code,
    "amount": reading.money,
    "rate_percent": rate_percent,
    "contract_date": reading.day,
    "drawdown_date": reading.day,
    "maturity_date": reading.day,
    "guarantees": reading.text,
}
LOAN_SHEET = Sheet(LOAN_SHEET_LABELS, LOAN_REQUIRED, LOAN_KINDS, "enterprise_uscc", "贷款")
