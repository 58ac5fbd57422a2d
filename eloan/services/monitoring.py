"""Automatic suspension and resumption of banks on their ratios (第十八条; POLICY.md §9).

Called by the daily job inside its transaction. A bank over either threshold — its own, or the
programme's, which suspends every bank — is suspended from that date; one the job suspended is
resumed when its own and the programme's ratios are back at or under both. Decisions by hand are
respected this way:
- a suspension by 区财政局 is never lifted by the job; when the figures would allow it, 区财政局 is
  told once, and decides;
- a bank resumed by hand while still over a threshold is suspended again (第十八条 leaves no
  discretion), and the record and the notice say that this overrides the manual resumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from eloan.domain.errors import NoPolicyInForce
from eloan.domain.money import format_money, format_percent, format_percent_precise
from eloan.domain.policy import PolicyParams
from eloan.domain.ratios import Ratios, breaches
from eloan.domain.states import BANKS_IN_PROGRAMME
from eloan.extensions import db
from eloan.models import Bank, BankStatusChange, Loan
from eloan.services import banks, notifications
from eloan.services.reference import policy_on

_LABELS = {"npl_ratio": "不良率", "overdue_ratio": "逾期率"}


@dataclass(frozen=True)
class Decision:
    bank_code: str
    action: str  # suspended | resumed | manual_hold (a manual suspension the figures would lift)
    reason: str


@dataclass(frozen=True)
class Thresholds:
    """The policy in force on the day, or why there is none (then nothing can be judged over)."""

    policy: PolicyParams | None
    problem: str | None

    def over(self, r: Ratios) -> tuple[str, ...]:
        return tuple(breaches(r, self.policy)) if self.policy else ()


def thresholds_on(day: date) -> Thresholds:
    try:
        return Thresholds(policy_on(day), None)
    except NoPolicyInForce:
        return Thresholds(
            None,
            f"{day.year}年{day.month}月{day.day}日没有有效的政策版本，无法判断是否超过第十八条的"
            "不良率、逾期率阈值（下列比例照常计算）。请系统管理员新增或延长政策版本（第二十二条）。",
        )


def _describe(r: Ratios, over: list[str], policy: PolicyParams, who: str) -> str:
    limits = {
        "npl_ratio": (r.npl_ratio, policy.npl_ratio_threshold),
        "overdue_ratio": (r.overdue_ratio, policy.overdue_ratio_threshold),
    }
    parts = [f"{_LABELS[k]} {format_percent_precise(limits[k][0])}，超过 {format_percent(limits[k][1])}" for k in over]
    return f"{who}" + "；".join(parts) + f"（贷款余额 {format_money(r.outstanding)}）"


def _within(r: Ratios, policy: PolicyParams, who: str) -> str:
    if r.outstanding == 0:
        return f"{who}已无“园区E贷”贷款余额"
    return (
        f"{who}不良率 {format_percent_precise(r.npl_ratio)}、逾期率 {format_percent_precise(r.overdue_ratio)}，"
        f"均未超过 {format_percent(policy.npl_ratio_threshold)} 和 {format_percent(policy.overdue_ratio_threshold)}"
    )


def _figures(day: date, r: Ratios) -> dict:
    return {
        "outstanding": r.outstanding,
        "npl_balance": r.npl_balance,
        "overdue_balance": r.overdue_balance,
        "npl_ratio": r.npl_ratio,
        "overdue_ratio": r.overdue_ratio,
        "job_date": day,
    }


def _last_change(bank: Bank) -> BankStatusChange | None:
    return db.session.scalars(
        select(BankStatusChange).where(BankStatusChange.bank_id == bank.id).order_by(BankStatusChange.id.desc())
    ).first()


def apply_thresholds(day: date, policy: PolicyParams, by_bank: dict[int, Ratios], programme: Ratios) -> list[Decision]:
    """Suspend and resume as 第十八条 requires on `day`; returns what was done (no commit)."""
    programme_over = breaches(programme, policy)
    decisions: list[Decision] = []
    candidates = db.session.scalars(select(Bank).where(Bank.status.in_(BANKS_IN_PROGRAMME)).order_by(Bank.code)).all()
    for bank in candidates:
        own = by_bank[bank.id]
        own_over = breaches(own, policy)
        last = _last_change(bank)
        if bank.status == "active" and (own_over or programme_over):
            causes = []
            if own_over:
                causes.append(_describe(own, own_over, policy, "本行"))
            if programme_over:
                causes.append(_describe(programme, programme_over, policy, "全区“园区E贷”整体"))
            reason = (
                f"{day} 监测："
                + "；".join(causes)
                + "。依第十八条自即日起暂停新增“园区E贷”，此前发放的贷款仍享受风险补偿。"
            )
            if last is not None and last.source == "manual" and last.to_status == "active":
                reason += (
                    f"（该行曾于 {last.effective_on} 由区财政局人工恢复合作，因指标仍超标，系统按第十八条再次暂停。）"
                )
            banks.change_status(
                None,
                bank.code,
                "suspended",
                reason,
                source="daily_job",
                effective_on=day,
                figures=_figures(day, own),
                commit=False,
            )
            decisions.append(Decision(bank.code, "suspended", reason))
        elif bank.status == "suspended" and not own_over and not programme_over:
            if last is not None and last.source == "daily_job":
                reason = (
                    f"{day} 监测："
                    + _within(own, policy, "本行")
                    + "；"
                    + _within(programme, policy, "全区整体")
                    + "。依第十八条恢复合作。"
                )
                banks.change_status(
                    None,
                    bank.code,
                    "active",
                    reason,
                    source="daily_job",
                    effective_on=day,
                    figures=_figures(day, own),
                    commit=False,
                )
                decisions.append(Decision(bank.code, "resumed", reason))
            elif last is not None:
                decisions.append(_tell_manual_hold(day, bank, last, own, policy))
    return decisions


def _tell_manual_hold(
    day: date, bank: Bank, suspension: BankStatusChange, own: Ratios, policy: PolicyParams
) -> Decision:
    """A manual suspension stays; 区财政局 hears once per suspension that the figures no longer require it."""
    reason = (
        f"“{bank.name}”系区财政局于 {suspension.effective_on} 人工暂停（理由：{suspension.reason}）。"
        f"{day} 监测：" + _within(own, policy, "本行") + "。系统不自动恢复人工暂停，如可恢复，请在银行页面办理。"
    )
    notifications.notify(
        notifications.users_with_roles("finance"),
        "bank_manual_hold",
        f"“{bank.name}”指标已回落，仍处于人工暂停",
        reason,
        f"/banks/{bank.code}",
        dedupe_key=f"bank-manual-hold:{suspension.id}",
    )
    return Decision(bank.code, "manual_hold", reason)


def matured_unreported(day: date, bank_id: int | None = None) -> dict[int, int]:
    """Per bank, loans past maturity with principal outstanding that the bank still reports as normal:
    until it records the repayment or the overdue, its ratios understate the risk (第十八条)."""
    stmt = (
        select(Loan.bank_id, func.count(Loan.id))
        .where(Loan.maturity_date < day, Loan.status == "normal", Loan.outstanding_principal > 0)
        .group_by(Loan.bank_id)
    )
    if bank_id is not None:
        stmt = stmt.where(Loan.bank_id == bank_id)
    return dict(db.session.execute(stmt).all())


def remind_matured_unreported(day: date) -> int:
    """Tell each such bank, once a week while it lasts, how many loans it has to bring up to date."""
    year, week, _ = day.isocalendar()
    told = 0
    for bank_id, count in matured_unreported(day).items():
        told += notifications.notify(
            notifications.users_with_roles("bank", bank_id=bank_id),
            "loans_matured_unreported",
            f"{count} 笔贷款已到期但未登记还款或逾期",
            f"截至 {day}，贵行有 {count} 笔“园区E贷”贷款已过到期日、仍有本金余额且状态为正常。"
            "请登记还款，或登记逾期；不良率、逾期率按登记的情况每日计算（第十八条）。",
            "/loans?matured_unreported=1",
            dedupe_key=f"matured-unreported:{bank_id}:{year}-W{week:02d}",
        )
    return told
