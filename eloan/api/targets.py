"""年度目标 (API.md "Fund, monitoring, reports"; POLICY.md §15): the year's table, set by finance or fsc,
with 完成情况 as at a date; the responsible unit's 存在问题 / 下步打算; Excel and PDF beside it.

Targets and actual figures are exact decimal strings in the metric's unit: amounts in 元 with two places,
counts as whole numbers, ratios as fractions with four places ("0.0300" = 3%)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import g
from pydantic import BaseModel, Field

from eloan.api import downloads
from eloan.api.fields import LONG_TEXT, Text, text
from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.api.schemas import Strict
from eloan.domain.money import format_ratio
from eloan.domain.roles import ROLES, who_may
from eloan.domain.targets import AMOUNT, COUNT, METRICS, RATIO
from eloan.services import targets

TAG = "targets"


class TargetItemIn(Strict):
    id: int | None = Field(None, description="保留的已有目标编号（其存在问题、下步打算随之保留）；新增目标不填")
    metric: str = Field(description="、".join(METRICS))
    target: str | int | None = Field(
        None, description="目标值（text 不填）：金额、笔数、户数、家数或比例（小数，或配合 unit=% 的百分数）"
    )
    unit: str | None = Field(None, description="目标值的单位：金额为 元（默认）、万元、亿元；比例可为 %")
    goal_text: Text = text(LONG_TEXT, description="年度奋斗目标")
    work_text: Text | None = text(LONG_TEXT, default=None, description="年度工作目标")
    responsible: str = Field(description="责任单位：zone、industry、fsc 或 finance")


class TargetsIn(Strict):
    items: list[TargetItemIn] = Field(max_length=100)


class AsOfQuery(Strict):
    as_of: dt.date | None = Field(
        None, description="完成情况的截至日期（须在该年度内），默认今天（过去年度为12月31日）"
    )


class ProgressIn(Strict):
    problems: Text | None = text(LONG_TEXT, default=None, description="存在问题")
    next_steps: Text | None = text(LONG_TEXT, default=None, description="下步打算")


class TargetItemOut(BaseModel):
    id: int
    position: int
    metric: str
    target: str | None
    goal_text: str
    work_text: str | None
    responsible: str
    responsible_name: str
    actual: str | None
    achieved: bool | None
    progress: str
    problems: str | None
    next_steps: str | None


class TargetsOut(BaseModel):
    year: int
    as_of: dt.date
    items: list[TargetItemOut]


def number(metric: str, value: Decimal | int | None) -> str | None:
    """A target or actual figure written in its metric's unit."""
    if value is None:
        return None
    kind = METRICS[metric].kind
    if kind == AMOUNT:
        return two_places(value)
    if kind == COUNT:
        return str(int(value))
    if kind == RATIO:
        return format_ratio(value)
    return None


def _item(item, actual=None, achieved=None, progress="") -> dict:
    return {
        "id": item.id,
        "position": item.position,
        "metric": item.metric,
        "target": number(item.metric, item.target),
        "goal_text": item.goal_text,
        "work_text": item.work_text,
        "responsible": item.responsible,
        "responsible_name": ROLES.get(item.responsible, item.responsible),
        "actual": number(item.metric, actual),
        "achieved": achieved,
        "progress": progress,
        "problems": item.problems,
        "next_steps": item.next_steps,
    }


def targets_out(t: targets.YearTargets) -> dict:
    return {
        "year": t.year,
        "as_of": t.as_of.isoformat(),
        "items": [_item(line.item, line.actual, line.achieved, line.progress) for line in t.lines],
    }


@endpoint(
    "/targets/<int:year>",
    "PUT",
    summary="设定年度目标（整表替换；带 id 的行保留其存在问题、下步打算）",
    tag=TAG,
    roles=who_may("targets.set"),
    body=TargetsIn,
    response=TargetsOut,
    errors=(400, 422),
)
def put_targets(year: int, body: TargetsIn):
    targets.set_targets(g.api_user, year, [item.model_dump() for item in body.items])
    return targets_out(targets.year_targets(g.api_user, year))


@endpoint(
    "/targets/<int:year>",
    summary="年度目标及截至某日的完成情况（actual、achieved、progress）",
    tag=TAG,
    roles=who_may("targets.read"),
    query=AsOfQuery,
    response=TargetsOut,
    errors=(400, 422),
)
def get_targets(year: int, query: AsOfQuery):
    return targets_out(targets.year_targets(g.api_user, year, query.as_of))


@endpoint(
    "/targets/<int:year>.xlsx",
    summary="年度目标完成情况（Excel）",
    tag=TAG,
    roles=who_may("targets.read"),
    query=AsOfQuery,
    errors=(400, 422),
    content_type=downloads.XLSX,
)
def targets_xlsx(year: int, query: AsOfQuery):
    from eloan.services.spreadsheets.targets import targets_workbook

    t = targets.year_targets(g.api_user, year, query.as_of)
    return downloads.xlsx(targets_workbook(t), f"targets-{year}-{t.as_of}.xlsx")


@endpoint(
    "/targets/<int:year>.pdf",
    summary="年度目标完成情况（PDF，A4横向）",
    tag=TAG,
    roles=who_may("targets.read"),
    query=AsOfQuery,
    errors=(400, 422),
    content_type=downloads.PDF,
)
def targets_pdf(year: int, query: AsOfQuery):
    from eloan.pdf.targets import render_targets

    t = targets.year_targets(g.api_user, year, query.as_of)
    return downloads.pdf(render_targets(t), f"targets-{year}-{t.as_of}.pdf")


@endpoint(
    "/targets/<int:year>/items/<int:item_id>",
    "PATCH",
    summary="责任单位填写存在问题、下步打算（其他单位：403 not_responsible_unit）",
    tag=TAG,
    roles=who_may("targets.report"),
    body=ProgressIn,
    response=TargetItemOut,
    errors=(403, 404, 422),
)
def patch_item(year: int, item_id: int, body: ProgressIn):
    item = targets.report_progress(g.api_user, year, item_id, body.problems, body.next_steps)
    return _item(item)
