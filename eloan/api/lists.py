"""The recommended list in batches (API.md "Enterprises and the list")."""

from __future__ import annotations

import datetime as dt

from flask import g
from pydantic import BaseModel, Field

from eloan import clock
from eloan.api import downloads
from eloan.api.enterprises import EnterpriseOut, enterprise_out
from eloan.api.fields import LONG_TEXT, Amount, ReviewRole, Text, Time, Uscc, column_length, text
from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.api.schemas import DateQuery, Page, PageQuery, Strict
from eloan.domain.roles import who_may
from eloan.models import Enterprise, ListBatch
from eloan.services import lists

TAG = "lists"
ENTRY_NOTE = 500  # printed in Attachment 1's 备注 column (as on the page's form)


class BatchIn(Strict):
    number: Text | None = text(
        column_length(ListBatch.number), default=None, description="批次编号；不填则为“YYYY年第N批”"
    )
    title: Text | None = text(column_length(ListBatch.title), default=None)
    note: Text | None = text(LONG_TEXT, default=None)


class EntryIn(Strict):
    uscc: Uscc
    recommended_amount: Amount = Field(description="推荐额度（元），两位小数的字符串")
    note: Text | None = text(ENTRY_NOTE, default=None)


class EntryPatch(Strict):
    recommended_amount: Amount
    note: Text | None = text(ENTRY_NOTE, default=None)


class ConfirmIn(Strict):
    role: ReviewRole | None = Field(None, description="只在同时担任多个确认单位时需要")
    comment: Text | None = text(LONG_TEXT, default=None)


class ReturnIn(Strict):
    comment: Text = text(LONG_TEXT, min_length=1)
    role: ReviewRole | None = None


class IssueIn(Strict):
    effective_from: dt.date | None = Field(None, description="默认今天；更早的日期用于补录系统上线前的纸质批次")


class EntryOut(BaseModel):
    id: int
    position: int
    uscc: str
    name: str
    recommended_amount: str
    note: str | None


class ConfirmationOut(BaseModel):
    role: str
    action: str
    by: str
    at: Time
    comment: str | None
    current: bool


class BatchOut(BaseModel):
    id: int
    number: str
    title: str | None
    status: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    entries: list[EntryOut]
    confirmations: list[ConfirmationOut]


class BatchSummary(BaseModel):
    id: int
    number: str
    status: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    entry_count: int


class CandidateQuery(PageQuery):
    q: Text | None = text(column_length(Enterprise.name), default=None, description="企业名称或代码中包含的文字")


def batch_out(batch) -> dict:
    from eloan.extensions import db
    from eloan.models import User

    names = (
        {u.id: u.username for u in db.session.query(User).filter(User.id.in_({c.user_id for c in batch.confirmations}))}
        if batch.confirmations
        else {}
    )
    return BatchOut(
        id=batch.id,
        number=batch.number,
        title=batch.title,
        status=batch.status,
        effective_from=batch.effective_from,
        effective_to=batch.effective_to,
        entries=[
            EntryOut(
                id=e.id,
                position=e.position,
                uscc=e.enterprise.uscc,
                name=e.enterprise.name,
                recommended_amount=two_places(e.recommended_amount),
                note=e.note,
            )
            for e in batch.entries
        ],
        confirmations=[
            ConfirmationOut(
                role=c.role,
                action=c.action,
                by=names.get(c.user_id, ""),
                at=c.created_at,
                comment=c.comment,
                current=c.action == "confirm" and c.cleared_at is None,
            )
            for c in batch.confirmations
        ],
    ).model_dump(mode="json")


@endpoint(
    "/list-batches",
    "POST",
    summary="新建推荐名单批次（草稿）",
    tag=TAG,
    roles=who_may("lists.edit"),
    body=BatchIn,
    response=BatchOut,
    status=201,
    errors=(422,),
)
def create_batch(body: BatchIn):
    return batch_out(lists.create_batch(g.api_user, number=body.number, title=body.title, note=body.note)), 201


@endpoint("/list-batches", summary="全部批次", tag=TAG, roles=who_may("lists.read"), response=list[BatchSummary])
def list_batches():
    return [
        BatchSummary(
            id=b.id,
            number=b.number,
            status=b.status,
            effective_from=b.effective_from,
            effective_to=b.effective_to,
            entry_count=len(b.entries),
        ).model_dump(mode="json")
        for b in lists.list_batches(g.api_user)
    ]


