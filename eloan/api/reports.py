"""业务情况统计表 (附件4; API.md "Fund, monitoring, reports"; POLICY.md §12.4) as JSON, Excel or PDF."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask import g
from pydantic import BaseModel, Field

from eloan import clock
from eloan.api import downloads
from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.api.schemas import Strict
from eloan.domain.money import format_ratio
from eloan.domain.roles import who_may
from eloan.services import statistics

TAG = "reports"


class StatisticsQuery(Strict):
    from_: dt.date | None = Field(None, alias="from", description="统计起始日（含），默认截止日所在年度的1月1日")
    to: dt.date | None = Field(None, description="统计截止日（含），默认今天；余额与比率为截止日日终数")
    bank: str | None = Field(None, max_length=20, description="只统计这家银行（银行用户总是只得到本行）")
    format: Literal["json", "xlsx", "pdf"] = Field("json", description="json（默认）、xlsx 或 pdf")


class StatisticsRowOut(BaseModel):
    bank: str | None = None
    bank_name: str | None = None
    industry: str | None = None
    industry_name: str | None = None
    mu_class: str | None = None
    loans_made_count: int
    loans_made_amount: str
    enterprises_served: int
    outstanding: str
    overdue_balance: str
    overdue_ratio: str | None
    npl_balance: str
    npl_ratio: str | None
    claims_count: int
    claims_amount: str
    paid: str
    recovered: str
    returned: str
    status: str | None = None


class StatisticsOut(BaseModel):
    model_config = {"populate_by_name": True}

    from_: dt.date = Field(alias="from")
    to: dt.date
    rows: list[StatisticsRowOut]
    total: StatisticsRowOut
    by_industry: list[StatisticsRowOut]
    by_mu_class: list[StatisticsRowOut]


def _ratio(value):
    return None if value is None else format_ratio(value)


def _figures(f: statistics.Figures) -> dict:
    return {
        "loans_made_count": f.loans_made_count,
        "loans_made_amount": two_places(f.loans_made_amount),
        "enterprises_served": f.enterprises_served,
        "outstanding": two_places(f.outstanding),
        "overdue_balance": two_places(f.overdue_balance),
        "overdue_ratio": _ratio(f.overdue_ratio),
        "npl_balance": two_places(f.npl_balance),
        "npl_ratio": _ratio(f.npl_ratio),
        "claims_count": f.claims_count,
        "claims_amount": two_places(f.claims_amount),
        "paid": two_places(f.paid),
        "recovered": two_places(f.recovered),
        "returned": two_places(f.returned),
    }


def report_out(report: statistics.Report) -> dict:
    """The report as API.md writes it: a bank's row has bank, bank_name and status; the 合计 has bank null;
    a breakdown's row has industry (with its name) or mu_class (null: not rated) instead."""
    rows = [{"bank": r.key, "bank_name": r.label, **_figures(r.figures), "status": r.status} for r in report.rows]
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "rows": rows,
        "total": {"bank": None, "bank_name": report.total.label, **_figures(report.total.figures), "status": None},
        "by_industry": [
            {"industry": r.key, "industry_name": r.label, **_figures(r.figures)} for r in report.by_industry
        ],
        "by_mu_class": [{"mu_class": r.key, **_figures(r.figures)} for r in report.by_mu_class],
    }


@endpoint(
    "/reports/statistics",
    summary="附件4 业务情况统计表：每行一家银行及合计，按行业、亩产效益类别分列；format=json|xlsx|pdf",
    tag=TAG,
    roles=who_may("reports.read"),
    query=StatisticsQuery,
    response=StatisticsOut,
    errors=(400, 404, 422),
)
def statistics_report(query: StatisticsQuery):
    end = query.to or clock.today()
    start = query.from_ or dt.date(end.year, 1, 1)
    report = statistics.statistics(g.api_user, start, end, query.bank)
    name = f"statistics-{report.start}-{report.end}"
    if query.format == "xlsx":
        from eloan.services.spreadsheets.statistics import statistics_workbook

        return downloads.xlsx(statistics_workbook(report), f"{name}.xlsx")
    if query.format == "pdf":
        from eloan.pdf.attachment4 import render_attachment4

        return downloads.pdf(render_attachment4(report), f"{name}.pdf")
    return report_out(report)
