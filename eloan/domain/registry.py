"""What an enterprise record must hold, parsed from a form, an API body or an Excel row (第三、四条).

One parser for every door, so a rule about the registry is written once. Input values may be
strings (forms, Excel) or typed values (JSON); codes or Chinese labels are accepted for the
enumerations, since the development zone's spreadsheets use the labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .errors import Violation
from .money import AmountError, parse_amount
from .policy import INDUSTRIES
from .sme import SIZE_LABELS, size_class
from .uscc import normalise_uscc, uscc_problem

MU_CLASSES = ("A", "B", "C", "D")
# The registry's column sizes (models/enterprises.py), checked here so every door gives a clear message.
MAX_LENGTH = {"name": 200, "legal_rep": 50, "phone": 30, "address": 200}
MAX_EMPLOYEES = 2**31 - 1
MU_YEAR_MIN, MU_YEAR_MAX = 2000, 2100
_TRUE = {"1", "true", "yes", "y", "是", "√", "区内", "在区内"}
_FALSE = {"0", "false", "no", "n", "否", "×", "区外", "不在区内"}


@dataclass(frozen=True)
class EnterpriseData:
    uscc: str
    name: str
    industry: str
    size_class: str | None
    size_class_given: bool
    in_zone: bool
    special_approval_note: str | None
    established_on: date | None
    employees: int | None
    revenue: Decimal | None
    tax_sales: Decimal | None
    mu_class: str | None
    mu_year: int | None
    legal_rep: str | None
    phone: str | None
    address: str | None


FIELD_LABELS = {
    "uscc": "统一社会信用代码",
    "name": "企业名称",
    "industry": "所属行业",
    "size_class": "企业规模",
    "in_zone": "是否在开发区内",
    "special_approval_note": "特别优质认定意见",
    "established_on": "成立日期",
    "employees": "从业人员（人）",
    "revenue": "营业收入（元）",
    "tax_sales": "纳税销售收入（元）",
    "mu_class": "亩产效益类别",
    "mu_year": "亩产效益评价年度",
    "legal_rep": "法定代表人",
    "phone": "联系电话",
    "address": "地址",
}
ENTERPRISE_FIELDS = tuple(f.name for f in fields(EnterpriseData) if f.name != "size_class_given")


def _clean(value: Any) -> Any:
    """Strings stripped (empty → None); typed values (bool, int, Decimal, date) kept; float refused."""
    if isinstance(value, float):
        raise TypeError("float")
    if isinstance(value, str):
        return value.strip() or None
    return value


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _enum(value: Any, labels: Mapping[str, str]) -> str | None:
    if value is None:
        return None
    value = str(value)
    if value in labels:
        return value
    by_label = {label: code for code, label in labels.items()}
    return by_label.get(value) or by_label.get(value.removesuffix("企业"))


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    return int(str(value).replace(",", ""))


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10].replace("/", "-"))


def parse_enterprise_data(raw: Mapping[str, Any]) -> tuple[EnterpriseData | None, list[Violation]]:
    """Every problem with `raw` at once, or the clean record."""
    problems: list[Violation] = []

    def bad(field: str, message: str, code: str = "invalid_field") -> None:
        problems.append(Violation(code, f"{FIELD_LABELS[field]}：{message}", None, field))

    try:
        v = {k: _clean(raw.get(k)) for k in ENTERPRISE_FIELDS}
    except TypeError:
        return None, [Violation("invalid_field", "数值不能是浮点数，请用字符串或整数", None, None)]

    def parsed(field: str, parse, message: str):
        if v[field] is None:
            return None
        try:
            return parse(v[field])
        except AmountError as exc:
            bad(field, "金额超出范围" if exc.out_of_range else message)
            return None
        except (ValueError, ArithmeticError):
            bad(field, message)
            return None

    uscc = normalise_uscc(str(v["uscc"] or ""))
    problem = uscc_problem(uscc) if uscc else "不能为空"
    if problem:
        problems.append(Violation("invalid_uscc", f"统一社会信用代码“{uscc}”无效：{problem}", "第三条", "uscc"))
    name = v["name"] and str(v["name"])
    if not name:
        bad("name", "不能为空")
    for field, limit in MAX_LENGTH.items():
        if v[field] is not None and len(str(v[field])) > limit:
            bad(field, f"不超过 {limit} 个字符")

    industry = _enum(v["industry"], INDUSTRIES)
    if industry is None:
        bad("industry", "请选择：" + "、".join(INDUSTRIES.values()))
    size = _enum(v["size_class"], SIZE_LABELS)
    if v["size_class"] is not None and size is None:
        bad("size_class", "请填写 大型、中型、小型 或 微型")

    in_zone = v["in_zone"]
    if not isinstance(in_zone, bool):
        flag = str(in_zone if in_zone is not None else "是").lower()
        in_zone = True if flag in _TRUE else False if flag in _FALSE else None
        if in_zone is None:
            bad("in_zone", "请填写“是”或“否”")

    established = parsed("established_on", _date, "请使用 YYYY-MM-DD 格式")
    employees = parsed("employees", _integer, "须为不小于零的整数")
    if employees is not None and not 0 <= employees <= MAX_EMPLOYEES:
        bad("employees", "须为不小于零的整数")
    revenue = parsed("revenue", parse_amount, "须为不小于零、最多两位小数的金额（元）")
    tax_sales = parsed("tax_sales", parse_amount, "须为不小于零、最多两位小数的金额（元）")
    mu_year = parsed("mu_year", _integer, "须为年份，如 2024")
    if mu_year is not None and not MU_YEAR_MIN <= mu_year <= MU_YEAR_MAX:
        bad("mu_year", "须为年份，如 2024")
    mu_class = str(v["mu_class"]).upper().removesuffix("类") if v["mu_class"] is not None else None
    if mu_class is not None:
        if mu_class not in MU_CLASSES:
            bad("mu_class", "请填写 A、B、C 或 D")
        elif mu_year is None:
            bad("mu_year", "填写亩产效益类别时须注明评价年度")

    if problems:
        return None, problems
    size_given = size is not None
    if size is None and employees is not None and revenue is not None:
        size = size_class(employees, revenue)
    return EnterpriseData(
        uscc=uscc,
        name=name,
        industry=industry,
        size_class=size,
        size_class_given=size_given,
        in_zone=in_zone,
        special_approval_note=_str(v["special_approval_note"]),
        established_on=established,
        employees=employees,
        revenue=revenue,
        tax_sales=tax_sales,
        mu_class=mu_class,
        mu_year=mu_year,
        legal_rep=_str(v["legal_rep"]),
        phone=_str(v["phone"]),
        address=_str(v["address"]),
    ), []


def mu_label(mu_class: str | None, mu_year: int | None) -> str:
    """The class with its evaluation year, as the forms print it: A（2024）."""
    if not mu_class:
        return ""
    return f"{mu_class}（{mu_year}）" if mu_year else mu_class
