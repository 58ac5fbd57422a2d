"""The annual evaluation of the banks (API.md "Fund, monitoring, reports"; 第二十条, POLICY.md §11).

The evaluation is for the government roles and the auditor; a bank gets 404 (an object it may not see),
so the routes declare no role list and the service answers 404 to a bank, 403 to any other role lacking
the permission.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask import g
from pydantic import BaseModel

from eloan.api import downloads
from eloan.api.fields import LONG_TEXT, Text, text
from eloan.api.formats import two_places
from eloan.api.registry import endpoint
from eloan.api.schemas import Strict
from eloan.domain.evaluation import AREAS
from eloan.services import evaluations

TAG = "evaluations"
WHO = "（财政局、金融服务中心、开发区、行业主管部门、审计可读；合作银行：404）"


class EvaluationBank(BaseModel):
    code: str
    name: str


class EvaluationScores(BaseModel):
    volume: str
    risk: str
    rate: str
    service: str


class EvaluationAdjustment(BaseModel):
    score: str
    reason: str
    by: str
    at: str


class EvaluationRowOut(BaseModel):
    bank: EvaluationBank
    indicators: dict
    computed: EvaluationScores
    scores: EvaluationScores
    adjustments: dict[str, EvaluationAdjustment]
    total: str
    rank: int
    suggested: str
    decision: str | None
    decision_reason: str | None
    agreement_end: dt.date | None


class EvaluationConfirmationOut(BaseModel):
    role: str
    user: str
    comment: str | None
    at: str


class EvaluationOut(BaseModel):
    year: int
    status: Literal["draft", "confirmed", "decided"]
    policy_code: str
    weights: dict[str, str]
    method: dict
    computed_at: str | None
    banks: list[EvaluationRowOut]
    confirmations: list[EvaluationConfirmationOut]
    report_file: str | None


class EvaluationConfirmIn(Strict):
    comment: Text | None = text(LONG_TEXT, default=None, description="意见（可不填）")
    role: Literal["zone", "industry", "fsc"] | None = None


class EvaluationAdjustmentIn(Strict):
    bank: str
    area: Literal["volume", "risk", "rate", "service"]
    score: str
    reason: Text = text(LONG_TEXT, description="调整理由（必填）")


class EvaluationDecisionIn(Strict):
    bank: str
    decision: Literal["continue", "conditional", "end"]
    reason: Text | None = text(LONG_TEXT, default=None, description="与建议不同时必填")
    agreement_end: dt.date | None = None


def evaluation_out(ev) -> dict:
    return EvaluationOut(
        year=ev.year,
        status=ev.status,
        policy_code=ev.policy_code,
        weights=ev.method["weights"],
        method=ev.method,
        computed_at=ev.computed_at.isoformat(timespec="seconds") if ev.computed_at else None,
        banks=[row_out(r) for r in sorted(ev.rows, key=lambda r: (r.rank, r.bank.code))],
        confirmations=[
            EvaluationConfirmationOut(
                role=c.role, user=c.user.username, comment=c.comment, at=c.created_at.isoformat(timespec="seconds")
            )
            for c in ev.confirmations
        ],
        report_file=ev.report_file.filename if ev.report_file_id and ev.report_file else None,
    ).model_dump(mode="json")


def row_out(r) -> EvaluationRowOut:
    return EvaluationRowOut(
        bank=EvaluationBank(code=r.bank.code, name=r.bank.name),
        indicators=r.indicators,
        computed=EvaluationScores(**r.computed),
        scores=EvaluationScores(**r.scores),
        adjustments={a: EvaluationAdjustment(**v) for a, v in (r.adjustments or {}).items() if a in AREAS},
        total=two_places(r.total),
        rank=r.rank,
        suggested=r.suggested,
        decision=r.decision,
        decision_reason=r.decision_reason,
        agreement_end=r.agreement_end,
    )


@endpoint(
    "/evaluations/<int:year>",
    "POST",
    summary="财政局：计算（草稿期间可重新计算）该年度各合作银行的绩效评价（第二十条）",
    tag=TAG,
    response=EvaluationOut,
    errors=(404, 409, 422),
)
def compute(year: int):
    return evaluation_out(evaluations.compute(g.api_user, year))


@endpoint(
    "/evaluations/<int:year>",
    summary="年度绩效评价：各银行指标、得分、调整、总分、排名、建议与决定；尚未计算为 404" + WHO,
    tag=TAG,
    response=EvaluationOut,
    errors=(404,),
)
def read(year: int):
    return evaluation_out(evaluations.get(g.api_user, year))


@endpoint(
    "/evaluations/<int:year>/confirm",
    "POST",
    summary="开发区、行业主管部门、金融服务中心：确认评价草稿（可附意见）",
    tag=TAG,
    body=EvaluationConfirmIn,
    response=EvaluationOut,
    errors=(404, 409, 422),
)
def confirm(year: int, body: EvaluationConfirmIn):
    evaluations.confirm(g.api_user, year, body.comment, body.role)
    return evaluation_out(evaluations.get(g.api_user, year))


@endpoint(
    "/evaluations/<int:year>/adjustments",
    "POST",
    summary="财政局：手工调整某银行某项得分（仅草稿；理由必填：reason_required）",
    tag=TAG,
    body=EvaluationAdjustmentIn,
    response=EvaluationOut,
    errors=(404, 409, 422),
)
def adjust(year: int, body: EvaluationAdjustmentIn):
    evaluations.adjust(g.api_user, year, body.bank, body.area, body.score, body.reason)
    return evaluation_out(evaluations.get(g.api_user, year))


@endpoint(
    "/evaluations/<int:year>/decisions",
    "POST",
    summary="财政局：三家单位确认后逐家作出决定；与建议不同须填理由（reason_required），终止合作须给协议终止日",
    tag=TAG,
    body=EvaluationDecisionIn,
    response=EvaluationOut,
    errors=(404, 409, 422),
)
def decide(year: int, body: EvaluationDecisionIn):
    evaluations.decide(g.api_user, year, body.bank, body.decision, body.reason, body.agreement_end)
    return evaluation_out(evaluations.get(g.api_user, year))


@endpoint(
    "/evaluations/<int:year>/report.pdf",
    summary="年度绩效评价报告（PDF，含会签栏）" + WHO,
    tag=TAG,
    errors=(404,),
    content_type=downloads.PDF,
)
def report_pdf(year: int):
    from eloan.pdf.evaluation import render_evaluation_report

    ev = evaluations.get(g.api_user, year)
    return downloads.pdf(render_evaluation_report(ev), f"evaluation-{year}.pdf")


@endpoint(
    "/evaluations/<int:year>/report.xlsx",
    summary="年度绩效评价报告（Excel）" + WHO,
    tag=TAG,
    errors=(404,),
    content_type=downloads.XLSX,
)
def report_xlsx(year: int):
    from eloan.services.spreadsheets.evaluation import evaluation_workbook

    ev = evaluations.get(g.api_user, year)
    return downloads.xlsx(evaluation_workbook(ev), f"evaluation-{year}.xlsx")
