"""Chinese names for what the audit log records (codes stay as written by the services)."""
from __future__ import annotations

ACTIONS = {
    "user.login": "登录", "user.create": "新建用户", "user.update": "修改用户", "user.enable": "启用用户",
    "user.disable": "停用用户", "user.reset_password": "重置密码", "user.change_password": "修改本人密码",
    "token.create": "发放API令牌", "token.revoke": "吊销API令牌",
    "policy.create": "新增政策版本", "policy.update": "修改政策版本",
    "lpr.save": "保存LPR利率", "lpr.delete": "删除LPR利率",
    "calendar.set_day": "设置日历安排", "calendar.remove_day": "删除日历安排",
    "calendar.year_loaded": "标记年度安排已载入", "calendar.year_unloaded": "标记年度安排未载入",
}

OBJECT_TYPES = {
    "users": "用户", "api_tokens": "API令牌", "policy_versions": "政策版本", "lpr_rates": "LPR利率",
    "calendar_days": "日历安排", "calendar_years": "日历年度", "banks": "合作银行", "enterprises": "企业",
    "list_batches": "推荐名单批次", "list_entries": "名单条目", "loans": "贷款", "claims": "补偿申请",
    "fund_entries": "资金专户", "sanctions": "惩戒", "bank_evaluations": "银行考核",
}

# Actions whose changes are {field: [before, after]} (services.audit.diff); others are plain values.
DIFF_ACTIONS = {"user.update", "policy.create", "policy.update", "lpr.save", "calendar.set_day",
                "calendar.remove_day"}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def object_type_label(code: str) -> str:
    return OBJECT_TYPES.get(code, code)


def change_lines(action: str, changes: dict | None) -> list[tuple[str, str]]:
    """(field, text) pairs: "before → after" for a diff, the value itself otherwise."""
    lines = []
    for field, value in (changes or {}).items():
        if action in DIFF_ACTIONS and isinstance(value, list) and len(value) == 2:
            lines.append((field, f"{_text(value[0])} → {_text(value[1])}"))
        else:
            lines.append((field, _text(value)))
    return lines


def _text(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) if value else "（无）"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items())
    return str(value)
