"""The menu: which pages each role reaches from the header (POLICY.md §1)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_login import current_user

from eloan import clock
from eloan.services import banks, claims, enterprises, fund, lists, loans, monitoring_overview, sanctions


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str] | None  # None: everyone who is logged in


_ITEMS = (
    NavItem("首页", "home.index", None),
    NavItem("企业库", "registry.enterprises", frozenset(enterprises.READ_ROLES)),
    NavItem("筛选候选企业", "lists.candidates", frozenset(lists.SCREENING_ROLES)),
    NavItem("推荐名单", "lists.batches", frozenset(lists.READ_ROLES)),
    NavItem("当前名单", "lists.current", None),
    NavItem("合作银行", "banks.banks", frozenset(banks.READ_ROLES) - {"bank"}),
    NavItem("本行信息", "banks.own", frozenset({"bank"})),
    NavItem("贷款", "loans.loans", frozenset(loans.READ_ROLES) - {"bank"}),
    NavItem("本行贷款", "loans.loans", frozenset({"bank"})),
    NavItem("补偿申请", "claims.claims", frozenset(claims.READ_ROLES) - {"bank"}),
    NavItem("本行补偿申请", "claims.claims", frozenset({"bank"})),
    NavItem("风险补偿资金", "fund.fund", frozenset(fund.READ_ROLES)),
    NavItem("惩戒名单", "registry.sanctions", frozenset(sanctions.READ_ROLES)),
    NavItem("风险监测", "monitoring.monitoring", frozenset(monitoring_overview.READ_ROLES)),
    NavItem("用户管理", "admin.users", frozenset({"admin"})),
    NavItem("政策版本", "admin.policies", frozenset({"admin"})),
    NavItem("LPR利率表", "admin.lpr", frozenset({"admin"})),
    NavItem("工作日历", "admin.calendar", frozenset({"admin"})),
    NavItem("审计日志", "admin.audit", frozenset({"admin", "auditor"})),
)


def nav_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    held = set(user.roles)
    return [item for item in _ITEMS
            if (item.roles is None or item.roles & held) and item.endpoint in current_app.view_functions]


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
    return {"nav": nav_for(current_user), "nav_active": _section_of(request.endpoint),
            "today": clock.today(), "today_fixed": clock.is_fixed()}
