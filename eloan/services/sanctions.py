"""Sanctions on defaulting enterprises (第十四条第二款, 第十七条; POLICY.md §10).

An overdue or NPL programme loan flags the enterprise at once: 取消评优评先资格, 停发奖补资金,
暂停优惠政策 — until `finance` or `zone` clears it with a reason. Screening excludes flagged enterprises.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from eloan import clock
from eloan.domain.errors import RuleViolation, StateConflict, Violation
from eloan.domain.states import LOANS_IN_ARREARS
from eloan.domain.uscc import normalise_uscc
from eloan.extensions import db
from eloan.models import Enterprise, Sanction
from eloan.services import audit
from eloan.services.access import require

MEASURES = "取消评优评先资格；停发奖补资金；暂停优惠政策"


def open_sanction(enterprise_id: int) -> Sanction | None:
    """The sanction in force on the enterprise, if any."""
    return db.session.scalars(
        select(Sanction).where(Sanction.enterprise_id == enterprise_id, Sanction.cleared_on.is_(None))
    ).first()


def flag(actor, enterprise: Enterprise, reason: str, on: date, loan_id: int | None = None) -> Sanction | None:
    """Flag the enterprise (called inside the loan service's transaction; it commits).

    An enterprise already flagged keeps its earlier record: the sanction runs from the first default.
    """
    if open_sanction(enterprise.id) is not None:
        return None
    sanction = Sanction(enterprise_id=enterprise.id, loan_id=loan_id, reason=reason, flagged_on=on)
    db.session.add(sanction)
    enterprise.sanctioned = True
    audit.record(actor, "sanction.flag", sanction, {"enterprise": enterprise.uscc, "reason": reason, "flagged_on": on})
    return sanction


def clear(actor, uscc: str, reason: str) -> Sanction:
    require(actor, "sanctions.clear")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation([Violation("reason_required", "解除惩戒须填写理由。", None, "reason")])
    enterprise = db.session.scalars(
        select(Enterprise).where(Enterprise.uscc == normalise_uscc(uscc)).with_for_update()
    ).first()
    sanction = enterprise and open_sanction(enterprise.id)
    if not sanction:
        raise StateConflict("not_sanctioned", f"企业 {uscc} 目前没有被惩戒，无需解除。")
    sanction.cleared_on, sanction.cleared_by_id, sanction.clear_reason = clock.today(), actor.id, reason
    enterprise.sanctioned = False
    audit.record(actor, "sanction.clear", sanction, {"enterprise": enterprise.uscc, "reason": reason})
    db.session.commit()
    return sanction


def list_sanctions(actor, *, include_cleared: bool = False, page: int = 1, per_page: int = 50):
    require(actor, "sanctions.read")
    stmt = select(Sanction).join(Enterprise)
    if not include_cleared:
        stmt = stmt.where(Sanction.cleared_on.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.order_by(Sanction.flagged_on.desc(), Sanction.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return items, total


def loan_default_reason(loan, status: str) -> str:
    """Why a loan's default flags its enterprise, as the sanctions list shows it."""
    label = "逾期" if status == "overdue" else "不良"
    return f"“园区E贷”贷款（{loan.bank.name}，合同 {loan.contract_no}）{label}"


def sweep(day: date) -> int:
    """Flag every enterprise with an overdue or NPL loan that no sanction has answered yet (the daily job's
    safety net behind the loan service). A sanction cleared by hand for that loan is not re-imposed."""
    from eloan.models import Loan  # loans import this module

    answered = select(Sanction.id).where(Sanction.loan_id == Loan.id).exists()
    unflagged = db.session.scalars(
        select(Loan)
        .join(Enterprise, Enterprise.id == Loan.enterprise_id)
        .where(Loan.status.in_(LOANS_IN_ARREARS), Enterprise.sanctioned.is_(False), ~answered)
        .order_by(Loan.id)
    ).all()
    flagged = 0
    for loan in unflagged:
        if flag(None, loan.enterprise, loan_default_reason(loan, loan.status) + "（每日监测发现）", day, loan.id):
            flagged += 1
    return flagged
