"""Roles (POLICY.md §1): who does what, and which combinations a user may hold."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Violation

ROLES: dict[str, str] = {
    "zone": "经济开发区",
    "industry": "行业主管部门",
    "fsc": "区金融服务中心",
    "finance": "区财政局",
    "bank": "合作银行",
    "admin": "系统管理员",
    "auditor": "审计监督",
}

GOVERNMENT_ROLES: frozenset[str] = frozenset({"zone", "industry", "fsc", "finance"})
# The three reviewing units, in 第十六条's order (开发区、行业主管部门、区金融服务中心) — the order every
# page, PDF and notice lists them in. They confirm a list batch together (第十条) and review a claim
# together (第十六条); finance then gives the opinion.
REVIEWING_UNITS: tuple[str, ...] = ("zone", "industry", "fsc")

_READERS = frozenset({"zone", "industry", "fsc", "finance", "auditor"})  # government and audit

# Who may read and do what (POLICY.md §1) — the one table every service guard, page and API route asks.
PERMISSIONS: dict[str, frozenset[str]] = {
    "enterprises.read": _READERS,
    "enterprises.write": frozenset({"zone"}),  # the registry, its imports and 亩产效益 ratings
    "sanctions.read": _READERS,
    "sanctions.clear": frozenset({"finance", "zone"}),
    "lists.read": _READERS,  # every batch, drafts included
    "lists.read_current": _READERS | {"bank"},  # the list in force, which banks lend against
    "lists.screen": frozenset(REVIEWING_UNITS),
    "lists.edit": frozenset({"zone"}),  # draw up a batch, its entries, and issue it
    "lists.confirm": frozenset(REVIEWING_UNITS),
    "banks.read": _READERS | {"admin", "bank"},  # a bank user sees its own bank only
    "banks.write": frozenset({"fsc", "finance"}),  # register a bank, change its agreement
    "banks.change_status": frozenset({"finance"}),  # suspend, resume, disqualify (第十八、十九条)
    "ratios.programme": _READERS | {"admin"},  # the whole programme's ratios
    "monitoring.read": _READERS | {"admin"},
    "jobs.run": frozenset({"admin", "finance"}),
    "jobs.read_runs": frozenset({"admin", "finance", "auditor"}),
    "loans.read": _READERS | {"bank"},
    "loans.register": frozenset({"bank"}),  # loans, repayments and status events of the bank's own loans
    "loans.mark": frozenset({"finance", "fsc", "zone", "industry"}),  # 不予补偿 marks on a loan
    "claims.read": _READERS | {"bank"},
    "claims.file": frozenset({"bank"}),  # open, add materials, submit, record recoveries
    "claims.review": frozenset(REVIEWING_UNITS),
    "claims.decide": frozenset({"finance"}),  # extension, opinion, payout, remittance, clawback
    "fund.read": _READERS,
    "fund.appropriate": frozenset({"finance"}),
    # 业务情况统计表 (附件4): a bank sees its own row only (services/statistics.py scopes it).
    "reports.read": _READERS | {"bank"},
    # 年度目标 (POLICY.md §15): set by finance or fsc; each item's 责任单位 (a holder of that role) types its
    # 存在问题 and 下步打算 — services/targets.py checks the item's unit.
    "targets.read": _READERS,
    "targets.set": frozenset({"finance", "fsc"}),
    "targets.report": GOVERNMENT_ROLES,
    # The annual evaluation (第二十条): finance computes, adjusts and decides; the three units confirm.
    "evaluations.read": _READERS,
    "evaluations.compute": frozenset({"finance"}),
    "evaluations.confirm": frozenset(REVIEWING_UNITS),
    "evaluations.decide": frozenset({"finance"}),
    # 数据看板 (issue 12): the programme's figures for the government units and the auditor.
    "dashboard.read": _READERS,
    "audit.read": frozenset({"auditor", "admin"}),
    "system.manage": frozenset({"admin"}),  # users, policy versions, LPR, the working-day calendar
    # Who is warned, on the home page and by notice, that an end date nears (POLICY.md §16).
    "expiry.policy": frozenset({"finance", "fsc", "admin"}),  # the policy version in force (第二十二条)
    "expiry.agreements": frozenset({"finance", "fsc", "bank"}),  # bank agreements; a bank its own only
}


def who_may(action: str) -> tuple[str, ...]:
    """The roles allowed `action`, in ROLES order (stable for the API's documentation)."""
    allowed = PERMISSIONS[action]
    return tuple(r for r in ROLES if r in allowed)


def may(held: Iterable[str], action: str) -> bool:
    """Whether a user holding the roles `held` may do `action`."""
    allowed = PERMISSIONS[action]
    return any(r in allowed for r in held)


def validate_roles(roles: Iterable[str], bank_code: str | None) -> list[Violation]:
    """Problems with a user's roles: a bank user belongs to one bank and holds no other role."""
    held = list(dict.fromkeys(roles))
    found: list[Violation] = []
    if not held:
        found.append(Violation("invalid_roles", "至少需要一个角色", None, "roles"))
    for role in held:
        if role not in ROLES:
            found.append(Violation("invalid_roles", f"未知角色：{role}", None, "roles"))
    has_bank = bool(bank_code and bank_code.strip())
    if "bank" in held:
        if not has_bank:
            found.append(Violation("invalid_roles", "合作银行用户必须指定所属银行", None, "bank"))
        others = [r for r in held if r != "bank"]
        if others:
            labels = "、".join(ROLES.get(r, r) for r in others)
            found.append(Violation("invalid_roles", f"合作银行用户不能同时担任其他角色（{labels}）", None, "roles"))
    elif has_bank:
        found.append(Violation("invalid_roles", "只有合作银行用户可以指定所属银行", None, "bank"))
    return found
