"""The menu: which pages each role reaches from the header (POLICY.md §1)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_login import current_user

from eloan import clock
from eloan.domain.roles import PERMISSIONS


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str] | None  # None: everyone who is logged in


_ITEMS = (
    NavItem("首页", "home.index", None),
    NavItem("企业库", "registry.enterprises", PERMISSIONS["enterprises.read"]),
    NavItem("筛选候选企业", "lists.candidates", PERMISSIONS["lists.screen"]),
    NavItem("推荐名单", "lists.batches", PERMISSIONS["lists.read"]),
    NavItem("当前名单", "lists.current", None),
    NavItem("合作银行", "banks.banks", PERMISSIONS["banks.read"] - {"bank"}),
    NavItem("本行信息", "banks.own", frozenset({"bank"})),
    NavItem("贷款", "loans.loans", PERMISSIONS["loans.read"] - {"bank"}),
    NavItem("本行贷款", "loans.loans", frozenset({"bank"})),
    NavItem("补偿申请", "claims.claims", PERMISSIONS["claims.read"] - {"bank"}),
    NavItem("本行补偿申请", "claims.claims", frozenset({"bank"})),
    NavItem("风险补偿资金", "fund.fund", PERMISSIONS["fund.read"]),
    NavItem("惩戒名单", "registry.sanctions", PERMISSIONS["sanctions.read"]),
    NavItem("风险监测", "monitoring.monitoring", PERMISSIONS["monitoring.read"]),
    NavItem("统计报表", "reports.statistics_page", PERMISSIONS["reports.read"]),
    NavItem("年度目标", "targets.targets_page", PERMISSIONS["targets.read"]),
    NavItem("年度绩效评价", "evaluations.evaluations", PERMISSIONS["evaluations.read"]),
    NavItem("数据看板", "dashboard.dashboard", PERMISSIONS["dashboard.read"]),
    NavItem("用户管理", "admin.users", PERMISSIONS["system.manage"]),
    NavItem("政策版本", "admin.policies", PERMISSIONS["system.manage"]),
    NavItem("LPR利率表", "admin.lpr", PERMISSIONS["system.manage"]),
    NavItem("工作日历", "admin.calendar", PERMISSIONS["system.manage"]),
    NavItem("审计日志", "admin.audit", PERMISSIONS["audit.read"]),
)


def nav_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    held = set(user.roles)
    return [
        item
        for item in _ITEMS
        if (item.roles is None or item.roles & held) and item.endpoint in current_app.view_functions
    ]


def _section_of(endpoint: str | None) -> str | None:
    """The menu item a page belongs to: its own endpoint, or the list page of its section."""
    if not endpoint:
        return None
    for item in _ITEMS:
        if endpoint == item.endpoint:
            return item.endpoint
    for item in _ITEMS:
        if item.endpoint != "home.index" and endpoint.startswith(item.endpoint + "_"):
            return item.endpoint
    return None


def inject_layout() -> dict:
    return {
        "nav": nav_for(current_user),
        "nav_active": _section_of(request.endpoint),
        "today": clock.today(),
        "today_fixed": clock.is_fixed(),
    }
