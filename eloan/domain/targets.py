"""年度目标 (POLICY.md §15): the metrics a year's target may measure, how a typed target is read, whether
it is achieved, and the 完成情况 sentence of the government's table.

Targets are kept in the metric's own unit: amounts in 元 (Decimal, 2 places), counts as whole numbers,
ratios as fractions between 0 and 1 (0.03 = 3%). A ceiling (npl_ratio_max) is achieved when the actual
is at or below it; every other target when the actual reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .calendar import chinese_date
from .errors import Violation
from .money import _trim, format_percent, ungrouped

AMOUNT, COUNT, RATIO, TEXT = "amount", "count", "ratio", "text"


@dataclass(frozen=True)
class Metric:
    code: str
    label: str  # how 完成情况 names it
    kind: str  # amount | count | ratio | text
    unit: str = ""  # the count's unit (笔, 户, 家)
    ceiling: bool = False  # achieved when actual ≤ target


METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric("new_loan_amount", "新增贷款", AMOUNT),
        Metric("new_loan_count", "新增贷款", COUNT, "笔"),
        Metric("enterprises_served", "服务企业", COUNT, "户"),
        Metric("active_banks", "合作银行", COUNT, "家"),
        Metric("fund_appropriated", "财政拨入风险补偿资金", AMOUNT),
        Metric("npl_ratio_max", "不良率", RATIO, ceiling=True),
        Metric("claims_on_time_share", "按期出具补偿意见比例", RATIO),
        Metric("text", "文字目标", TEXT),
    )
}
# How the set form names each choice.
METRIC_CHOICES: dict[str, str] = {
    "new_loan_amount": "新增贷款金额（元）",
    "new_loan_count": "新增贷款笔数",
    "enterprises_served": "服务企业户数",
    "active_banks": "合作银行家数",
    "fund_appropriated": "财政拨入资金（元）",
    "npl_ratio_max": "不良率上限（如 0.03 即 3%）",
    "claims_on_time_share": "按期出具意见比例（如 0.95 即 95%）",
    "text": "文字目标（不计量）",
}

_YI = Decimal(100_000_000)
_WAN = Decimal(10_000)
_TENTH = Decimal("0.1")


# The units a target may be typed in, with what one of them is in the metric's own unit.
AMOUNT_UNITS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
RATIO_UNITS: dict[str, Decimal] = {"": Decimal(1), "%": Decimal("0.01")}


def _units(m: Metric) -> dict[str, Decimal]:
    if m.kind == AMOUNT:
        return AMOUNT_UNITS
    if m.kind == RATIO:
        return RATIO_UNITS
    return {"": Decimal(1), m.unit: Decimal(1)}


def parse_target(
    metric: str, value: object, unit: str | None = None, field: str = "target"
) -> tuple[Decimal | None, list[Violation]]:
    """The typed target of `metric` in the metric's unit (元, a whole count, a ratio 0–1), or the
    violations saying why not. `unit` is what it was typed in: 元 (default), 万元 or 亿元 for an amount,
    "%" for a ratio (else a fraction: 0.03). A `text` item takes no target."""
    m = METRICS.get(metric)
    if not metric:
        return None, [Violation("metric_required", "请选择目标类别（计量指标或文字目标）。", None, "metric")]
    if m is None:
        choices = "、".join(METRICS)
        return None, [Violation("unknown_metric", f"未知的目标类别“{metric}”，可选：{choices}。", None, "metric")]
    blank = value is None or (isinstance(value, str) and not value.strip())
    if m.kind == TEXT:
        if not blank:
            return None, [Violation("target_not_allowed", "文字目标不计量，请不要填写目标值。", None, field)]
        return None, []
    if blank:
        return None, [Violation("target_required", f"{METRIC_CHOICES[metric]}须填写目标值。", None, field)]
    units = _units(m)
    unit = (unit or "").strip() or ("元" if m.kind == AMOUNT else "")
    if unit not in units:
        allowed = "、".join(u or "（不填）" for u in units)
        return None, [Violation("invalid_unit", f"目标单位“{unit}”不适用于{m.label}，可选：{allowed}。", None, "unit")]
    text = ungrouped(str(value).strip()) if m.kind == AMOUNT else str(value).strip()
    if isinstance(value, bool | float) or not re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,8})?", text):
        what = "非负整数" if m.kind == COUNT else "不带符号的数字（如 1.5）"
        return None, [Violation("invalid_target", f"目标值须为{what}，“{value}”不是。", None, field)]
    target = Decimal(text) * units[unit]
    if m.kind == COUNT and target != target.to_integral_value():
        return None, [Violation("invalid_target", f"目标{m.unit}数须为整数，“{value}”不是。", None, field)]
    if m.kind == AMOUNT and target != target.quantize(Decimal("0.01")):
        return None, [Violation("invalid_target", f"目标金额精确到分，“{value}{unit}”超出。", None, field)]
    if m.kind == RATIO:
        if target > 1:
            return None, [
                Violation("invalid_target", f"目标比例须在 0 与 100% 之间，“{value}{unit}”超出。", None, field)
            ]
        if target != target.quantize(Decimal("0.0001")):
            return None, [Violation("invalid_target", f"目标比例精确到 0.01%，“{value}{unit}”超出。", None, field)]
        return target.quantize(Decimal("0.0001")), []
    return (target.quantize(Decimal("0.01")) if m.kind == AMOUNT else Decimal(int(target))), []


def achieved(metric: str, actual: Decimal | int | None, target: Decimal | None) -> bool | None:
    """Whether the target is met; None for a text item or when the actual cannot be measured."""
    m = METRICS[metric]
    if m.kind == TEXT or actual is None or target is None:
        return None
    return actual <= target if m.ceiling else actual >= target


def _amount(yuan: Decimal, in_yi: bool) -> str:
    """In 亿元 or 万元, up to two decimals, trailing zeros trimmed: 123000000 → "1.23 亿元"."""
    divisor, unit = (_YI, "亿元") if in_yi else (_WAN, "万元")
    return f"{_trim((Decimal(yuan) / divisor).quantize(Decimal('0.01'), ROUND_HALF_UP))} {unit}"


def _share(actual: Decimal, target: Decimal) -> str:
    return f"{(Decimal(actual) * 100 / target).quantize(_TENTH, ROUND_HALF_UP)}%"


def progress_text(metric: str, actual: Decimal | int | None, target: Decimal | None, as_of: date) -> str:
    """完成情况 as the table writes it, e.g. "新增贷款 1.23 亿元，完成目标 1.5 亿元的 82.0%（截至2025年10月15日）";
    empty for a text item (the responsible unit reports it under 存在问题 / 下步打算)."""
    m = METRICS[metric]
    if m.kind == TEXT or target is None:
        return ""
    when = f"（截至{chinese_date(as_of)}）"
    if m.kind == RATIO:
        goal = f"目标{'不高于' if m.ceiling else '不低于'} {format_percent(target)}"
        if actual is None:
            reason = "尚无在贷余额，不良率无从计算" if m.ceiling else "尚无出具意见的补偿申请"
            return f"{reason}，{goal}{when}"
        verdict = "已达到目标" if achieved(metric, actual, target) else "未达到目标"
        return f"{m.label} {format_percent(actual)}，{goal}，{verdict}{when}"
    if m.kind == AMOUNT:
        in_yi = max(Decimal(target), Decimal(actual or 0)) >= _YI
        done, goal = _amount(Decimal(actual or 0), in_yi), _amount(target, in_yi)
    else:
        done, goal = f"{int(actual or 0)} {m.unit}", f"{int(target)} {m.unit}"
    if target == 0:
        return f"{m.label} {done}，目标 {goal}{when}"
    return f"{m.label} {done}，完成目标 {goal}的 {_share(Decimal(actual or 0), Decimal(target))}{when}"
