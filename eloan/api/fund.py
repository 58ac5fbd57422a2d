"""The fund (API.md "Fund, monitoring, reports")."""

from __future__ import annotations

import datetime as dt

from flask import g
from pydantic import BaseModel

from eloan.api.fields import Amount, Text, column_length, text
from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.api.schemas import Page, PageQuery, Strict
from eloan.domain.roles import who_may
from eloan.models import FundEntry
from eloan.services import fund

TAG = "fund"


class FundOut(BaseModel):
    balance: str
    appropriated: str
    paid_out: str
    returned: str
    clawed_back: str
    outstanding_loans: str
    leverage: str | None


class AppropriationIn(Strict):
    amount: Amount
    date: dt.date
    reference: Text | None = text(column_length(FundEntry.reference), default=None, description="拨款文号或凭证号")


class FundEntryOut(BaseModel):
    id: int
    date: dt.date
    kind: str
    direction: str
    amount: str
    balance: str
    reference: str | None
    note: str | None
    claim_id: int | None


def entry_out(e) -> dict:
    return FundEntryOut(
        id=e.id,
        date=e.entry_date,
        kind=e.kind,
        direction=e.direction,
        amount=two_places(e.amount),
        balance=two_places(e.balance_after),
        reference=e.reference,
        note=e.note,
        claim_id=e.claim_id,
    ).model_dump(mode="json")


@endpoint(
    "/fund",
    summary="专户余额、累计拨入/拨付/返还/追缴、在贷余额与放大倍数",
    tag=TAG,
    roles=who_may("fund.read"),
    response=FundOut,
)
def summary():
    s = fund.summary(g.api_user)
    return FundOut(
        balance=two_places(s.balance),
        appropriated=two_places(s.appropriated),
        paid_out=two_places(s.paid_out),
        returned=two_places(s.returned),
        clawed_back=two_places(s.clawed_back),
        outstanding_loans=two_places(s.outstanding_loans),
        leverage=two_places(s.leverage),
    ).model_dump()


@endpoint(
    "/fund/appropriations",
    "POST",
    summary="财政拨入（累计不超过资金池规模：fund_scale_exceeded）",
    tag=TAG,
    roles=who_may("fund.appropriate"),
    body=AppropriationIn,
    response=FundEntryOut,
    status=201,
    errors=(422,),
)
def appropriate(body: AppropriationIn):
    return entry_out(fund.appropriate(g.api_user, body.amount, body.date, body.reference)), 201


@endpoint(
    "/fund/entries",
    summary="专户分录（最早在前），含每笔后的余额",
    tag=TAG,
    roles=who_may("fund.read"),
    query=PageQuery,
    response=Page[FundEntryOut],
)
def entries(query: PageQuery):
    items, total = fund.entries(g.api_user, page=query.page, per_page=query.per_page)
    return {"items": [entry_out(e) for e in items], "total": total, "page": query.page, "per_page": query.per_page}
