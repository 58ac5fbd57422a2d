"""数据看板 (API.md "Fund, monitoring, reports": GET /dashboard): the page's figures as JSON.

Money as two_places strings, shares and ratios as 4-place strings (format_ratio), null where there is
nothing to divide by.
"""

from __future__ import annotations

import datetime as dt

from flask import g
from pydantic import BaseModel, Field

from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.domain.money import format_ratio
from eloan.domain.roles import who_may
from eloan.services.dashboard_figures import figures

TAG = "reports"


def _ratio(value) -> str | None:
    return None if value is None else format_ratio(value)


class FundFiguresOut(BaseModel):
    scale: str
    appropriated: str
    balance: str
    utilisation: str | None = Field(description="资金使用率 = 累计拨付补偿 ÷ 累计拨入")
    outstanding_loans: str
    leverage: str | None = Field(description="放大倍数 = 在贷余额 ÷ 专户余额（与 /fund 相同）")


class LoanFiguresOut(BaseModel):
    count: int
    amount: str
    enterprises_served: int
    mean_headroom_percent: str | None = Field(
        description="按金额加权的 (LPR + 政策加点 − 执行利率)，百分点，4位小数；无贷款时为 null"
    )
    rate_spread_bp: int


class RatioDayOut(BaseModel):
    date: dt.date
    outstanding: str
    npl_balance: str
    overdue_balance: str
    npl_ratio: str | None
    overdue_ratio: str | None


class RatioTrendOut(BaseModel):
    model_config = {"populate_by_name": True}

    from_: dt.date = Field(alias="from")
    to: dt.date
    npl_threshold: str | None
    overdue_threshold: str | None
    days: list[RatioDayOut]


class ClaimFiguresOut(BaseModel):
    count: int
    amount: str
    paid: str
    recovered: str = Field(description="追偿款中返还专户的部分")
    clawed_back: str
    net_loss: str = Field(description="拨付 − 返还 − 追缴收回")


class CycleOut(BaseModel):
    step: str
    label: str
    limit: str
    limit_days: int
    count: int
    median_days: str | None
    max_days: int | None
    on_time: int
    on_time_share: str | None


class DashboardOut(BaseModel):
    as_of: dt.date
    programme_start: dt.date
    fund: FundFiguresOut
    loans: LoanFiguresOut
    ratios: RatioTrendOut
    claims: ClaimFiguresOut
    cycle_times: list[CycleOut]


def dashboard_out(f) -> dict:
    return DashboardOut(
        as_of=f.as_of,
        programme_start=f.programme_start,
        fund=FundFiguresOut(
            scale=two_places(f.fund_scale),
            appropriated=two_places(f.appropriated),
            balance=two_places(f.balance),
            utilisation=_ratio(f.utilisation),
            outstanding_loans=two_places(f.outstanding_loans),
            leverage=two_places(f.leverage),
        ),
        loans=LoanFiguresOut(
            count=f.loans_count,
            amount=two_places(f.loans_amount),
            enterprises_served=f.enterprises_served,
            mean_headroom_percent=_ratio(f.mean_headroom),
            rate_spread_bp=f.rate_spread_bp,
        ),
        ratios=RatioTrendOut(
            from_=f.trend_start,
            to=f.as_of,
            npl_threshold=_ratio(f.npl_threshold),
            overdue_threshold=_ratio(f.overdue_threshold),
            days=[
                RatioDayOut(
                    date=s.on_date,
                    outstanding=two_places(s.outstanding),
                    npl_balance=two_places(s.npl_balance),
                    overdue_balance=two_places(s.overdue_balance),
                    npl_ratio=_ratio(s.npl_ratio),
                    overdue_ratio=_ratio(s.overdue_ratio),
                )
                for s in f.trend
            ],
        ),
        claims=ClaimFiguresOut(
            count=f.claims_count,
            amount=two_places(f.claims_amount),
            paid=two_places(f.paid_out),
            recovered=two_places(f.returned),
            clawed_back=two_places(f.clawed_back),
            net_loss=two_places(f.net_loss),
        ),
        cycle_times=[
            CycleOut(
                step=c.key,
                label=c.label,
                limit=c.limit,
                limit_days=c.limit_days,
                count=c.count,
                median_days=None if c.median_days is None else f"{c.median_days:f}",
                max_days=c.max_days,
                on_time=c.on_time,
                on_time_share=_ratio(c.on_time_share),
            )
            for c in f.cycles
        ],
    ).model_dump(mode="json", by_alias=True)


@endpoint(
    "/dashboard",
    summary="数据看板：资金池、贷款、风险走势、补偿与办理时限",
    tag=TAG,
    roles=who_may("dashboard.read"),
    response=DashboardOut,
)
def dashboard():
    return dashboard_out(figures(g.api_user))
