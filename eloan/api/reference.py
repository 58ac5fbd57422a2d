"""Reference endpoints: who am I, the policy in force, deadlines, the LPR, the audit trail."""

from __future__ import annotations

from flask import g

from eloan import clock
from eloan.api.formats import rate, two_places
from eloan.api.problems import error, problem
from eloan.api.registry import endpoint
from eloan.api.schemas import AuditEntryOut, AuditQuery, DateQuery, DeadlineOut, DeadlineQuery, Lpr, Me, Page, Policy
from eloan.domain.calendar import end_of_day
from eloan.domain.errors import NoPolicyInForce
from eloan.domain.money import format_ratio
from eloan.domain.roles import who_may
from eloan.services import audit, reference


@endpoint("/me", summary="当前令牌的用户", tag="reference", response=Me)
def me():
    user = g.api_user
    bank = {"code": user.bank.code, "name": user.bank.name} if user.bank else None
    return Me(username=user.username, display_name=user.display_name, roles=user.roles, bank=bank).model_dump(
        mode="json"
    )


@endpoint(
    "/policy", summary="某日有效的政策版本及全部参数", tag="reference", query=DateQuery, response=Policy, errors=(404,)
)
def policy(query: DateQuery):
    on = query.date or clock.today()
    try:
        p = reference.policy_on(on)
    except NoPolicyInForce as exc:
        # A date outside every version is "not found" here, with the policy's own code (API.md).
        return problem(404, [error(v.code, v.message) for v in exc.violations])
    return Policy(
        code=p.code,
        name=p.name,
        effective_from=p.effective_from,
        effective_to=p.effective_to,
        max_compensation_ratio=format_ratio(p.max_compensation_ratio),
        min_bank_share=format_ratio(p.min_bank_share),
        rate_spread_bp=p.rate_spread_bp,
        max_term_months=p.max_term_months,
        max_outstanding_per_enterprise=two_places(p.max_outstanding_per_enterprise),
        filing_working_days=p.filing_working_days,
        opinion_days=p.opinion_days,
        payout_days=p.payout_days,
        npl_ratio_threshold=format_ratio(p.npl_ratio_threshold),
        overdue_ratio_threshold=format_ratio(p.overdue_ratio_threshold),
        fund_scale=two_places(p.fund_scale),
        first_tranche=two_places(p.first_tranche),
        eligible_industries=list(p.eligible_industries),
    ).model_dump(mode="json")


@endpoint(
    "/calendar/deadline",
    summary="期限计算：N 个工作日后，或 N 日后（遇节假日顺延）",
    tag="reference",
    query=DeadlineQuery,
    response=DeadlineOut,
)
def calendar_deadline(query: DeadlineQuery):
    d = reference.deadline(query.from_, working_days=query.working_days, days=query.days)
    return DeadlineOut(deadline=d.date, provisional=d.provisional, end_of_day=end_of_day(d.date)).model_dump(
        mode="json"
    )


@endpoint("/lpr", summary="某日有效的一年期LPR", tag="reference", query=DateQuery, response=Lpr, errors=(422,))
def lpr(query: DateQuery):
    on = query.date or clock.today()
    row = reference.lpr_on(on)
    return Lpr(date=on, lpr_1y_percent=rate(row.rate_1y_percent), published=row.effective_from).model_dump(mode="json")


@endpoint(
    "/audit",
    summary="审计记录（最新在前）",
    tag="audit",
    roles=who_may("audit.read"),
    query=AuditQuery,
    response=Page[AuditEntryOut],
)
def audit_trail(query: AuditQuery):
    object_type, _, object_id = (query.object or "").partition(":")
    items, total = audit.search(
        g.api_user,
        object_type=object_type or None,
        object_id=object_id or None,
        actor_name=query.actor,
        page=query.page,
        per_page=query.per_page,
    )
    return Page[AuditEntryOut](
        items=[
            AuditEntryOut(
                id=e.id,
                at=e.at,
                actor=e.actor_name,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                changes=e.changes or {},
                channel=e.channel,
            )
            for e in items
        ],
        total=total,
        page=query.page,
        per_page=query.per_page,
    ).model_dump(mode="json")
