"""Claims (API.md "Claims"): the bank opens and files; reviewers and finance decide."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask import Response, g, request
from pydantic import BaseModel, Field

from eloan.api import downloads
from eloan.api.banks import ReasonIn
from eloan.api.fields import (
    LONG_TEXT,
    LONGER_TEXT,
    Amount,
    Id,
    OpinionDecision,
    ReviewDecision,
    ReviewRole,
    Text,
    Time,
    column_length,
    text,
)
from eloan.api.formats import two_places
from eloan.api.problems import error, problem
from eloan.api.registry import endpoint
from eloan.api.schemas import Page, PageQuery, Strict
from eloan.domain.money import format_ratio
from eloan.domain.roles import who_may
from eloan.domain.states import CLAIM_STATES
from eloan.models import Bank, FundEntry, Payout
from eloan.pdf.attachment2 import render_attachment2
from eloan.services import claim_view, claims, files, recoveries
from eloan.services.claim_actions import ACTIONS
from eloan.services.claim_view import ClaimView

TAG = "claims"


class ClaimIn(Strict):
    loan_id: Id


class SubmitIn(Strict):
    collection_measures: Text | None = text(LONGER_TEXT, default=None, description="已采取的清收措施")


class ExtensionIn(Strict):
    reason: Text = text(LONG_TEXT, min_length=1)
    until: dt.date


class ReviewIn(Strict):
    decision: ReviewDecision
    comment: Text | None = text(LONG_TEXT, default=None)
    role: ReviewRole | None = Field(None, description="只在同时担任多个审核单位时需要")


class OpinionIn(Strict):
    decision: OpinionDecision
    amount: Amount | None = Field(None, description="核减后金额（reduce 时必填）")
    reason: Text | None = text(LONG_TEXT, default=None)


class PayoutIn(Strict):
    date: dt.date
    reference: Text | None = text(column_length(Payout.reference), default=None, description="国库支付凭证号等")


class RecoveryIn(Strict):
    date: dt.date
    amount: Amount


class ReceiptIn(Strict):
    date: dt.date
    amount: Amount
    reference: Text | None = text(column_length(FundEntry.reference), default=None)


class RemitIn(Strict):
    date: dt.date
    reference: Text | None = text(column_length(FundEntry.reference), default=None)


class DocumentOut(BaseModel):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    current: bool


class ReviewOut(BaseModel):
    round: int
    role: str
    decision: str
    comment: str | None
    at: Time


class TransitionOut(BaseModel):
    from_status: str | None
    to_status: str
    at: Time
    reason: str | None


class RecoveryOut(BaseModel):
    id: int
    date: dt.date
    amount: str
    fund_part: str
    bank_part: str
    remitted_on: dt.date | None


class ClaimOut(BaseModel):
    id: int
    status: str
    bank: str
    loan_id: int
    contract_no: str
    enterprise_uscc: str
    npl_recognised_on: dt.date
    principal: str
    bank_share: str
    fund_ratio: str
    compensation: str
    approved_amount: str | None
    paid_amount: str
    filing_deadline: dt.date
    deadline_provisional: bool
    extended_until: dt.date | None
    accepted_on: dt.date | None
    opinion_deadline: dt.date | None
    payout_deadline: dt.date | None
    opinion: dict | None
    missing_materials: list[str]
    documents: list[DocumentOut]
    reviews: list[ReviewOut]
    recoveries: list[RecoveryOut]
    owed_to_fund: str
    fraud: bool
    history: list[TransitionOut]
    allowed_actions: list[Literal[ACTIONS]] = Field(
        description=(
            "调用者此刻可对本申请办理的事项（与页面提供的表单一致，服务端按同一规则受理）：add_document 上传材料、submit 提交、"
            "extend 批准延期、review 会审、opinion 出具意见、pay 拨付、record_recovery 登记追偿款、remit 确认追偿款到账、"
            "receive_clawback 登记追缴款到账、mark_fraud 认定骗取补偿资金"
        )
    )


def claim_out(view: ClaimView) -> dict:
    claim = view.claim
    opinion = (
        None
        if claim.opinion_decision is None
        else {"decision": claim.opinion_decision, "reason": claim.opinion_reason, "on": claim.opinion_on.isoformat()}
    )
    return ClaimOut(
        id=claim.id,
        status=claim.status,
        bank=claim.bank.code,
        loan_id=claim.loan_id,
        contract_no=claim.loan.contract_no,
        enterprise_uscc=claim.loan.enterprise.uscc,
        npl_recognised_on=claim.npl_recognised_on,
        principal=two_places(claim.principal),
        bank_share=format_ratio(claim.bank_share),
        fund_ratio=format_ratio(claim.fund_ratio),
        compensation=two_places(claim.compensation),
        approved_amount=two_places(claim.approved_amount),
        paid_amount=two_places(view.paid),
        filing_deadline=claim.filing_deadline,
        deadline_provisional=claim.filing_deadline_provisional,
        extended_until=claim.extended_until,
        accepted_on=claim.accepted_on,
        opinion_deadline=claim.opinion_deadline,
        payout_deadline=claim.payout_deadline,
        opinion=opinion,
        missing_materials=view.missing,
        documents=[
            DocumentOut(
                id=d.id,
                kind=d.kind,
                filename=d.file.filename,
                content_type=d.file.content_type,
                size=d.file.size,
                sha256=d.file.sha256,
                current=not d.superseded,
            )
            for d in claim.documents
        ],
        reviews=[
            ReviewOut(round=r.round, role=r.role, decision=r.decision, comment=r.comment, at=r.created_at)
            for r in claim.reviews
        ],
        recoveries=[
            RecoveryOut(
                id=r.id,
                date=r.recovered_on,
                amount=two_places(r.amount),
                fund_part=two_places(r.fund_part),
                bank_part=two_places(r.bank_part),
                remitted_on=r.remitted_on,
            )
            for r in claim.recoveries
        ],
        owed_to_fund=two_places(view.owed_to_fund),
        fraud=claim.fraud,
        history=[
            TransitionOut(from_status=t.from_status, to_status=t.to_status, at=t.created_at, reason=t.reason)
            for t in claim.transitions
        ],
        allowed_actions=[a for a in ACTIONS if a in view.actions],
    ).model_dump(mode="json")


def _claim(claim_id: int) -> dict:
    """The claim as the caller may see it now, read whole (services.claim_view)."""
    return claim_out(claim_view.read(g.api_user, claim_id))


class ClaimQuery(PageQuery):
    status: Literal[tuple(CLAIM_STATES)] | None = None
    bank: Text | None = text(column_length(Bank.code), default=None, description="银行代码")


@endpoint(
    "/claims",
    "POST",
    summary="对不良贷款开立补偿申请（草稿）",
    tag=TAG,
    roles=who_may("claims.file"),
    body=ClaimIn,
    response=ClaimOut,
    status=201,
    errors=(404, 422),
)
def open_claim(body: ClaimIn):
    return _claim(claims.open_claim(g.api_user, body.loan_id).id), 201


@endpoint(
    "/claims",
    summary="补偿申请（银行只看到本行）",
    tag=TAG,
    roles=who_may("claims.read"),
    query=ClaimQuery,
    response=Page[ClaimOut],
)
def list_claims(query: ClaimQuery):
    items, total = claims.search(
        g.api_user, status=query.status, bank_code=query.bank, page=query.page, per_page=query.per_page
    )
    views = claim_view.read_many(g.api_user, items)
    return {"items": [claim_out(v) for v in views], "total": total, "page": query.page, "per_page": query.per_page}


@endpoint(
    "/claims/<int:claim_id>",
    summary="一件补偿申请：金额、各项期限、审核、意见、拨付、追偿、历史",
    tag=TAG,
    roles=who_may("claims.read"),
    response=ClaimOut,
    errors=(404,),
)
def get_claim(claim_id: int):
    return _claim(claim_id)


@endpoint(
    "/claims/<int:claim_id>/documents",
    "POST",
    summary="上传材料（multipart：kind + file；PDF/JPEG/PNG，≤20MB）",
    tag=TAG,
    roles=who_may("claims.file"),
    response=ClaimOut,
    status=201,
    errors=(404, 409, 422),
)
def upload_document(claim_id: int):
    upload = request.files.get("file")
    if upload is None:
        return problem(400, [error("file_required", "请以 multipart/form-data 上传 kind 与 file。", "file")])
    claims.add_document(g.api_user, claim_id, request.form.get("kind", ""), upload.read(), upload.filename or "")
    return _claim(claim_id), 201


@endpoint(
    "/claims/<int:claim_id>/documents/<int:document_id>",
    summary="下载材料",
    tag=TAG,
    roles=who_may("claims.read"),
    errors=(404,),
    content_type="application/octet-stream",
)
def download_document(claim_id: int, document_id: int):
    stored = claims.document_file(g.api_user, claim_id, document_id)
    return Response(
        files.read(stored),
        mimetype=stored.content_type,
        headers={
            "Content-Disposition": f"attachment; filename=document-{document_id}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@endpoint(
    "/claims/<int:claim_id>/submit",
    "POST",
    summary="提交（逾期 → filing_deadline_passed；缺材料 → materials_incomplete）",
    tag=TAG,
    roles=who_may("claims.file"),
    body=SubmitIn,
    response=ClaimOut,
    errors=(404, 409, 422),
)
def submit(claim_id: int, body: SubmitIn):
    claims.submit(g.api_user, claim_id, body.collection_measures)
    return _claim(claim_id)


@endpoint(
    "/claims/<int:claim_id>/extension",
    "POST",
    summary="批准延期提交（区财政局，须写明理由）",
    tag=TAG,
    roles=who_may("claims.decide"),
    body=ExtensionIn,
    response=ClaimOut,
    errors=(404, 409, 422),
)
def extension(claim_id: int, body: ExtensionIn):
    claims.grant_extension(g.api_user, claim_id, body.until, body.reason)
    return _claim(claim_id)


@endpoint(
    "/claims/<int:claim_id>/reviews",
    "POST",
    summary="会审：同意或退回补正",
    tag=TAG,
    roles=who_may("claims.review"),
    body=ReviewIn,
    response=ClaimOut,
    errors=(404, 409, 422),
)
def review(claim_id: int, body: ReviewIn):
    claims.review(g.api_user, claim_id, body.decision, body.comment, body.role)
    return _claim(claim_id)


@endpoint(
    "/claims/<int:claim_id>/opinion",
    "POST",
    summary="区财政局意见（三方审核后；否则 409 reviews_pending）",
    tag=TAG,
    roles=who_may("claims.decide"),
    body=OpinionIn,
    response=ClaimOut,
    errors=(404, 409, 422),
)
def opinion(claim_id: int, body: OpinionIn):
    claims.give_opinion(g.api_user, claim_id, body.decision, body.amount, body.reason)
    return _claim(claim_id)


@endpoint(
    "/claims/<int:claim_id>/payout",
    "POST",
    summary="拨付（须为出具意见以外的财政局人员：four_eyes）",
    tag=TAG,
    roles=who_may("claims.decide"),
    body=PayoutIn,
    response=ClaimOut,
    errors=(404, 409),
)
def payout(claim_id: int, body: PayoutIn):
    claims.pay(g.api_user, claim_id, body.date, body.reference)
    return _claim(claim_id)


@endpoint(
    "/claims/<int:claim_id>/recoveries",
    "POST",
    summary="登记追偿款：按补偿比例分为专户部分与银行部分",
    tag=TAG,
    roles=who_may("claims.file"),
    body=RecoveryIn,
    response=RecoveryOut,
    status=201,
    errors=(404, 409, 422),
)
def report_recovery(claim_id: int, body: RecoveryIn):
    r = recoveries.report_recovery(g.api_user, claim_id, body.date, body.amount)
    return RecoveryOut(
        id=r.id,
        date=r.recovered_on,
        amount=two_places(r.amount),
        fund_part=two_places(r.fund_part),
        bank_part=two_places(r.bank_part),
        remitted_on=r.remitted_on,
    ).model_dump(mode="json"), 201


@endpoint(
    "/recoveries/<int:recovery_id>/remit",
    "POST",
    summary="追偿款专户部分到账",
    tag=TAG,
    roles=who_may("claims.decide"),
    body=RemitIn,
    response=ClaimOut,
    errors=(404, 409),
)
def remit(recovery_id: int, body: RemitIn):
    entry = recoveries.remit(g.api_user, recovery_id, body.date, body.reference)
    return _claim(entry.claim_id)


@endpoint(
    "/claims/<int:claim_id>/fraud",
    "POST",
    summary="认定骗取补偿资金（第十九条）：取消银行资格并追缴",
    tag=TAG,
    roles=who_may("claims.decide"),
    body=ReasonIn,
    response=ClaimOut,
    errors=(404, 409, 422),
)
def fraud(claim_id: int, body: ReasonIn):
    recoveries.mark_fraud(g.api_user, claim_id, body.reason)
    return _claim(claim_id)


@endpoint(
    "/clawbacks/<int:clawback_id>/receipts",
    "POST",
    summary="收回追缴款",
    tag=TAG,
    roles=who_may("claims.decide"),
    body=ReceiptIn,
    response=ClaimOut,
    errors=(404, 409, 422),
)
def clawback_receipt(clawback_id: int, body: ReceiptIn):
    entry = recoveries.receive_clawback(g.api_user, clawback_id, body.amount, body.date, body.reference)
    return _claim(entry.claim_id)


@endpoint(
    "/claims/<int:claim_id>/attachment-2.pdf",
    summary="附件2 风险补偿资金申请表（PDF）",
    tag=TAG,
    roles=who_may("claims.read"),
    errors=(404,),
    content_type=downloads.PDF,
)
def attachment_2(claim_id: int):
    view = claim_view.read(g.api_user, claim_id)
    return downloads.pdf(render_attachment2(view.claim, names=view.names), f"attachment-2-{claim_id}.pdf")
