"""Who may take part and which loans count (第三至八条, 第十二条, 第十八、十九条).

Each check takes plain facts and returns every violated rule at once, as
Violation(code, Chinese message naming the numbers, article, form field), so a
bank sees all its mistakes in one go (POLICY.md §6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .bank_standing import agreement_state
from .calendar import add_months
from .errors import Violation
from .money import CENT, format_money, format_percent, format_rate
from .policy import INDUSTRIES, PolicyParams
from .sme import SIZE_LABELS
from .states import BANK_STATUSES

# 第七条: only joint-liability guarantees by these persons may be required.
ALLOWED_GUARANTEES: dict[str, str] = {
    "legal_rep": "法定代表人",
    "controlling_shareholder": "控股股东",
    "spouse": "配偶",
    "actual_controller": "实际控制人",
}

_BANK_STATUS_ARTICLES = {"suspended": "第十八条", "disqualified": "第十九条"}


@dataclass(frozen=True)
class EnterpriseFacts:
    uscc: str
    name: str
    industry: str
    size_class: str
    in_zone: bool
    special_approval_note: str | None
    mu_class: str | None
    sanctioned: bool


@dataclass(frozen=True)
class BankFacts:
    code: str
    name: str
    status: str
    loss_share: Decimal
    agreement_from: date | None
    agreement_to: date | None
    branch_in_district: bool
    product_recognised: bool


@dataclass(frozen=True)
class LoanFacts:
    contract_no: str
    amount: Decimal
    rate_percent: Decimal
    contract_date: date
    drawdown_date: date
    maturity_date: date
    guarantees: tuple[str, ...]


def check_enterprise(facts: EnterpriseFacts, policy: PolicyParams) -> list[Violation]:
    """Reasons the enterprise may not be listed or lent to."""
    found: list[Violation] = []
    code = "enterprise_ineligible"
    if facts.sanctioned:
        found.append(
            Violation(
                code,
                f"企业“{facts.name}”因“园区E贷”违约正受惩戒，暂停享受优惠政策",
                "第十四条、第十七条",
            )
        )
    if facts.mu_class == "D":
        # 亩产效益评价方案“实施差别化信贷”: D类 is restricted, so it is not a 优质客户 (第九条).
        found.append(Violation(code, f"企业“{facts.name}”亩产效益评价为D类（限制发展类），不予推荐", "第九条"))
    if facts.size_class == "large":
        found.append(
            Violation(
                code,
                f"企业“{facts.name}”为{SIZE_LABELS['large']}企业，“园区E贷”只支持中小微企业",
                "第三条",
                "size_class",
            )
        )
    elif facts.size_class not in SIZE_LABELS:
        found.append(Violation(code, f"企业“{facts.name}”的企业规模未知：{facts.size_class}", "第三条", "size_class"))
    if facts.industry not in policy.eligible_industries:
        label = INDUSTRIES.get(facts.industry, facts.industry)
        allowed = "、".join(INDUSTRIES.get(i, i) for i in policy.eligible_industries)
        found.append(
            Violation(
                code,
                f"企业“{facts.name}”所属行业“{label}”不在支持范围（{allowed}）",
                "第四条",
                "industry",
            )
        )
    if not facts.in_zone and not (facts.special_approval_note or "").strip():
        # 第三条: outside the development zone only "特别优质" enterprises, by explicit approval.
        found.append(
            Violation(
                code,
                f"企业“{facts.name}”不在经济开发区内，且没有“特别优质”认定意见",
                "第三条",
                "special_approval_note",
            )
        )
    return found


def check_bank_admission(bank: BankFacts, policy: PolicyParams) -> list[Violation]:
    """Conditions to become a cooperating bank (第五条, 第十二条)."""
    found: list[Violation] = []
    if bank.loss_share < policy.min_bank_share:
        found.append(
            Violation(
                "loss_share_too_low",
                f"银行损失承担比例 {format_percent(bank.loss_share)} "
                f"低于最低要求 {format_percent(policy.min_bank_share)}",
                "第五条（三）",
                "loss_share",
            )
        )
    if bank.loss_share > Decimal(1):
        found.append(
            Violation(
                "invalid_loss_share",
                f"银行损失承担比例 {format_percent(bank.loss_share)} 超过 100%",
                "第五条（三）",
                "loss_share",
            )
        )
    if not bank.branch_in_district:
        found.append(
            Violation(
                "branch_not_in_district",
                f"“{bank.name}”在台儿庄区没有分支机构",
                "第五条（一）",
                "branch_in_district",
            )
        )
    if not bank.product_recognised:
        found.append(
            Violation(
                "product_not_recognised",
                f"“{bank.name}”的“园区E贷”产品尚未经四部门联合认定",
                "第十二条",
                "product_recognised",
            )
        )
    if bank.agreement_from is not None and bank.agreement_to is not None and bank.agreement_to < bank.agreement_from:
        found.append(
            Violation(
                "invalid_dates",
                f"合作协议截止日 {bank.agreement_to} 早于起始日 {bank.agreement_from}",
                "第十二条",
                "agreement_to",
            )
        )
    return found


def _agreement_refusal(bank: BankFacts, state: str, on_date: date) -> str:
    """Why the agreement stops a loan on the date, in words that say what to do (第十二条)."""
    if state == "expired":
        return (
            f"“{bank.name}”的合作协议已于 {bank.agreement_to} 到期，{on_date} 不得发放“园区E贷”；"
            "续签协议并更新协议期限后方可登记"
        )
    if state == "not_started":
        return f"“{bank.name}”的合作协议自 {bank.agreement_from} 起生效，{on_date} 尚未生效，不得发放“园区E贷”"
    return f"“{bank.name}”没有填写合作协议期限，不得发放“园区E贷”；请先补充合作协议信息"


def bank_status_on(history: Iterable[tuple[date, int, str, str | None]], on_date: date, current: str) -> str:
    """The bank's status on a date from its dated changes (effective_on, order, to_status, from_status).

    第十八条 refuses loans drawn down while suspended and keeps those drawn before, so a loan registered
    late is judged by the status on its drawdown date; disqualification (第十九条) refuses everything after it.
    """
    if current == "disqualified":
        return current
    history = sorted(history)
    earlier = [h for h in history if h[0] <= on_date]
    if earlier:
        return earlier[-1][2]
    return (history[0][3] or current) if history else current  # before the first recorded change


def check_bank_can_lend(bank: BankFacts, on_date: date) -> list[Violation]:
    """Whether the bank may make programme loans on the date (第十二、十八、十九条)."""
    found: list[Violation] = []
    if bank.status != "active":
        label = BANK_STATUSES.get(bank.status, bank.status)
        found.append(
            Violation(
                "bank_not_active",
                f"“{bank.name}”在 {on_date} 的合作状态为“{label}”，不得发放“园区E贷”",
                _BANK_STATUS_ARTICLES.get(bank.status, "第十八条"),
            )
        )
    agreement = agreement_state(bank.agreement_from, bank.agreement_to, on_date)
    if agreement != "in_force":
        found.append(Violation("bank_not_active", _agreement_refusal(bank, agreement, on_date), "第十二条"))
    return found


def rate_cap_percent(lpr_percent: Decimal, spread_bp: int) -> Decimal:
    """LPR + spread: 100 basis points are one percentage point (第五条（四）)."""
    return lpr_percent + Decimal(spread_bp) / Decimal(100)


def _check_amount_and_dates(loan: LoanFacts) -> list[Violation]:
    found: list[Violation] = []
    if loan.amount <= 0 or loan.amount != loan.amount.quantize(CENT):
        found.append(
            Violation("invalid_amount", f"贷款金额 {loan.amount} 无效：须为大于零、最多两位小数的金额", None, "amount")
        )
    if loan.drawdown_date < loan.contract_date:
        found.append(
            Violation(
                "invalid_dates",
                f"提款日 {loan.drawdown_date} 早于合同签订日 {loan.contract_date}",
                None,
                "drawdown_date",
            )
        )
    if loan.maturity_date <= loan.drawdown_date:
        found.append(
            Violation(
                "invalid_dates",
                f"到期日 {loan.maturity_date} 须晚于提款日 {loan.drawdown_date}",
                None,
                "maturity_date",
            )
        )
    return found


def cap_exceeded(amount: Decimal, cap: Decimal, outstanding_at_all_banks: Decimal) -> Violation:
    """The refusal of 第六条's cap as the refused bank may read it: the cap and what is left under it.

    Never the balance itself: it sums the other banks' loans, which a bank may not learn (issue 10).
    """
    headroom = max(cap - outstanding_at_all_banks, Decimal("0.00"))
    return Violation(
        "enterprise_cap_exceeded",
        f"该企业在“园区E贷”下的贷款余额（各合作银行合计）上限为 {format_money(cap)}，本笔 {format_money(amount)} "
        f"超出目前可用额度 {format_money(headroom)}；请减少金额，或待企业还款后再登记",
        "第六条",
        "amount",
    )


def check_loan(
    loan: LoanFacts,
    *,
    policy: PolicyParams,
    lpr_percent: Decimal,
    on_list: bool,
    enterprise: EnterpriseFacts,
    bank: BankFacts,
    outstanding_at_all_banks: Decimal,
) -> list[Violation]:
    """Every reason a loan may not be registered (POLICY.md §6).

    policy is the version in force on the contract date, lpr_percent the 1-year
    LPR in force on it, outstanding_at_all_banks the enterprise's programme
    balance at every bank before this loan.
    """
    found = _check_amount_and_dates(loan)

    if not on_list:
        found.append(
            Violation(
                "not_on_list",
                f"企业“{enterprise.name}”不在 {loan.contract_date} 有效的推荐企业名单内",
                "第十条",
                "enterprise_uscc",
            )
        )
    for v in check_enterprise(enterprise, policy):
        found.append(Violation(v.code, v.message, v.article, "enterprise_uscc"))

    found.extend(check_bank_can_lend(bank, loan.drawdown_date))

    latest_maturity = add_months(loan.drawdown_date, policy.max_term_months)
    if loan.maturity_date > latest_maturity:
        found.append(
            Violation(
                "term_too_long",
                f"到期日 {loan.maturity_date} 晚于提款日后 {policy.max_term_months} 个月（最迟 {latest_maturity}）",
                "第六条",
                "maturity_date",
            )
        )

    if loan.amount > 0:
        cap = policy.max_outstanding_per_enterprise
        if outstanding_at_all_banks + loan.amount > cap:
            found.append(cap_exceeded(loan.amount, cap, outstanding_at_all_banks))

    cap_rate = rate_cap_percent(lpr_percent, policy.rate_spread_bp)
    if loan.rate_percent > cap_rate:
        found.append(
            Violation(
                "rate_above_cap",
                f"贷款利率 {format_rate(loan.rate_percent)} 超过上限 {format_rate(cap_rate)}"
                f"（LPR {format_rate(lpr_percent)} + {policy.rate_spread_bp}个基点）",
                "第五条",
                "rate_percent",
            )
        )

    refused = [g for g in loan.guarantees if g not in ALLOWED_GUARANTEES]
    if refused:
        allowed = "、".join(ALLOWED_GUARANTEES.values())
        found.append(
            Violation(
                "guarantee_not_allowed",
                f"不允许的担保方式：{'、'.join(refused)}（只限{allowed}提供的连带责任保证）",
                "第七条",
                "guarantees",
            )
        )
    return found
