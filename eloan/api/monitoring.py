"""Ratios, the daily job and notifications (API.md "Fund, monitoring, reports"; 第十八条)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from flask import g
from pydantic import BaseModel, ConfigDict, Field

from eloan import clock
from eloan.api.fields import Time
from eloan.api.registry import endpoint
from eloan.api.schemas import Amount, DateQuery, Page, PageQuery, RatioStr, Strict
from eloan.domain.errors import StateConflict
from eloan.domain.money import format_ratio
from eloan.domain.ratios import Ratios
from eloan.domain.roles import who_may
from eloan.jobs import daily
from eloan.services import monitoring, notifications, ratios

TAG = "monitoring"


class RatiosOut(BaseModel):
    date: dt.date
    outstanding: Amount = Field(description="贷款余额 L（未结清、未核销贷款的本金余额）")
    npl_balance: Amount = Field(description="不良贷款余额 N")
    overdue_balance: Amount = Field(description="逾期贷款余额 O（含不良）")
    npl_ratio: RatioStr | None = Field(description="N / L，四位小数；L 为 0 时为 null（不作判断）")
    overdue_ratio: RatioStr | None = Field(description="O / L，四位小数")
    breaches: list[str] = Field(
        description="超过阈值（严格大于，按精确比例判断）的指标：npl_ratio、overdue_ratio；无有效政策时为空"
    )
    npl_ratio_threshold: RatioStr | None
    overdue_ratio_threshold: RatioStr | None


class BankRatiosOut(RatiosOut):
    bank: str
    status: str = Field(description="该行当前合作状态")


class HistoryQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: dt.date | None = Field(None, alias="from", description="默认 90 天前")
    to: dt.date | None = Field(None, description="默认今天")


class SnapshotOut(BaseModel):
    date: dt.date
    outstanding: Amount
    npl_balance: Amount
    overdue_balance: Amount
    npl_ratio: RatioStr | None
    overdue_ratio: RatioStr | None


class RunOut(BaseModel):
    date: dt.date
    outcome: str = Field(description="done 本次运行；already_done 该日此前已运行，未做改动")
    summary: dict


class DailyRunOut(BaseModel):
    date: dt.date
    status: str = Field(description="running | done | failed")
    started_at: Time | None
    finished_at: Time | None
    host: str | None
    summary: dict


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="true：只列未读")


class NotificationOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str | None
    link: str | None
    created_at: Time
    read: bool
    read_at: Time | None


class NotificationPage(Page[NotificationOut]):
    unread: int = Field(description="未读总数")


def _ratio(value) -> str | None:
    return None if value is None else format_ratio(value)


def _ratios_out(day: dt.date, r: Ratios) -> dict:
    limits = monitoring.thresholds_on(day)
    policy = limits.policy
    return {
        "date": day,
        "outstanding": str(r.outstanding),
        "npl_balance": str(r.npl_balance),
        "overdue_balance": str(r.overdue_balance),
        "npl_ratio": _ratio(r.npl_ratio),
        "overdue_ratio": _ratio(r.overdue_ratio),
        "breaches": list(limits.over(r)),
        "npl_ratio_threshold": _ratio(policy.npl_ratio_threshold) if policy else None,
        "overdue_ratio_threshold": _ratio(policy.overdue_ratio_threshold) if policy else None,
    }


@endpoint(
    "/banks/<code>/ratios",
    summary="某行在某日的不良率、逾期率（第十八条；银行只能查本行）",
    tag=TAG,
    roles=who_may("banks.read"),
    query=DateQuery,
    response=BankRatiosOut,
    errors=(404,),
)
def bank_ratios(code: str, query: DateQuery):
    day = query.date or clock.today()
    bank, r = ratios.bank_ratios(g.api_user, code, day)
    return BankRatiosOut(bank=bank.code, status=bank.status, **_ratios_out(day, r)).model_dump(mode="json")


@endpoint(
    "/banks/<code>/ratio-history",
    summary="某行每日任务保存的比例历史（最早在前）",
    tag=TAG,
    roles=who_may("banks.read"),
    query=HistoryQuery,
    response=list[SnapshotOut],
    errors=(404,),
)
def bank_ratio_history(code: str, query: HistoryQuery):
    return _history(code, query)


@endpoint(
    "/programme/ratios",
    summary="全区“园区E贷”整体的不良率、逾期率",
    tag=TAG,
    roles=who_may("ratios.programme"),
    query=DateQuery,
    response=RatiosOut,
)
def programme_ratios(query: DateQuery):
    day = query.date or clock.today()
    return RatiosOut(**_ratios_out(day, ratios.programme_ratios(g.api_user, day))).model_dump(mode="json")


@endpoint(
    "/programme/ratio-history",
    summary="全区整体每日比例历史（最早在前）",
    tag=TAG,
    roles=who_may("ratios.programme"),
    query=HistoryQuery,
    response=list[SnapshotOut],
)
def programme_ratio_history(query: HistoryQuery):
    return _history(None, query)


def _history(code: str | None, query: HistoryQuery) -> list[dict]:
    end = query.to or clock.today()
    start = query.from_ or end - timedelta(days=90)
    return [
        SnapshotOut(
            date=s.on_date,
            outstanding=str(s.outstanding),
            npl_balance=str(s.npl_balance),
            overdue_balance=str(s.overdue_balance),
            npl_ratio=_ratio(s.npl_ratio),
            overdue_ratio=_ratio(s.overdue_ratio),
        ).model_dump(mode="json")
        for s in ratios.history(g.api_user, code, start, end)
    ]


@endpoint(
    "/jobs/daily",
    "POST",
    summary="运行某日的每日任务（期限提醒、惩戒、比例、暂停与恢复）；同一日只运行一次",
    tag=TAG,
    roles=who_may("jobs.run"),
    query=DateQuery,
    response=RunOut,
    errors=(409, 422),
)
def run_daily_job(query: DateQuery):
    result = daily.run_by(g.api_user, query.date, trigger="api")
    if result.outcome == "running_elsewhere":
        raise StateConflict("daily_run_in_progress", f"{result.run_date} 的每日任务正由另一进程运行，请稍后查询结果。")
    return RunOut(date=result.run_date, outcome=result.outcome, summary=result.summary).model_dump(mode="json")


@endpoint(
    "/jobs/daily-runs",
    summary="最近的每日任务运行记录（最新在前）",
    tag=TAG,
    roles=who_may("jobs.read_runs"),
    response=list[DailyRunOut],
)
def daily_runs():
    return [
        DailyRunOut(
            date=r.run_date,
            status=r.status,
            started_at=r.started_at,
            finished_at=r.finished_at,
            host=r.host,
            summary=r.summary or {},
        ).model_dump(mode="json")
        for r in daily.recent_runs()
    ]


def _notice_out(n) -> dict:
    return NotificationOut(
        id=n.id,
        kind=n.kind,
        title=n.title,
        body=n.body,
        link=n.link,
        created_at=n.created_at,
        read=n.read_at is not None,
        read_at=n.read_at,
    ).model_dump(mode="json")


@endpoint(
    "/notifications",
    summary="本人的通知，最新在前",
    tag="notifications",
    query=NotificationQuery,
    response=NotificationPage,
)
def list_notifications(query: NotificationQuery):
    items, total = notifications.inbox(g.api_user, page=query.page, per_page=query.per_page, unread_only=query.unread)
    return {
        "items": [_notice_out(n) for n in items],
        "total": total,
        "page": query.page,
        "per_page": query.per_page,
        "unread": notifications.unread_count(g.api_user),
    }


@endpoint(
    "/notifications/<int:notification_id>/read",
    "POST",
    summary="标为已读（只能是本人的通知）",
    tag="notifications",
    response=NotificationOut,
    errors=(404,),
)
def read_notification(notification_id: int):
    return _notice_out(notifications.mark_read(g.api_user, notification_id))
