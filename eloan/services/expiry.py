"""The policy version in force and the bank agreements nearing their end (POLICY.md §16).

The home pages read policy_ending() and agreements_ending(); the daily job calls send_notices() for
its run date. A notice step (60, 30, 7 days) is sent to each person once: the notification's dedupe
key names the thing, its end date and the step, so a second run of the same date, or a catch-up run,
finds it sent; a new end date (a renewed agreement, a prolonged version) starts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation
from eloan.domain.expiry import WARN_FROM_DAYS, Expiry, days_left_text, expiry
from eloan.domain.roles import who_may
from eloan.extensions import db
from eloan.models import Bank
from eloan.services import notifications, reference
from eloan.services.access import can, scope


@dataclass(frozen=True)
class PolicyEnding:
    code: str
    name: str
    expiry: Expiry


@dataclass(frozen=True)
class AgreementEnding:
    bank: Bank
    expiry: Expiry


def policy_ending(on: date) -> PolicyEnding | None:
    """The version in force on `on` if it ends within 60 days and no version follows it the next day
    (第二十二条: 区财政局 adjusts the policy yearly; once the next version is entered there is nothing to do)."""
    try:
        params = reference.policy_on(on)
    except RuleViolation:
        return None  # no version at all: the home page says so already, more loudly
    warning = expiry(params.effective_to, on)
    if warning is None:
        return None
    try:
        reference.policy_on(params.effective_to + timedelta(days=1))
    except RuleViolation:
        return PolicyEnding(params.code, params.name, warning)
    return None


def _agreements_ending(stmt, on: date) -> list[AgreementEnding]:
    """Agreements in force on `on` and ending within 60 days; a disqualified bank has nothing to renew."""
    stmt = stmt.where(
        Bank.agreement_from <= on,
        Bank.agreement_to >= on,
        Bank.agreement_to <= on + timedelta(days=WARN_FROM_DAYS),
        Bank.status != "disqualified",
    ).order_by(Bank.agreement_to, Bank.code)
    return [AgreementEnding(bank, expiry(bank.agreement_to, on)) for bank in db.session.scalars(stmt)]


def agreements_ending(actor, on: date) -> list[AgreementEnding]:
    """The agreements `actor` is warned of: every bank's for 区财政局 and 区金融服务中心, a bank user's own only."""
    if not can(actor, "expiry.agreements"):
        return []
    return _agreements_ending(scope(actor, Bank), on)


# ---- the daily job's notices -------------------------------------------------------------------------


def _government(action: str) -> list:
    return notifications.users_with_roles(*(r for r in who_may(action) if r != "bank"))


def _notify_policy(day: date) -> list[str]:
    ending = policy_ending(day)
    if ending is None:
        return []
    warning = ending.expiry
    people = _government("expiry.policy")
    added = 0
    # Administrators enter the version (系统管理 → 政策版本); the others cannot open that page.
    for group, link in (
        ([u for u in people if can(u, "system.manage")], "/admin/policies"),
        ([u for u in people if not can(u, "system.manage")], None),
    ):
        added += notifications.notify(
            group,
            "policy_expiring",
            f"政策版本 {ending.code} 将于{chinese_date(warning.ends_on)}到期",
            f"{ending.name}（{ending.code}）有效期至{chinese_date(warning.ends_on)}，"
            f"{days_left_text(warning.days_left)}。区财政局每年根据运行情况调整政策（第二十二条）：请确定新的政策，"
            "由系统管理员在“系统管理 → 政策版本”中录入新版本，否则到期后将无法按政策办理业务。",
            link,
            dedupe_key=f"expiry:policy:{ending.code}:{warning.ends_on}:{warning.step}",
        )
    return [f"{ending.code}:{warning.step}"] if added else []


def _notify_agreements(day: date) -> list[str]:
    sent = []
    government = _government("expiry.agreements")
    for ending in _agreements_ending(select(Bank), day):
        bank, warning = ending.bank, ending.expiry
        ends = chinese_date(warning.ends_on)
        added = notifications.notify(
            government + notifications.users_with_roles("bank", bank_id=bank.id),
            "agreement_expiring",
            f"{bank.name}的合作协议将于{ends}到期",
            f"{bank.name}的合作协议（{bank.agreement_no or '未填写协议编号'}）有效期至{ends}，"
            f"{days_left_text(warning.days_left)}。到期后该行不能再发放“园区E贷”贷款（第十二条）；"
            "如继续合作，请及时续签协议，并由区财政局或区金融服务中心更新协议期限。",
            f"/banks/{bank.code}",
            dedupe_key=f"expiry:agreement:{bank.id}:{warning.ends_on}:{warning.step}",
        )
        if added:
            sent.append(f"{bank.code}:{warning.step}")
    return sent


def send_notices(day: date) -> dict[str, list[str]]:
    """The notices due on `day` not sent before, as "code:step" of what was sent (for the job's summary)."""
    return {"policy": _notify_policy(day), "agreements": _notify_agreements(day)}
