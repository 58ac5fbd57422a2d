"""The daily job's runs in words: status, who started it, what it did (its summary), and the message after a run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from eloan.domain.calendar import chinese_date, in_shanghai
from eloan.domain.money import format_percent

STATUS_LABELS = {"running": "运行中", "done": "已完成", "failed": "失败", "abandoned": "已中断"}
STATUS_TONES = {"running": "info", "done": "ok", "failed": "danger", "abandoned": "danger"}
ABANDONED_TEXT = "运行该日任务的进程已不在（可能被强制终止或服务器重启），改动已全部撤销；下一次定时任务或手动运行会立即重新运行该日期。"
_TRIGGERS = {
    "scheduler": "定时任务",
    "cli": "命令行",
    "manual": "手动",
    "web": "页面",
    "api": "接口",
    "demo": "演示数据",
}
# Counts in the summary, in the order they are read out.
_COUNTS = (
    ("snapshots", "保存比例记录 {} 条"),
    ("reminders", "期限提醒 {} 件"),
    ("escalations", "逾期上报 {} 件"),
    ("deadlines_recomputed", "重算期限 {} 件"),
    ("sanctions_flagged", "列入惩戒企业 {} 户"),
    ("matured_unreported", "提醒银行到期未报 {} 次"),
)
_BANK_LISTS = (
    ("suspended", "自动暂停合作"),
    ("resumed", "自动恢复合作"),
    ("manual_hold", "人工暂停、指标已回落待区财政局决定"),
)


def trigger_label(trigger: str | None) -> str:
    """ "web:finance" → "页面（finance）"; "scheduler" → "定时任务"."""
    if not trigger:
        return "—"
    kind, _, who = trigger.partition(":")
    label = _TRIGGERS.get(kind, kind)
    return f"{label}（{who}）" if who else label


def _percent(text) -> str:
    try:
        return format_percent(Decimal(str(text)))
    except (InvalidOperation, ValueError, TypeError):
        return "—"


def _steps(items) -> list[tuple[str, str]]:
    """ "TZ-2023-9:60" → ("TZ-2023-9", "60"): what services.expiry sent, by code and notice step."""
    return [tuple(item.rsplit(":", 1)) for item in items or [] if ":" in item]


def summary_lines(summary: dict | None, names: dict[str, str] | None = None) -> list[str]:
    """What a finished run did, one short phrase each (the counts that are not zero, and the banks by name)."""
    summary = summary or {}
    names = names or {}
    lines = []
    for key, label in _BANK_LISTS:
        codes = summary.get(key) or []
        if codes:
            lines.append(f"{label}：" + "、".join(names.get(c, c) for c in codes))
    for key, text in _COUNTS:
        if summary.get(key):
            lines.append(text.format(summary[key]))
    programme = summary.get("programme") or {}
    if programme.get("npl_ratio") is not None or programme.get("overdue_ratio") is not None:
        lines.append(
            f"全区不良率 {_percent(programme.get('npl_ratio'))}、逾期率 {_percent(programme.get('overdue_ratio'))}"
        )
    expiry = summary.get("expiry_notices") or {}
    sent = [f"政策版本 {code}（{step}天）" for code, step in _steps(expiry.get("policy"))]
    sent += [f"{names.get(code, code)}合作协议（{step}天）" for code, step in _steps(expiry.get("agreements"))]
    if sent:
        lines.append("到期提醒：" + "、".join(sent))
    if "policy" in summary and not summary["policy"]:
        lines.append("当日没有有效的政策版本，未判断是否超过阈值")
    return lines


@dataclass(frozen=True)
class RunRow:
    run_date: date
    status: str
    status_label: str
    tone: str
    started_at: object
    finished_at: object
    trigger: str
    lines: list[str]
    error: str | None
    warning: str | None = None


def _status(run, abandoned: set[date]) -> str:
    return "abandoned" if run.status == "running" and run.run_date in abandoned else run.status


def _warning(run, status: str, now, long_run) -> str | None:
    if status == "abandoned":
        return ABANDONED_TEXT
    started = in_shanghai(run.started_at) if run.started_at is not None else None
    if status == "running" and started is not None and now - started > long_run:
        hours = int((now - started).total_seconds() // 3600)
        return f"已运行 {hours} 小时以上（通常几秒钟即可完成），请系统管理员检查运行它的进程。"
    return None


def run_rows(runs, names: dict[str, str], abandoned: set[date] = frozenset(), now=None, long_run=None) -> list[RunRow]:
    """The runs as the page lists them; `abandoned`: dates left `running` by a process that is gone."""
    rows = []
    for r in runs:
        status = _status(r, abandoned)
        rows.append(
            RunRow(
                r.run_date,
                status,
                STATUS_LABELS.get(status, status),
                STATUS_TONES.get(status, "off"),
                r.started_at,
                r.finished_at,
                trigger_label((r.summary or {}).get("trigger")),
                summary_lines(r.summary, names) if status == "done" else [],
                (r.summary or {}).get("error") if status == "failed" else None,
                _warning(r, status, now, long_run) if now is not None and long_run is not None else None,
            )
        )
    return rows


def run_alerts(rows: list[RunRow]) -> list[str]:
    """The warning above the run list: dates whose run failed or was cut off and are not done yet."""
    alerts = []
    for row in rows:
        if row.status == "failed":
            alerts.append(
                f"{chinese_date(row.run_date)}的每日任务运行失败，改动已撤销；请系统管理员排除原因后重新运行该日期。"
            )
        elif row.status == "abandoned":
            alerts.append(f"{chinese_date(row.run_date)}的每日任务运行中断：{ABANDONED_TEXT}")
        elif row.warning:
            alerts.append(f"{chinese_date(row.run_date)}的每日任务{row.warning}")
    return alerts


def outcome_message(result, names: dict[str, str]) -> tuple[str, str]:
    """The flash after 运行每日任务: (text, category)."""
    day = chinese_date(result.run_date)
    if result.outcome == "already_done":
        return f"{day}：该日任务此前已运行，未做改动。运行结果见下方“每日任务运行记录”。", "info"
    if result.outcome == "running_elsewhere":
        return (
            f"{day}的每日任务未运行：另一进程（如定时任务）正在运行每日任务，请稍后刷新本页查看结果，必要时再运行。",
            "warning",
        )
    lines = summary_lines(result.summary, names)
    did = "；".join(lines) if lines else "各项均无变化"
    return f"已运行{day}的每日任务：{did}。", "success"
