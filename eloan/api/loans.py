"""Programme loans (API.md "Loans"): a bank writes its own; government roles read all."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from flask import Response, g, request
from pydantic import BaseModel, Field, ValidationError

from eloan.api.banks import ReasonIn
from eloan.api.fields import LONG_TEXT, Amount, RatePercent, Text, Uscc, column_length, text
from eloan.api.formats import rate, two_places
from eloan.api.registry import endpoint, json_body, validation_problem
from eloan.api.schemas import Page, PageQuery, Strict
from eloan.domain.eligibility import ALLOWED_GUARANTEES
from eloan.domain.loans import EVENT_TYPES
from eloan.domain.roles import who_may
from eloan.domain.states import LOAN_STATUSES
from eloan.models import Bank, Loan, Repayment
from eloan.services import files, loans

TAG = "loans"
GUARANTEE_TEXT = 50  # a code, or the label a spreadsheet would hold; anything else is refused by rule (第七条)


class LoanIn(Strict):
    contract_no: Text = text(column_length(Loan.contract_no), min_length=1)
    enterprise_uscc: Uscc
    amount: Amount = Field(description="贷款金额（元），两位小数的字符串")
    rate_percent: RatePercent = Field(description='年利率（%），如 "3.60"')
    contract_date: dt.date
    drawdown_date: dt.date
    maturity_date: dt.date
    guarantees: list[Annotated[Text, text(GUARANTEE_TEXT)]] = Field(
        default_factory=list,
        max_length=len(ALLOWED_GUARANTEES),
        description="legal_rep | controlling_shareholder | spouse | actual_controller；其他担保方式 → 422 guarantee_not_allowed",
    )


class RepaymentIn(Strict):
    date: dt.date
    principal: Amount
    interest: Amount = "0.00"
    reference: Text | None = text(column_length(Repayment.reference), default=None)


class EventIn(Strict):
    type: Literal[tuple(EVENT_TYPES)] = Field(description="npl 须以 multipart 上传 proof 文件")
    date: dt.date
    note: Text | None = text(LONG_TEXT, default=None)


class RepaymentOut(BaseModel):
    id: int
    date: dt.date
    principal: str
    interest: str
    reference: str | None


class EventOut(BaseModel):
    id: int
    type: str
    date: dt.date
    note: str | None
    proof: str | None


class LoanOut(BaseModel):
    id: int
    bank: str
    contract_no: str
    enterprise_uscc: str
    enterprise_name: str
    amount: str
    rate_percent: str
    lpr_percent: str
    contract_date: dt.date
    drawdown_date: dt.date
    maturity_date: dt.date
    guarantees: list[str]
    outstanding_principal: str
    status: str
    overdue_since: dt.date | None
    npl_recognised_on: dt.date | None
    not_compensable: bool
    not_compensable_reason: str | None
    repayments: list[RepaymentOut]
    events: list[EventOut]


class LoanQuery(PageQuery):
    q: Text | None = text(100, default=None, description="合同编号或企业名称、代码中包含的文字")
    status: Literal[tuple(LOAN_STATUSES)] | None = None
    bank: Text | None = text(column_length(Bank.code), default=None, description="银行代码")


def loan_out(loan) -> dict:
    return LoanOut(
        id=loan.id,
        bank=loan.bank.code,
        contract_no=loan.contract_no,
        enterprise_uscc=loan.enterprise.uscc,
        enterprise_name=loan.enterprise.name,
        amount=two_places(loan.amount),
        rate_percent=rate(loan.rate_percent),
        lpr_percent=rate(loan.lpr_percent),
        contract_date=loan.contract_date,
        drawdown_date=loan.drawdown_date,
        maturity_date=loan.maturity_date,
        guarantees=list(loan.guarantees or []),
        outstanding_principal=two_places(loan.outstanding_principal),
        status=loan.status,
        overdue_since=loan.overdue_since,
        npl_recognised_on=loan.npl_recognised_on,
        not_compensable=loan.not_compensable,
        not_compensable_reason=loan.not_compensable_reason,
        repayments=[
            RepaymentOut(
                id=r.id,
                date=r.paid_on,
                principal=two_places(r.principal),
                interest=two_places(r.interest),
                reference=r.reference,
            )
            for r in loan.repayments
        ],
        events=[
            EventOut(
                id=e.id,
                type=e.type,
                date=e.event_date,
                note=e.note,
                proof=f"/api/v1/loans/{loan.id}/events/{e.id}/proof" if e.document_id else None,
            )
            for e in loan.events
        ],
    ).model_dump(mode="json")


@endpoint(
    "/loans",
    "POST",
    summary="登记“园区E贷”贷款；违反的每一条规则都会列出",
    tag=TAG,
    roles=who_may("loans.register"),
    body=LoanIn,
    response=LoanOut,
    status=201,
    errors=(422,),
)
def register_loan(body: LoanIn):
    return loan_out(loans.register(g.api_user, body.model_dump())), 201


@endpoint(
    "/loans",
    summary="贷款列表（银行只看到本行）",
    tag=TAG,
    roles=who_may("loans.read"),
    query=LoanQuery,
    response=Page[LoanOut],
)
def list_loans(query: LoanQuery):
    items, total = loans.search(
        g.api_user, page=query.page, per_page=query.per_page, q=query.q, status=query.status, bank_code=query.bank
    )
    return {"items": [loan_out(x) for x in items], "total": total, "page": query.page, "per_page": query.per_page}


@endpoint(
    "/loans/<int:loan_id>",
    summary="一笔贷款，含还款与状态事项",
    tag=TAG,
    roles=who_may("loans.read"),
    response=LoanOut,
    errors=(404,),
)
def get_loan(loan_id: int):
    return loan_out(loans.get(g.api_user, loan_id))


@endpoint(
    "/loans/<int:loan_id>/repayments",
    "POST",
    summary="登记还款（本金超过余额 → overpayment）",
    tag=TAG,
    roles=who_may("loans.register"),
    body=RepaymentIn,
    response=LoanOut,
    status=201,
    errors=(404, 422),
)
def add_repayment(loan_id: int, body: RepaymentIn):
    loans.record_repayment(g.api_user, loan_id, body.date, body.principal, body.interest, body.reference)
    return loan_out(loans.get(g.api_user, loan_id)), 201


@endpoint(
    "/loans/<int:loan_id>/events",
    "POST",
    summary="登记逾期、纠正、不良（附证明）或核销",
    tag=TAG,
    roles=who_may("loans.register"),
    response=LoanOut,
    status=201,
    errors=(404, 422),
)
def add_event(loan_id: int):
    # JSON for most events; multipart/form-data (type, date, note + file "proof") for an NPL with its proof.
    if request.mimetype == "multipart/form-data":
        payload = request.form.to_dict()
    else:
        payload, refused = json_body()
        if refused is not None:
            return refused
    try:
        body = EventIn.model_validate(payload)
    except ValidationError as exc:
        return validation_problem(exc, "body")
    upload = request.files.get("proof")
    proof = (upload.read(), upload.filename or "proof") if upload else None
    loans.record_event(g.api_user, loan_id, body.type, body.date, body.note, proof)
    return loan_out(loans.get(g.api_user, loan_id)), 201


@endpoint(
    "/loans/<int:loan_id>/not-compensable",
    "POST",
    summary="认定不予补偿（第八条），须写明理由",
    tag=TAG,
    roles=who_may("loans.mark"),
    body=ReasonIn,
    response=LoanOut,
    errors=(404, 422),
)
def not_compensable(loan_id: int, body: ReasonIn):
    return loan_out(loans.mark_not_compensable(g.api_user, loan_id, body.reason))


@endpoint(
    "/loans/<int:loan_id>/events/<int:event_id>/proof",
    summary="不良认定证明文件",
    tag=TAG,
    roles=who_may("loans.read"),
    errors=(404,),
    content_type="application/octet-stream",
)
def event_proof(loan_id: int, event_id: int):
    stored = loans.proof_file(g.api_user, loan_id, event_id)
    return Response(
        files.read(stored),
        mimetype=stored.content_type,
        headers={
            "Content-Disposition": f"attachment; filename=proof-{event_id}",
            "X-Content-Type-Options": "nosniff",
        },
    )
