"""Programme loans: registration with every rule of POLICY.md §6 at once, repayments and status events
(第六、七、八、十四、十七条). Outstanding principal and status always follow from the recorded history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from eloan import clock
from eloan.domain.eligibility import LoanFacts, check_loan
from eloan.domain.errors import NoPolicyInForce, NotFound, RuleViolation, Violation
from eloan.domain.loan_input import LoanInput, parse_loan_input
from eloan.domain.loans import (
    EVENT_TYPES,
    EventFact,
    LoanState,
    RepaymentFact,
    check_event,
    check_repayment,
    derive_state,
)
from eloan.domain.money import AmountError, parse_amount, to_money
from eloan.domain.policy import PolicyParams
from eloan.domain.states import LOANS_ON_BOOKS
from eloan.extensions import db
from eloan.models import Bank, Enterprise, Loan, LoanEvent, LprRate, Repayment, StoredFile
from eloan.services import audit, banks, enterprises, files, lists, sanctions
from eloan.services.access import get_scoped, require, scope
from eloan.services.locks import lock_row
from eloan.services.reference import lpr_on, policy_on


def outstanding_at_all_banks(enterprise_id: int) -> Decimal:
    """The enterprise's programme balance at every bank: the ¥5M cap of 第六条 counts all of it."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Loan.outstanding_principal), 0)).where(
            Loan.enterprise_id == enterprise_id, Loan.status.in_(LOANS_ON_BOOKS)
        )
    )
    return to_money(total)


def duplicate_contract(contract_no: str) -> Violation:
    """A contract number is unique per bank (the database holds it too)."""
    return Violation("duplicate_contract_no", f"合同编号 {contract_no} 已登记过，不能重复登记。", None, "contract_no")


def _own_bank(actor) -> Bank:
    require(actor, "loans.register")
    if actor.bank is None:
        raise RuleViolation([Violation("no_bank", "您的账户没有绑定合作银行，请联系管理员。")])
    return actor.bank


@dataclass(frozen=True)
class RegistrationContext:
    """What a loan's registration rests on, as the check found it; new_loan writes it down."""

    bank: Bank  # the registering bank
    enterprise: Enterprise  # the borrower, locked until the registering transaction ends (the cap of 第六条)
    policy: PolicyParams  # in force on the contract date
    lpr: LprRate  # in force on the contract date
    batch_id: int | None  # the list batch in force on the contract date


def check_registration(actor, data: LoanInput) -> tuple[list[Violation], RegistrationContext | None]:
    """Every violated rule for `data`, and what registration needs (None without a policy in force or without
    the enterprise in the registry); locks the enterprise row.

    Called inside the registering transaction: the lock makes the cap check and the insert atomic
    for the enterprise, so two banks registering at once cannot together pass the cap.
    """
    bank = _own_bank(actor)
    try:
        policy = policy_on(data.contract_date)
    except NoPolicyInForce as exc:
        return list(exc.violations), None
    enterprise = db.session.scalars(select(Enterprise).where(Enterprise.uscc == data.enterprise_uscc)).first()
    if enterprise is None:
        return [
            Violation(
                "not_on_list",
                f"统一社会信用代码 {data.enterprise_uscc} 的企业不在企业库中，更不在推荐名单内。",
                "第十条",
                "enterprise_uscc",
            )
        ], None
    enterprise = lock_row(Enterprise, enterprise.id)
    lpr = lpr_on(data.contract_date)
    problems = check_loan(
        LoanFacts(
            data.contract_no,
            data.amount,
            data.rate_percent,
            data.contract_date,
            data.drawdown_date,
            data.maturity_date,
            data.guarantees,
        ),
        policy=policy,
        lpr_percent=lpr.rate_1y_percent,
        on_list=lists.on_list(enterprise.id, data.contract_date),
        enterprise=enterprises.facts(enterprise),
        bank=banks.facts_on(bank, data.drawdown_date),
        outstanding_at_all_banks=outstanding_at_all_banks(enterprise.id),
    )
    duplicate = db.session.scalars(
        select(Loan.id).where(Loan.bank_id == bank.id, Loan.contract_no == data.contract_no)
    ).first()
    if duplicate is not None:
        problems.append(duplicate_contract(data.contract_no))
    batch = lists.batch_in_force(data.contract_date)
    return problems, RegistrationContext(bank, enterprise, policy, lpr, batch.id if batch else None)


