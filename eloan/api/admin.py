"""Reference data an administrator keeps, by API as on the admin pages; the audit log's self-check."""

from __future__ import annotations

from decimal import Decimal

from flask import g

from eloan.api.formats import rate
from eloan.api.registry import endpoint
from eloan.api.schemas import AuditVerifyOut, CalendarDayIn, CalendarDayOut, Lpr, LprIn
from eloan.domain.roles import who_may
from eloan.services import audit_chain, reference


@endpoint(
    "/calendar/days",
    "POST",
    summary="登记一天的节假日安排（国务院公布新年度安排时）",
    tag="admin",
    roles=who_may("system.manage"),
    body=CalendarDayIn,
    response=CalendarDayOut,
    status=201,
    errors=(422,),
)
def set_calendar_day(body: CalendarDayIn):
    row = reference.set_calendar_day(g.api_user, body.date, body.workday, body.note)
    return CalendarDayOut(date=row.day, workday=row.is_workday, note=row.note).model_dump(mode="json"), 201


@endpoint(
    "/lpr",
    "POST",
    summary="登记一年期LPR（自该日起适用）",
    tag="admin",
    roles=who_may("system.manage"),
    body=LprIn,
    response=Lpr,
    status=201,
    errors=(422,),
)
def save_lpr(body: LprIn):
    row = reference.save_lpr(g.api_user, body.effective_from, Decimal(body.lpr_1y_percent), body.note)
    return Lpr(
        date=row.effective_from, lpr_1y_percent=rate(row.rate_1y_percent), published=row.effective_from
    ).model_dump(mode="json"), 201


@endpoint(
    "/audit/verify",
    summary="校验审计日志的哈希链（逐条重算，报告第一条异常记录）",
    tag="audit",
    roles=who_may("audit.read"),
    response=AuditVerifyOut,
)
def verify_audit_chain():
    report = audit_chain.verify(g.api_user)
    return AuditVerifyOut(
        entries=report.entries,
        chain_ok=report.chain_ok,
        first_bad_id=report.first_bad_id,
        reason=report.reason,
        message=report.reason_text,
    ).model_dump(mode="json")
