"""Enterprises and sanctions (API.md "Enterprises and the list")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask import g
from pydantic import BaseModel, Field

from eloan.api.fields import LONG_TEXT, Amount, Text, Uscc, column_length, text
from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.api.schemas import Page, PageQuery, Strict
from eloan.domain.policy import INDUSTRIES
from eloan.domain.registry import MAX_EMPLOYEES, MU_CLASSES, MU_YEAR_MAX, MU_YEAR_MIN
from eloan.domain.roles import who_may
from eloan.domain.sme import SIZE_LABELS
from eloan.models import Enterprise, MuRating
from eloan.services import enterprises, sanctions

TAG = "enterprises"


Industry = Literal[tuple(INDUSTRIES)]
SizeClass = Literal[tuple(SIZE_LABELS)]
MuClass = Literal[MU_CLASSES]
NAME = column_length(Enterprise.name)


class EnterpriseIn(Strict):
    uscc: Uscc
    name: Text = text(NAME, min_length=1)
    industry: Industry = Field(description="第四条的产业；other 仅登记，不能列入名单")
    size_class: SizeClass | None = Field(None, description="不填则按从业人员和营业收入计算")
    in_zone: bool = True
    special_approval_note: Text | None = text(LONG_TEXT, default=None, description="开发区外企业的“特别优质”认定意见")
    established_on: dt.date | None = None
    employees: int | None = Field(None, ge=0, le=MAX_EMPLOYEES)
    revenue: Amount | None = Field(None, description="营业收入（元），两位小数的字符串")
    tax_sales: Amount | None = Field(None, description="纳税销售收入（元）")
    mu_class: MuClass | None = Field(None, description="亩产效益类别 A…D（须同时给出 mu_year）")
    mu_year: int | None = Field(None, ge=MU_YEAR_MIN, le=MU_YEAR_MAX)
    legal_rep: Text | None = text(column_length(Enterprise.legal_rep), default=None)
    phone: Text | None = text(column_length(Enterprise.phone), default=None)
    address: Text | None = text(column_length(Enterprise.address), default=None)


class EnterprisePatch(Strict):
    name: Text | None = text(NAME, min_length=1, default=None)
    industry: Industry | None = None
    size_class: SizeClass | None = None
    in_zone: bool | None = None
    special_approval_note: Text | None = text(LONG_TEXT, default=None)
    established_on: dt.date | None = None
    employees: int | None = Field(None, ge=0, le=MAX_EMPLOYEES)
    revenue: Amount | None = None
    tax_sales: Amount | None = None
    mu_class: MuClass | None = None
    mu_year: int | None = Field(None, ge=MU_YEAR_MIN, le=MU_YEAR_MAX)
    legal_rep: Text | None = text(column_length(Enterprise.legal_rep), default=None)
    phone: Text | None = text(column_length(Enterprise.phone), default=None)
    address: Text | None = text(column_length(Enterprise.address), default=None)


class MuRatingOut(BaseModel):
    year: int
    mu_class: str


class EnterpriseOut(BaseModel):
    uscc: str
    name: str
    industry: str
    size_class: str | None
    size_class_computed: bool
    in_zone: bool
    special_approval_note: str | None
    established_on: dt.date | None
    employees: int | None
    revenue: str | None
    tax_sales: str | None
    mu_class: str | None
    mu_year: int | None
    mu_ratings: list[MuRatingOut]
    legal_rep: str | None
    phone: str | None
    address: str | None
    sanctioned: bool


class EnterpriseQuery(PageQuery):
    q: Text | None = text(NAME, default=None, description="名称、代码或法定代表人中包含的文字")
    industry: Industry | None = None
    size_class: SizeClass | None = None
    mu_class: MuClass | None = None
    in_zone: bool | None = None
    sanctioned: bool | None = None


class MuRatingIn(Strict):
    year: int = Field(ge=MU_YEAR_MIN, le=MU_YEAR_MAX)
    mu_class: MuClass
    note: Text | None = text(column_length(MuRating.note), default=None)


class SanctionOut(BaseModel):
    uscc: str
    name: str
    reason: str
    flagged_on: dt.date
    measures: str
    cleared_on: dt.date | None
    clear_reason: str | None


class SanctionQuery(PageQuery):
    include_cleared: bool = False


class ClearIn(Strict):
    reason: Text = text(LONG_TEXT, min_length=1)


def enterprise_out(e) -> dict:
    return EnterpriseOut(
        uscc=e.uscc,
        name=e.name,
        industry=e.industry,
        size_class=e.size_class,
        size_class_computed=not e.size_class_given,
        in_zone=e.in_zone,
        special_approval_note=e.special_approval_note,
        established_on=e.established_on,
        employees=e.employees,
        revenue=two_places(e.revenue),
        tax_sales=two_places(e.tax_sales),
        mu_class=e.mu_class,
        mu_year=e.mu_year,
        mu_ratings=[MuRatingOut(year=r.year, mu_class=r.mu_class) for r in e.mu_ratings],
        legal_rep=e.legal_rep,
        phone=e.phone,
        address=e.address,
        sanctioned=e.sanctioned,
    ).model_dump(mode="json")


@endpoint(
    "/enterprises",
    "POST",
    summary="登记企业",
    tag=TAG,
    roles=who_may("enterprises.write"),
    body=EnterpriseIn,
    response=EnterpriseOut,
    status=201,
    errors=(422,),
)
def create_enterprise(body: EnterpriseIn):
    return enterprise_out(enterprises.create(g.api_user, body.model_dump())), 201


@endpoint(
    "/enterprises",
    summary="企业库（可筛选、分页）",
    tag=TAG,
    roles=who_may("enterprises.read"),
    query=EnterpriseQuery,
    response=Page[EnterpriseOut],
)
def list_enterprises(query: EnterpriseQuery):
    filters = query.model_dump(exclude={"page", "per_page"})
    items, total = enterprises.search(g.api_user, page=query.page, per_page=query.per_page, **filters)
    return {"items": [enterprise_out(e) for e in items], "total": total, "page": query.page, "per_page": query.per_page}


@endpoint(
    "/enterprises/<uscc>",
    summary="一家企业",
    tag=TAG,
    roles=who_may("enterprises.read"),
    response=EnterpriseOut,
    errors=(404,),
)
def get_enterprise(uscc: str):
    return enterprise_out(enterprises.get(g.api_user, uscc))


@endpoint(
    "/enterprises/<uscc>",
    "PATCH",
    summary="修改企业信息（统一社会信用代码不可改）",
    tag=TAG,
    roles=who_may("enterprises.write"),
    body=EnterprisePatch,
    response=EnterpriseOut,
    errors=(404, 422),
)
def patch_enterprise(uscc: str, body: EnterprisePatch):
    return enterprise_out(enterprises.update(g.api_user, uscc, body.model_dump(exclude_unset=True)))


@endpoint(
    "/enterprises/<uscc>/mu-ratings",
    "POST",
    summary="登记某年度亩产效益类别",
    tag=TAG,
    roles=who_may("enterprises.write"),
    body=MuRatingIn,
    response=EnterpriseOut,
    status=201,
    errors=(404, 422),
)
def add_mu_rating(uscc: str, body: MuRatingIn):
    return enterprise_out(enterprises.set_mu_rating(g.api_user, uscc, body.year, body.mu_class, body.note)), 201


def sanction_out(s) -> dict:
    return SanctionOut(
        uscc=s.enterprise.uscc,
        name=s.enterprise.name,
        reason=s.reason,
        flagged_on=s.flagged_on,
        measures=sanctions.MEASURES,
        cleared_on=s.cleared_on,
        clear_reason=s.clear_reason,
    ).model_dump(mode="json")


@endpoint(
    "/sanctions",
    summary="受惩戒企业名单",
    tag="sanctions",
    roles=who_may("sanctions.read"),
    query=SanctionQuery,
    response=Page[SanctionOut],
)
def list_sanctions(query: SanctionQuery):
    items, total = sanctions.list_sanctions(
        g.api_user, include_cleared=query.include_cleared, page=query.page, per_page=query.per_page
    )
    return {"items": [sanction_out(s) for s in items], "total": total, "page": query.page, "per_page": query.per_page}


@endpoint(
    "/sanctions/<uscc>/clear",
    "POST",
    summary="解除惩戒（须说明理由）",
    tag="sanctions",
    roles=who_may("sanctions.clear"),
    body=ClearIn,
    response=SanctionOut,
    errors=(409, 422),
)
def clear_sanction(uscc: str, body: ClearIn):
    return sanction_out(sanctions.clear(g.api_user, uscc, body.reason))
