"""Cooperating banks (API.md "Banks")."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from flask import g
from pydantic import BaseModel, Field

from eloan import clock
from eloan.api import downloads
from eloan.api.fields import LONG_TEXT, Ratio, Text, column_length, text
from eloan.api.registry import endpoint
from eloan.api.schemas import Strict
from eloan.domain.errors import NoPolicyInForce
from eloan.domain.expiry import expiry
from eloan.domain.money import format_ratio
from eloan.domain.roles import who_may
from eloan.models import Bank
from eloan.services import banks

TAG = "banks"


class BankIn(Strict):
    code: Text = text(column_length(Bank.code), min_length=1)
    name: Text = text(column_length(Bank.name), min_length=1)
    branch_in_district: bool = True
    loss_share: Ratio = Field(description='银行承担的损失比例，如 "0.3000"；不低于政策最低比例')
    agreement_no: Text | None = text(column_length(Bank.agreement_no), default=None)
    agreement_from: dt.date | None = None
    agreement_to: dt.date | None = None
    product_name: Text | None = text(column_length(Bank.product_name), default=None)
    product_recognised: bool = False
    contact_person: Text | None = text(column_length(Bank.contact_person), default=None)
    contact_phone: Text | None = text(column_length(Bank.contact_phone), default=None)


class BankPatch(Strict):
    name: Text | None = text(column_length(Bank.name), min_length=1, default=None)
    branch_in_district: bool | None = None
    loss_share: Ratio | None = None
    agreement_no: Text | None = text(column_length(Bank.agreement_no), default=None)
    agreement_from: dt.date | None = None
    agreement_to: dt.date | None = None
    product_name: Text | None = text(column_length(Bank.product_name), default=None)
    product_recognised: bool | None = None
    contact_person: Text | None = text(column_length(Bank.contact_person), default=None)
    contact_phone: Text | None = text(column_length(Bank.contact_phone), default=None)


# Derived today by services.banks.standing; the stored `status` keeps API.md's three values.
AgreementState = Annotated[
    Literal["in_force", "not_started", "expired", "missing"],
    Field(
        description="今天合作协议的状态：in_force 有效，not_started 尚未生效，expired 已到期，missing 未填写期限"
        "（第十二条：协议不在有效期内不能发放“园区E贷”）"
    ),
]
Standing = Annotated[
    Literal["active", "suspended", "disqualified", "agreement_not_started", "agreement_expired", "agreement_missing"],
    Field(description="今天的合作情况：status 为 active 而协议不在有效期内时为 agreement_…，否则同 status"),
]
AgreementDaysLeft = Annotated[
    int | None,
    Field(
        description="合作协议到期前60日内（含到期日当天，为 0）的剩余天数，否则为 null"
        "（第十二条；到期提醒见 POLICY §16）"
    ),
]
StandingLabel = Annotated[str, Field(description="页面上显示的合作状态，如 正常合作、暂停、取消资格、协议已到期")]


class BankOut(BaseModel):
    code: str
    name: str
    branch_in_district: bool
    loss_share: str
    agreement_no: str | None
    agreement_from: dt.date | None
    agreement_to: dt.date | None
    product_name: str | None
    product_recognised: bool
    status: str
    agreement_state: AgreementState
    agreement_days_left: AgreementDaysLeft
    standing: Standing
    standing_label: StandingLabel
    contact_person: str | None
    contact_phone: str | None


class RankedBank(BaseModel):
    rank: int
    tied: bool
    code: str
    name: str
    loss_share: str
    status: str
    agreement_state: AgreementState
    standing: Standing
    standing_label: StandingLabel


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    effective_on: dt.date
    reason: str
    source: str
    npl_ratio: str | None
    overdue_ratio: str | None


class ReasonIn(Strict):
    reason: Text = text(LONG_TEXT, min_length=1)


def _standing(bank) -> dict:
    standing = banks.standing(bank)
    return {"agreement_state": standing.agreement, "standing": standing.code, "standing_label": standing.label}


def _days_left(bank) -> int | None:
    """Days left of an agreement in force ending within 60 days (POLICY.md §16), else None."""
    if banks.standing(bank).agreement != "in_force":
        return None
    ending = expiry(bank.agreement_to, clock.today())
    return ending.days_left if ending else None


def bank_out(bank) -> dict:
    return BankOut(
        code=bank.code,
        name=bank.name,
        branch_in_district=bank.branch_in_district,
        loss_share=format_ratio(bank.loss_share),
        agreement_no=bank.agreement_no,
        agreement_from=bank.agreement_from,
        agreement_to=bank.agreement_to,
        product_name=bank.product_name,
        product_recognised=bank.product_recognised,
        status=bank.status,
        contact_person=bank.contact_person,
        contact_phone=bank.contact_phone,
        agreement_days_left=_days_left(bank),
        **_standing(bank),
    ).model_dump(mode="json")


@endpoint(
    "/banks",
    "POST",
    summary="银行准入（损失承担比例低于最低比例 → loss_share_too_low）",
    tag=TAG,
    roles=who_may("banks.write"),
    body=BankIn,
    response=BankOut,
    status=201,
    errors=(422,),
)
def admit_bank(body: BankIn):
    return bank_out(banks.admit(g.api_user, body.model_dump())), 201


@endpoint(
    "/banks", summary="合作银行（银行用户只看到本行）", tag=TAG, roles=who_may("banks.read"), response=list[BankOut]
)
def list_banks():
    return [bank_out(b) for b in banks.all_banks(g.api_user)]


@endpoint(
    "/banks/ranking",
    summary="按损失承担比例竞争排序（并列标明）",
    tag=TAG,
    roles=who_may("banks.read"),
    response=list[RankedBank],
)
def ranking():
    return [
        RankedBank(
            rank=r["rank"],
            tied=r["tied"],
            code=r["bank"].code,
            name=r["bank"].name,
            loss_share=format_ratio(r["bank"].loss_share),
            status=r["bank"].status,
            **_standing(r["bank"]),
        ).model_dump()
        for r in banks.ranking(g.api_user)
    ]


@endpoint("/banks/<code>", summary="一家银行", tag=TAG, roles=who_may("banks.read"), response=BankOut, errors=(404,))
def get_bank(code: str):
    return bank_out(banks.get(g.api_user, code))


@endpoint(
    "/banks/<code>",
    "PATCH",
    summary="修改银行信息或协议",
    tag=TAG,
    roles=who_may("banks.write"),
    body=BankPatch,
    response=BankOut,
    errors=(404, 422),
)
def patch_bank(code: str, body: BankPatch):
    return bank_out(banks.update(g.api_user, code, body.model_dump(exclude_unset=True)))


@endpoint(
    "/banks/<code>/status-history",
    summary="合作状态变更记录",
    tag=TAG,
    roles=who_may("banks.read"),
    response=list[StatusChangeOut],
    errors=(404,),
)
def status_history(code: str):
    return [
        StatusChangeOut(
            from_status=c.from_status,
            to_status=c.to_status,
            effective_on=c.effective_on,
            reason=c.reason,
            source=c.source,
            npl_ratio=None if c.npl_ratio is None else format_ratio(c.npl_ratio),
            overdue_ratio=None if c.overdue_ratio is None else format_ratio(c.overdue_ratio),
        ).model_dump(mode="json")
        for c in banks.history(g.api_user, code)
    ]


def _status(code: str, to_status: str, body: ReasonIn):
    banks.change_status(g.api_user, code, to_status, body.reason)
    return bank_out(banks.get(g.api_user, code))


@endpoint(
    "/banks/<code>/suspend",
    "POST",
    summary="暂停合作（第十八条）",
    tag=TAG,
    roles=who_may("banks.change_status"),
    body=ReasonIn,
    response=BankOut,
    errors=(404, 409, 422),
)
def suspend(code: str, body: ReasonIn):
    return _status(code, "suspended", body)


@endpoint(
    "/banks/<code>/resume",
    "POST",
    summary="恢复合作",
    tag=TAG,
    roles=who_may("banks.change_status"),
    body=ReasonIn,
    response=BankOut,
    errors=(404, 409, 422),
)
def resume(code: str, body: ReasonIn):
    return _status(code, "active", body)


@endpoint(
    "/banks/<code>/disqualify",
    "POST",
    summary="取消合作资格（第十九条）",
    tag=TAG,
    roles=who_may("banks.change_status"),
    body=ReasonIn,
    response=BankOut,
    errors=(404, 409, 422),
)
def disqualify(code: str, body: ReasonIn):
    return _status(code, "disqualified", body)


@endpoint(
    "/banks/<code>/attachment-3.pdf",
    summary="附件3 贷款损失承担比例确认单（PDF）",
    tag=TAG,
    roles=who_may("banks.read"),
    errors=(404, 422),
    content_type=downloads.PDF,
)
def attachment_3(code: str):
    from eloan.pdf.attachment3 import render_attachment3

    bank = banks.get(g.api_user, code)
    policy = banks.policy_for_attachment(bank)
    if policy is None:  # neither the agreement's first day nor today has a version: nothing to print the shares from
        raise NoPolicyInForce(bank.agreement_from or clock.today())
    return downloads.pdf(render_attachment3(bank, policy), f"attachment-3-{bank.code}.pdf")
