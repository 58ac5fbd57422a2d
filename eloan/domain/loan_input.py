"""What a loan registration must hold, parsed from a form, an API body or an Excel row (第六、七条)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .eligibility import ALLOWED_GUARANTEES
from .errors import Violation
from .money import AmountError, parse_amount, parse_rate
from .uscc import normalise_uscc

LOAN_LABELS = {
    "contract_no": "合同编号",
    "enterprise_uscc": "借款企业统一社会信用代码",
    "amount": "贷款金额（元）",
    "rate_percent": "年利率（%）",
    "contract_date": "合同签订日",
    "drawdown_date": "提款日",
    "maturity_date": "到期日",
    "guarantees": "担保方式",
}


@dataclass(frozen=True)
class LoanInput:
    contract_no: str
    enterprise_uscc: str
    amount: Decimal
    rate_percent: Decimal
    contract_date: date
    drawdown_date: date
    maturity_date: date
    guarantees: tuple[str, ...]


def _guarantees(value: Any) -> tuple[str, ...]:
    """Codes or Chinese labels, as a list or one text separated by 、，,; (a spreadsheet cell)."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else re.split(r"[、，,；;\s]+", str(value))
    by_label = {label: code for code, label in ALLOWED_GUARANTEES.items()}
    return tuple(by_label.get(str(i).strip(), str(i).strip()) for i in items if str(i).strip())


def parse_loan_input(raw: Mapping[str, Any]) -> tuple[LoanInput | None, list[Violation]]:
    problems: list[Violation] = []

    def bad(field: str, message: str) -> None:
        problems.append(Violation("invalid_field", f"{LOAN_LABELS[field]}：{message}", None, field))

    def text(field: str) -> str:
        value = raw.get(field)
        return "" if value is None else str(value).strip()

    contract_no = text("contract_no")
    if not contract_no or len(contract_no) > 60:
        bad("contract_no", "不能为空，且不超过 60 个字符")
    uscc = normalise_uscc(text("enterprise_uscc"))
    if not uscc:
        bad("enterprise_uscc", "不能为空")

    def number(field: str, parse, message: str) -> Decimal | None:
        value = raw.get(field)
        if isinstance(value, float):
            bad(field, "请以字符串填写金额或利率，不接受浮点数")
            return None
        try:
            result = parse(value, "")
        except AmountError as exc:
            # The parser says what is wrong ("最多 2 位小数", "含全角字符" …); the field's label leads.
            bad(field, str(exc).removesuffix("。"))
            return None
        if result <= 0:
            bad(field, message)
            return None
        return result

    amount = number("amount", parse_amount, "须为大于零、最多两位小数的金额")
    rate = number("rate_percent", parse_rate, "须为大于零、小于 100、最多四位小数的百分数，如 3.60")

    def day(field: str) -> date | None:
        value = raw.get(field)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value or "").strip()[:10].replace("/", "-"))
        except ValueError:
            bad(field, "请使用 YYYY-MM-DD 格式")
            return None

    contract_date, drawdown_date, maturity_date = day("contract_date"), day("drawdown_date"), day("maturity_date")
    guarantees = _guarantees(raw.get("guarantees"))
    if problems:
        return None, problems
    return LoanInput(contract_no, uscc, amount, rate, contract_date, drawdown_date, maturity_date, guarantees), []