def new_loan(actor, data: LoanInput, context: RegistrationContext) -> Loan:
    loan = Loan(
        bank_id=context.bank.id,
        enterprise_id=context.enterprise.id,
        contract_no=data.contract_no,
        amount=data.amount,
        rate_percent=data.rate_percent,
        contract_date=data.contract_date,
        drawdown_date=data.drawdown_date,
        maturity_date=data.maturity_date,
        guarantees=list(data.guarantees),
        list_batch_id=context.batch_id,
        policy_code=context.policy.code,
        lpr_percent=context.lpr.rate_1y_percent,
        outstanding_principal=data.amount,
        status="normal",
        created_by_id=actor.id,
    )
    db.session.add(loan)
    return loan


def register(actor, raw: Mapping[str, Any]) -> Loan:
    """Register a programme loan; refused with every violated rule (code, Chinese message, article)."""
    _own_bank(actor)
    data, problems = parse_loan_input(raw)
    if problems:
        raise RuleViolation(problems)
    problems, context = check_registration(actor, data)
    if problems:
        db.session.rollback()  # release the enterprise lock
        raise RuleViolation(problems)
    loan = new_loan(actor, data, context)
    audit.record(
        actor,
        "loan.register",
        loan,
        {
            "contract_no": data.contract_no,
            "enterprise": data.enterprise_uscc,
            "amount": data.amount,
            "rate_percent": data.rate_percent,
        },
    )
    db.session.commit()
    return loan


def get(actor, loan_id: int, *, for_update: bool = False) -> Loan:
    require(actor, "loans.read")
    return get_scoped(actor, Loan, loan_id, for_update=for_update)


def search_statement(
    actor,
    *,
    q: str | None = None,
    status: str | None = None,
    bank_code: str | None = None,
    matured_unreported: bool = False,
):
    require(actor, "loans.read")
    stmt = scope(actor, Loan)
    if matured_unreported:  # past maturity, principal outstanding, still reported normal (daily job's reminder)
        stmt = stmt.where(Loan.maturity_date < clock.today(), Loan.status == "normal", Loan.outstanding_principal > 0)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.join(Enterprise, Loan.enterprise_id == Enterprise.id).where(
            or_(Loan.contract_no.like(like), Enterprise.name.like(like), Enterprise.uscc.like(like.upper()))
        )
    if status:
        stmt = stmt.where(Loan.status == status)
    if bank_code:
        stmt = stmt.where(Loan.bank_id == select(Bank.id).where(Bank.code == bank_code).scalar_subquery())
    return stmt


