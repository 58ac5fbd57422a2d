"""Policy versions: the numbers every rule reads, looked up by date (POLICY.md §2).

第二十二条 makes the policy valid to 2025-11-29 and adjusted yearly, so nothing is
hard-wired: a rule asks for the version in force on its date (a loan: the
contract date; a claim: the NPL-recognition date) and a date with none is an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import NoPolicyInForce, Violation

# 第四条: the five strategic emerging industries; "other" exists for the registry only.
INDUSTRIES: dict[str, str] = {
    "high_end_equipment": "高端装备",
    "new_materials": "新材料",
    "new_energy": "新能源",
    "new_medicine": "新医药",
    "next_gen_it": "新一代信息技术",
    "other": "其他",
}


@dataclass(frozen=True)
class PolicyParams:
    code: str
    name: str
    effective_from: date
    effective_to: date | None
    max_compensation_ratio: Decimal
    min_bank_share: Decimal
    rate_spread_bp: int
    max_term_months: int
    max_outstanding_per_enterprise: Decimal
    filing_working_days: int
    opinion_days: int
    payout_days: int
    npl_ratio_threshold: Decimal
    overdue_ratio_threshold: Decimal
    fund_scale: Decimal
    first_tranche: Decimal
    eligible_industries: tuple[str, ...]


TZ_2023_9 = PolicyParams(
    code="TZ-2023-9",
    name="台儿庄区“园区E贷”实施办法（试行）",
    effective_from=date(2023, 11, 30),
    effective_to=date(2025, 11, 29),  # 第二十二条
    max_compensation_ratio=Decimal("0.8000"),  # 第十四条
    min_bank_share=Decimal("0.2000"),  # 第五条（三）
    rate_spread_bp=60,  # 第五条（四）
    max_term_months=12,  # 第六条
    max_outstanding_per_enterprise=Decimal("5000000.00"),  # 第六条
    filing_working_days=5,  # 第十五条
    opinion_days=15,  # 第十六条
    payout_days=15,  # 第十六条
    npl_ratio_threshold=Decimal("0.0300"),  # 第十八条
    overdue_ratio_threshold=Decimal("0.0500"),  # 第十八条
    fund_scale=Decimal("100000000.00"),  # 第十四条
    first_tranche=Decimal("10000000.00"),  # 第十四条
    eligible_industries=(
        "high_end_equipment",
        "new_materials",
        "new_energy",
        "new_medicine",
        "next_gen_it",
    ),
)


def covers(params: PolicyParams, d: date) -> bool:
    """Whether the version is in force on d (both ends inclusive; no end = open-ended)."""
    if d < params.effective_from:
        return False
    return params.effective_to is None or d <= params.effective_to


def policy_in_force(versions: Iterable[PolicyParams], d: date) -> PolicyParams:
    """The version covering d; never a silent default (POLICY.md §2).

    Versions must not overlap (see overlapping); should bad data slip through,
    the one that started last wins, as the newer decision.
    """
    candidates = [v for v in versions if covers(v, d)]
    if not candidates:
        raise NoPolicyInForce(d)
    return max(candidates, key=lambda v: v.effective_from)


def _periods_overlap(a: PolicyParams, b: PolicyParams) -> bool:
    a_ends_after_b_starts = a.effective_to is None or a.effective_to >= b.effective_from
    b_ends_after_a_starts = b.effective_to is None or b.effective_to >= a.effective_from
    return a_ends_after_b_starts and b_ends_after_a_starts


def overlapping(versions: Iterable[PolicyParams]) -> list[tuple[str, str]]:
    """Pairs of version codes whose periods overlap; empty when the versions are consistent."""
    ordered = sorted(versions, key=lambda v: (v.effective_from, v.code))
    pairs: list[tuple[str, str]] = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if _periods_overlap(a, b):
                pairs.append((a.code, b.code))
    return pairs


def _ratio_problem(value: object, label: str, field: str) -> Violation | None:
    if not isinstance(value, Decimal) or not value.is_finite():
        return Violation("invalid_policy", f"{label}必须是精确小数", field=field)
    if not Decimal(0) <= value <= Decimal(1):
        return Violation("invalid_policy", f"{label}必须在 0 与 1 之间（当前 {value}）", field=field)
    return None


def _amount_problem(value: object, label: str, field: str) -> Violation | None:
    if not isinstance(value, Decimal) or not value.is_finite():
        return Violation("invalid_policy", f"{label}必须是精确金额", field=field)
    if value <= 0:
        return Violation("invalid_policy", f"{label}必须大于零（当前 {value}）", field=field)
    if value != value.quantize(Decimal("0.01")):
        return Violation("invalid_policy", f"{label}最多两位小数（当前 {value}）", field=field)
    return None


def _count_problem(value: object, label: str, field: str, minimum: int) -> Violation | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        bound = "大于零的整数" if minimum > 0 else "非负整数"
        return Violation("invalid_policy", f"{label}必须是{bound}（当前 {value}）", field=field)
    return None


def validate_params(params: PolicyParams) -> list[Violation]:
    """Every problem with a version an administrator is about to save."""
    found: list[Violation] = []
    if not params.code.strip():
        found.append(Violation("invalid_policy", "政策版本编号不能为空", field="code"))
    if not params.name.strip():
        found.append(Violation("invalid_policy", "政策名称不能为空", field="name"))
    if params.effective_to is not None and params.effective_to < params.effective_from:
        found.append(
            Violation(
                "invalid_policy",
                f"失效日期 {params.effective_to} 早于生效日期 {params.effective_from}",
                "第二十二条",
                "effective_to",
            )
        )
    checks = [
        _ratio_problem(params.max_compensation_ratio, "最高补偿比例", "max_compensation_ratio"),
        _ratio_problem(params.min_bank_share, "银行最低损失承担比例", "min_bank_share"),
        _ratio_problem(params.npl_ratio_threshold, "不良率阈值", "npl_ratio_threshold"),
        _ratio_problem(params.overdue_ratio_threshold, "逾期率阈值", "overdue_ratio_threshold"),
        _amount_problem(params.max_outstanding_per_enterprise, "单户贷款余额上限", "max_outstanding_per_enterprise"),
        _amount_problem(params.fund_scale, "资金池规模", "fund_scale"),
        _amount_problem(params.first_tranche, "首期资金", "first_tranche"),
        _count_problem(params.rate_spread_bp, "利率上浮基点", "rate_spread_bp", 0),
        _count_problem(params.max_term_months, "最长贷款期限（月）", "max_term_months", 1),
        _count_problem(params.filing_working_days, "申请补偿时限（工作日）", "filing_working_days", 1),
        _count_problem(params.opinion_days, "出具意见时限（日）", "opinion_days", 1),
        _count_problem(params.payout_days, "拨付时限（日）", "payout_days", 1),
    ]
    found.extend(v for v in checks if v is not None)
    if (
        isinstance(params.first_tranche, Decimal)
        and isinstance(params.fund_scale, Decimal)
        and params.first_tranche.is_finite()
        and params.fund_scale.is_finite()
        and params.first_tranche > params.fund_scale
    ):
        found.append(
            Violation(
                "invalid_policy",
                f"首期资金 {params.first_tranche} 超过资金池规模 {params.fund_scale}",
                "第十四条",
                "first_tranche",
            )
        )
    if not params.eligible_industries:
        found.append(Violation("invalid_policy", "至少需要一个支持行业", "第四条", "eligible_industries"))
    for industry in params.eligible_industries:
        if industry not in INDUSTRIES:
            found.append(Violation("invalid_policy", f"未知的行业代码：{industry}", "第四条", "eligible_industries"))
    return found
