"""An enterprise's change history in plain Chinese: who, when, and what changed from what to what."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from eloan.domain.money import format_money
from eloan.domain.policy import INDUSTRIES
from eloan.domain.registry import FIELD_LABELS
from eloan.domain.sme import SIZE_LABELS
from eloan.services import users

ACTIONS = {
    "enterprise.create": "登记企业",
    "enterprise.import": "Excel 批量导入登记",
    "enterprise.update": "修改企业信息",
    "enterprise.mu_rating": "录入亩产效益类别",
}
CHANNELS = {"web": "网页", "api": "接口", "cli": "命令行", "job": "定时任务"}
_LABELS = {**FIELD_LABELS, "size_class_given": "企业规模来源"}
_MONEY = {"revenue", "tax_sales"}
_HIDDEN = {"import_token", "import_row", "import_rows"}
_YEARLY = re.compile(r"^(mu_class|note)_(\d{4})$")
_EMPTY = "（空）"


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: a value set for the first time (nothing to show before it)
    after: str


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    who: str
    action: str
    channel: str
    source: str | None  # e.g. "Excel 第 12 行"
    changes: list[Change]


def _label(field: str) -> str:
    yearly = _YEARLY.match(field)
    if yearly:
        what = "亩产效益类别" if yearly.group(1) == "mu_class" else "亩产效益评价备注"
        return f"{yearly.group(2)}年度{what}"
    return _LABELS.get(field, field)


def value_text(field: str, value) -> str:
    if value is None or value == "":
        return _EMPTY
    if field == "industry":
        return INDUSTRIES.get(value, value)
    if field == "size_class":
        return SIZE_LABELS.get(value, value)
    if field == "size_class_given":
        return "人工填写" if value else "系统自动计算"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field in _MONEY:
        try:
            return format_money(value)
        except (TypeError, ValueError, ArithmeticError):
            return str(value)
    if field.startswith("mu_class") and value:
        return f"{value}类"
    if field == "mu_year":
        return f"{value}年"
    return str(value)


def _changes(action: str, changes: dict) -> list[Change]:
    found = []
    for field, value in (changes or {}).items():
        if field in _HIDDEN:
            continue
        if isinstance(value, list) and len(value) == 2:
            before, after = value
            if action in ("enterprise.create", "enterprise.import"):
                if after in (None, ""):
                    continue  # a field left empty at registration says nothing
                found.append(Change(_label(field), None, value_text(field, after)))
            else:
                found.append(
                    Change(
                        _label(field), None if before is None else value_text(field, before), value_text(field, after)
                    )
                )
        else:
            found.append(Change(_label(field), None, value_text(field, value)))
    return found


def _source(changes: dict) -> str | None:
    rows = (changes or {}).get("import_rows") or ([changes["import_row"]] if (changes or {}).get("import_row") else [])
    return f"Excel 第 {'、'.join(str(r) for r in rows)} 行" if rows else None


def _who(username: str, cache: dict) -> str:
    if username not in cache:
        user = users.find_user(username) if username and username != "system" else None
        cache[username] = (
            f"{user.display_name}（{user.username}）"
            if user
            else ("系统" if username in (None, "", "system") else username)
        )
    return cache[username]


def readable(entries) -> list[HistoryItem]:
    """Audit entries of one enterprise (newest first) as lines a person can read."""
    cache: dict = {}
    return [
        HistoryItem(
            at=e.at,
            who=_who(e.actor_name, cache),
            action=ACTIONS.get(e.action, e.action),
            channel=CHANNELS.get(e.channel, e.channel or "—"),
            source=_source(e.changes),
            changes=_changes(e.action, e.changes),
        )
        for e in entries
    ]