def search(actor, *, page: int = 1, per_page: int = 50, **filters) -> tuple[list[Loan], int]:
    stmt = search_statement(actor, **filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = db.session.scalars(
        stmt.options(selectinload(Loan.bank), selectinload(Loan.enterprise))
        .order_by(Loan.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return items, total


def state_of(loan: Loan) -> LoanState:
    return derive_state(
        loan.amount,
        [RepaymentFact(r.paid_on, r.principal) for r in loan.repayments],
        [EventFact(e.type, e.event_date) for e in loan.events if e.type in EVENT_TYPES],
    )


def _refresh(loan: Loan) -> None:
    """Store what the history implies, in the same transaction, for set-based ratio queries."""
    state = state_of(loan)
    loan.outstanding_principal, loan.status = state.outstanding, state.status
    loan.overdue_since, loan.npl_recognised_on, loan.closed_on = (
        state.overdue_since,
        state.npl_recognised_on,
        state.closed_on,
    )


def _writable(actor, loan_id: int) -> Loan:
    _own_bank(actor)
    return get(actor, loan_id, for_update=True)


def record_repayment(
    actor, loan_id: int, paid_on: date, principal, interest, reference: str | None = None
) -> Repayment:
    loan = _writable(actor, loan_id)
    problems = []
    for field, what, value in (("principal", "归还本金", principal), ("interest", "支付利息", interest)):
        try:
            parse_amount(value, what)
        except AmountError as exc:
            problems.append(Violation("invalid_amount", str(exc), None, field))
    if problems:
        raise RuleViolation(problems)
    principal, interest = parse_amount(principal), parse_amount(interest)
    problems = check_repayment(
        state_of(loan), principal, interest, paid_on, drawdown_date=loan.drawdown_date, today=clock.today()
    )
    if problems:
        raise RuleViolation(problems)
    repayment = Repayment(
        paid_on=paid_on, principal=principal, interest=interest, reference=reference, created_by_id=actor.id
    )
    loan.repayments.append(repayment)
    before = {"outstanding_principal": str(loan.outstanding_principal), "status": loan.status}
    _refresh(loan)
    audit.record(
        actor,
        "loan.repayment",
        loan,
        {
            "paid_on": paid_on,
            "principal": principal,
            "interest": interest,
            **audit.diff(before, {"outstanding_principal": str(loan.outstanding_principal), "status": loan.status}),
        },
    )
    db.session.commit()
    return repayment


def record_event(
    actor,
    loan_id: int,
    event_type: str,
    event_date: date,
    note: str | None = None,
    proof: tuple[bytes, str] | None = None,
) -> LoanEvent:
    """overdue, cured, npl (with the recognition date and a proof upload) or written_off.

    An overdue or NPL loan flags its enterprise at once (第十七条; POLICY.md §10).
    """
    loan = _writable(actor, loan_id)
    last = max((e.event_date for e in loan.events if e.type in EVENT_TYPES), default=None)
    problems = check_event(
        state_of(loan),
        event_type,
        event_date,
        drawdown_date=loan.drawdown_date,
        maturity_date=loan.maturity_date,
        today=clock.today(),
        last_event_date=last,
    )
    if event_type == "npl" and proof is None:
        problems.append(
            Violation("proof_required", "认定不良须上传不良认定证明（PDF、JPEG 或 PNG）。", "第十五条", "proof")
        )
    if problems:
        raise RuleViolation(problems)
    stored = files.store(actor, proof[0], proof[1], field="proof", bank_id=loan.bank_id) if proof else None
    if stored is not None:
        db.session.flush()
    event = LoanEvent(
        type=event_type,
        event_date=event_date,
        note=(note or "").strip() or None,
        document_id=stored.id if stored else None,
        created_by_id=actor.id,
    )
    loan.events.append(event)
    before = loan.status
    _refresh(loan)
    audit.record(
        actor,
        f"loan.{event_type}",
        loan,
        {"event_date": event_date, "status": [before, loan.status], "note": event.note},
    )
    if event_type in ("overdue", "npl"):
        sanctions.flag(actor, loan.enterprise, sanctions.loan_default_reason(loan, event_type), event_date, loan.id)
    db.session.commit()
    return event


def mark_not_compensable(actor, loan_id: int, reason: str) -> Loan:
    """A loan found to break 第八条 afterwards: no compensation, whatever happens to it."""
    require(actor, "loans.mark")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation([Violation("reason_required", "须写明不予补偿的理由（第八条）。", "第八条", "reason")])
    loan = get(actor, loan_id, for_update=True)
    loan.not_compensable, loan.not_compensable_reason = True, reason
    loan.events.append(LoanEvent(type="not_compensable", event_date=clock.today(), note=reason, created_by_id=actor.id))
    audit.record(actor, "loan.not_compensable", loan, {"reason": reason})
    db.session.commit()
    return loan


def proof_file(actor, loan_id: int, event_id: int):
    """The stored proof of an event, for whoever may see the loan."""
    loan = get(actor, loan_id)
    event = next((e for e in loan.events if e.id == event_id and e.document_id), None)
    if event is None:
        raise NotFound("证明文件不存在。")
    return db.session.get(StoredFile, event.document_id)