@endpoint(
    "/list-batches/current",
    summary="某日有效的推荐名单（银行只能看到这一份）",
    tag=TAG,
    roles=who_may("lists.read_current"),
    query=DateQuery,
    response=BatchOut,
    errors=(404,),
)
def current_batch(query: DateQuery):
    return batch_out(lists.current(g.api_user, query.date or clock.today()))


@endpoint(
    "/list-batches/<int:batch_id>",
    summary="一个批次及其名单",
    tag=TAG,
    roles=who_may("lists.read_current"),
    response=BatchOut,
    errors=(404,),
)
def get_batch(batch_id: int):
    return batch_out(lists.get_batch(g.api_user, batch_id))


@endpoint(
    "/list-batches/<int:batch_id>/entries",
    "POST",
    summary="加入企业（不符合条件 → enterprise_ineligible）",
    tag=TAG,
    roles=who_may("lists.edit"),
    body=EntryIn,
    response=BatchOut,
    status=201,
    errors=(404, 409, 422),
)
def add_entry(batch_id: int, body: EntryIn):
    lists.add_entry(g.api_user, batch_id, body.uscc, body.recommended_amount, body.note)
    return batch_out(lists.get_batch(g.api_user, batch_id)), 201


@endpoint(
    "/list-batches/<int:batch_id>/entries/<int:entry_id>",
    "PATCH",
    summary="修改推荐额度或备注",
    tag=TAG,
    roles=who_may("lists.edit"),
    body=EntryPatch,
    response=BatchOut,
    errors=(404, 409, 422),
)
def patch_entry(batch_id: int, entry_id: int, body: EntryPatch):
    lists.update_entry(g.api_user, batch_id, entry_id, body.recommended_amount, body.note)
    return batch_out(lists.get_batch(g.api_user, batch_id))


@endpoint(
    "/list-batches/<int:batch_id>/entries/<int:entry_id>",
    "DELETE",
    summary="移出名单（仅草稿）",
    tag=TAG,
    roles=who_may("lists.edit"),
    response=BatchOut,
    errors=(404, 409),
)
def delete_entry(batch_id: int, entry_id: int):
    lists.remove_entry(g.api_user, batch_id, entry_id)
    return batch_out(lists.get_batch(g.api_user, batch_id))


@endpoint(
    "/list-batches/<int:batch_id>/confirm",
    "POST",
    summary="确认（经济开发区、行业主管部门、区金融服务中心各自确认）",
    tag=TAG,
    roles=who_may("lists.confirm"),
    body=ConfirmIn,
    response=BatchOut,
    errors=(404, 409, 422),
)
def confirm_batch(batch_id: int, body: ConfirmIn):
    return batch_out(lists.confirm(g.api_user, batch_id, body.role, body.comment))


@endpoint(
    "/list-batches/<int:batch_id>/return",
    "POST",
    summary="退回修改（须写明理由），批次回到草稿",
    tag=TAG,
    roles=who_may("lists.confirm"),
    body=ReturnIn,
    response=BatchOut,
    errors=(404, 409, 422),
)
def return_batch(batch_id: int, body: ReturnIn):
    return batch_out(lists.return_batch(g.api_user, batch_id, body.comment, body.role))


@endpoint(
    "/list-batches/<int:batch_id>/issue",
    "POST",
    summary="发布（三方确认后），上一批次自生效日前一日起被替代",
    tag=TAG,
    roles=who_may("lists.edit"),
    body=IssueIn,
    response=BatchOut,
    errors=(404, 409, 422),
)
def issue_batch(batch_id: int, body: IssueIn):
    return batch_out(lists.issue(g.api_user, batch_id, body.effective_from))


@endpoint(
    "/list-batches/<int:batch_id>/attachment-1.pdf",
    summary="附件1 推荐企业名单（PDF）",
    tag=TAG,
    roles=who_may("lists.read_current"),
    errors=(404,),
    content_type=downloads.PDF,
)
def attachment_1(batch_id: int):
    from eloan.pdf.attachment1 import render_attachment1

    batch = lists.get_batch(g.api_user, batch_id)
    return downloads.pdf(render_attachment1(batch), f"attachment-1-{batch.id}.pdf")


@endpoint(
    "/screening/candidates",
    summary="筛选候选企业（A、B、C 类依次，再按纳税销售收入）",
    tag=TAG,
    roles=who_may("lists.screen"),
    query=CandidateQuery,
    response=Page[EnterpriseOut],
    errors=(422,),
)
def candidates(query: CandidateQuery):
    items, total = lists.candidates(g.api_user, q=query.q, page=query.page, per_page=query.per_page)
    return {"items": [enterprise_out(e) for e in items], "total": total, "page": query.page, "per_page": query.per_page}
