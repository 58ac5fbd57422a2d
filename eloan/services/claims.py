"""Compensation claims (第十五、十六条; POLICY.md §7): a bank files on an NPL loan, three departments
review in parallel, finance gives the opinion and pays out of the fund.

Before acting, each use case asks services.claim_actions the same question the claim page asks to decide
which forms to offer (`ensure`), so the two cannot drift apart; what hangs off a claim is read through its
relationships (services.claim_facts), loaded afresh by the locked read of `get`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eloan import clock
from eloan.domain.compensation import compute_compensation, reduced_compensation
from eloan.domain.errors import NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.loans import RepaymentFact, derive_state
from eloan.domain.money import AmountError, format_money, parse_amount
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.states import CLAIM_STATES, LOANS_NPL_RECOGNISED, can_transition
from eloan.extensions import db
from eloan.models import Bank, Claim, ClaimDocument, ClaimExtension, ClaimReview, ClaimTransition, Loan, Payout
from eloan.services import audit, files, fund, notifications
from eloan.services.access import get_scoped, require, scope
from eloan.services.claim_actions import ensure, require_permission

# The materials' vocabulary lives with the facts below this module; callers name it as claims.DOCUMENT_KINDS.
from eloan.services.claim_facts import (
    DOCUMENT_KINDS,
    current_documents,
    filing_open_until,
    missing_materials,
    review_round,
)
from eloan.services.reference import deadline, policy_on

# ---- reading --------------------------------------------------------------------------------------


def get(actor, claim_id: int, *, for_update: bool = False) -> Claim:
    """The claim, if `actor` may see it. `for_update` locks its row and reads it afresh — columns and what
    hangs off it — even when this session loaded it before the lock, so a use case decides on what is
    in the database now, not on what a page showed a moment ago."""
    require(actor, "claims.read")
    if not for_update:
        return get_scoped(actor, Claim, claim_id)
    stmt = scope(actor, Claim).where(Claim.id == claim_id).with_for_update()
    claim = db.session.scalars(stmt.execution_options(populate_existing=True)).first()
    if claim is None:
        raise NotFound(f"claims:{claim_id}")
    return claim


def search(actor, *, status: str | None = None, bank_code: str | None = None, page: int = 1, per_page: int = 50):
    require(actor, "claims.read")
    stmt = scope(actor, Claim)
    if status:
        stmt = stmt.where(Claim.status == status)
    if bank_code:
        stmt = stmt.where(Claim.bank_id == select(Bank.id).where(Bank.code == bank_code).scalar_subquery())
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    return db.session.scalars(stmt.order_by(Claim.id.desc()).limit(per_page).offset((page - 1) * per_page)).all(), total


def claim_of_loan(actor, loan_id: int) -> Claim | None:
    """The loan's claim still standing (a rejected one leaves room for none other), if the actor may see it."""
    require(actor, "claims.read")
    stmt = scope(actor, Claim).where(Claim.loan_id == loan_id).order_by(Claim.id.desc())
    found = db.session.scalars(stmt).all()
    return next((c for c in found if c.status != "rejected"), found[0] if found else None)


# ---- transitions ----------------------------------------------------------------------------------


def _move(actor, claim: Claim, to_status: str, code: str, reason: str | None = None) -> None:
    if not can_transition("claim", claim.status, to_status):
        raise StateConflict(
            code, f"补偿申请当前为“{CLAIM_STATES[claim.status]}”，不能变为“{CLAIM_STATES[to_status]}”。"
        )
    claim.transitions.append(
        ClaimTransition(
            from_status=claim.status, to_status=to_status, actor_id=getattr(actor, "id", None), reason=reason
        )
    )
    audit.record(actor, f"claim.{to_status}", claim, {"status": [claim.status, to_status], "reason": reason})
    claim.status = to_status


def locked_for(actor, claim_id: int, action: str, **detail) -> Claim:
    """The claim, locked and read afresh, once `actor` may do `action` to it now (services.claim_actions)."""
    require_permission(actor, action)
    claim = get(actor, claim_id, for_update=True)
    ensure(actor, claim, action, **detail)
    return claim


def principal_at_recognition(loan: Loan) -> Decimal:
    """P: outstanding principal on the NPL recognition date — repayments after it do not reduce P."""
    repayments = [RepaymentFact(r.paid_on, r.principal) for r in loan.repayments if r.paid_on <= loan.npl_recognised_on]
    return derive_state(loan.amount, repayments, []).outstanding


def open_claim(actor, loan_id: int) -> Claim:
    """A draft claim with P, the bank's share, the fund ratio, C and the filing deadline (POLICY.md §7)."""
    require(actor, "claims.file")
    loan = get_scoped(actor, Loan, loan_id, for_update=True)
    problems = []
    if loan.status not in LOANS_NPL_RECOGNISED or loan.npl_recognised_on is None:
        problems.append(Violation("loan_not_npl", "只有已认定为不良的贷款才能申请风险补偿。", "第十五条", "loan_id"))
    if loan.not_compensable:
        problems.append(
            Violation(
                "loan_not_compensable", f"该贷款已被认定不予补偿：{loan.not_compensable_reason}", "第八条", "loan_id"
            )
        )
    if loan.bank.status == "disqualified":
        problems.append(Violation("bank_not_active", "贵行已被取消合作资格，不能再申请补偿。", "第十九条"))
    if db.session.scalars(select(Claim.id).where(Claim.loan_id == loan.id, Claim.status != "rejected")).first():
        problems.append(Violation("claim_exists", "该贷款已有补偿申请。", None, "loan_id"))
    if problems:
        raise RuleViolation(problems)
    policy = policy_on(loan.npl_recognised_on)
    amounts = compute_compensation(principal_at_recognition(loan), loan.bank.loss_share, policy.max_compensation_ratio)
    due = deadline(loan.npl_recognised_on, working_days=policy.filing_working_days)
    claim = Claim(
        loan_id=loan.id,
        bank_id=loan.bank_id,
        status="draft",
        policy_code=policy.code,
        npl_recognised_on=loan.npl_recognised_on,
        principal=amounts.principal,
        bank_share=amounts.bank_share,
        fund_ratio=amounts.fund_ratio,
        compensation=amounts.compensation,
        filing_deadline=due.date,
        filing_deadline_provisional=due.provisional,
        created_by_id=actor.id,
    )
    db.session.add(claim)
    claim.transitions.append(ClaimTransition(from_status=None, to_status="draft", actor_id=actor.id))
    audit.record(
        actor,
        "claim.open",
        claim,
        {
            "loan": loan.contract_no,
            "principal": amounts.principal,
            "compensation": amounts.compensation,
            "filing_deadline": due.date,
        },
    )
    db.session.commit()
    return claim


def add_document(actor, claim_id: int, kind: str, content: bytes, filename: str) -> ClaimDocument:
    claim = locked_for(actor, claim_id, "add_document")
    if kind not in DOCUMENT_KINDS:
        raise RuleViolation(
            [Violation("invalid_kind", "材料类别无效，可选：" + "、".join(DOCUMENT_KINDS.values()), None, "kind")]
        )
    stored = files.store(actor, content, filename, bank_id=claim.bank_id)
    db.session.flush()
    if kind != "other":  # a new upload of a required kind replaces the earlier one
        for earlier in current_documents(claim).get(kind, []):
            earlier.superseded = True
    document = ClaimDocument(kind=kind, file_id=stored.id, uploaded_by_id=actor.id)
    claim.documents.append(document)
    audit.record(actor, "claim.document", claim, {"kind": kind, "file": stored.filename, "sha256": stored.sha256})
    db.session.commit()
    return document


def document_file(actor, claim_id: int, document_id: int):
    claim = get(actor, claim_id)
    document = next((d for d in claim.documents if d.id == document_id), None)
    if document is None:
        raise NotFound("材料不存在。")
    return document.file


def submit(actor, claim_id: int, collection_measures: str | None = None) -> Claim:
    """Submit (and so have accepted) a complete claim within the filing deadline; a returned claim is
    resubmitted and the opinion clock restarts (第十五、十六条)."""
    claim = locked_for(actor, claim_id, "submit")
    problems = []
    missing = missing_materials(claim)
    if missing:
        problems.append(
            Violation(
                "materials_incomplete",
                "材料不全，还缺：" + "；".join(DOCUMENT_KINDS[k] for k in missing),
                "第十五条",
                "documents",
            )
        )
    today = clock.today()
    if claim.status == "draft" and today > filing_open_until(claim):
        problems.append(
            Violation(
                "filing_deadline_passed",
                f"申请期限已于 {filing_open_until(claim)} 届满（不良认定后 5 个工作日内），"
                "须由区财政局批准延期后才能提交。",
                "第十五条",
            )
        )
    if problems:
        raise RuleViolation(problems)
    if collection_measures is not None:
        claim.collection_measures = collection_measures.strip() or None
    policy = policy_on(claim.npl_recognised_on)
    _move(actor, claim, "submitted", "claim_not_submittable")
    claim.submitted_at, claim.accepted_on = clock.now(), today
    due = deadline(today, days=policy.opinion_days)
    claim.opinion_deadline, claim.opinion_deadline_provisional = due.date, due.provisional
    _move(actor, claim, "in_review", "claim_not_submittable", "受理，进入会审")
    notifications.notify(
        notifications.users_with_roles(*REVIEWING_UNITS, "finance"),
        "claim_submitted",
        f"补偿申请 #{claim.id} 待审核（{claim.bank.name}）",
        f"应补偿 {format_money(claim.compensation)}，出具意见期限 {due.date}。",
        f"/claims/{claim.id}",
    )
    db.session.commit()
    return claim


def grant_extension(actor, claim_id: int, until: date, reason: str) -> Claim:
    require_permission(actor, "extend")
    claim = get(actor, claim_id, for_update=True)
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(Violation("reason_required", "延期须写明理由。", "第十五条", "reason"))
    if until <= claim.filing_deadline:
        problems.append(
            Violation("invalid_dates", f"延期至的日期须晚于原期限 {claim.filing_deadline}。", None, "until")
        )
    if problems:
        raise RuleViolation(problems)
    ensure(actor, claim, "extend")
    claim.extended_until = until
    claim.extensions.append(ClaimExtension(until=until, reason=reason, granted_by_id=actor.id))
    audit.record(actor, "claim.extension", claim, {"until": until, "reason": reason})
    notifications.notify(
        notifications.users_with_roles("bank", bank_id=claim.bank_id),
        "claim_extension",
        f"补偿申请 #{claim.id} 的提交期限延至 {until}",
        reason,
        f"/claims/{claim.id}",
    )
    db.session.commit()
    return claim


def _acting_unit(actor, role: str | None) -> str | None:
    """The reviewing unit `actor` acts for: `role`, or the only one they belong to. Whether they may review
    for it is ensure()'s question."""
    if role:
        return role
    held = [r for r in REVIEWING_UNITS if actor.has_role(r)]
    if len(held) > 1:
        raise RuleViolation(
            [Violation("role_required", "您同时属于多个审核单位，请选择以哪个单位的名义审核。", None, "role")]
        )
    return held[0] if held else None


def review(actor, claim_id: int, decision: str, comment: str | None = None, role: str | None = None) -> Claim:
    """One department's review; a return sends the claim back to the bank for correction."""
    role = _acting_unit(actor, role)
    claim = locked_for(actor, claim_id, "review", role=role)
    comment = (comment or "").strip() or None
    if decision not in ("approve", "return"):
        raise RuleViolation(
            [Violation("invalid_decision", "审核结论须为同意（approve）或退回（return）。", None, "decision")]
        )
    if decision == "return" and not comment:
        raise RuleViolation([Violation("comment_required", "退回须写明需要补正的内容。", "第十六条", "comment")])
    claim.reviews.append(
        ClaimReview(round=review_round(claim), role=role, decision=decision, comment=comment, reviewer_id=actor.id)
    )
    audit.record(actor, "claim.review", claim, {"role": role, "decision": decision, "comment": comment})
    if decision == "return":
        _move(actor, claim, "returned", "claim_not_in_review", comment)
        notifications.notify(
            notifications.users_with_roles("bank", bank_id=claim.bank_id),
            "claim_returned",
            f"补偿申请 #{claim.id} 被{ROLES[role]}退回补正",
            comment,
            f"/claims/{claim.id}",
        )
    db.session.commit()
    return claim


def give_opinion(actor, claim_id: int, decision: str, amount=None, reason: str | None = None) -> Claim:
    """Finance's opinion after all three reviews: approve, reduce (amount and reason) or reject (reason)."""
    claim = locked_for(actor, claim_id, "opinion")
    reason = (reason or "").strip() or None
    policy = policy_on(claim.npl_recognised_on)
    if decision == "approve":
        approved = claim.compensation
    elif decision == "reduce":
        if not reason:
            raise RuleViolation([Violation("reason_required", "核减须写明理由。", "第十六条", "reason")])
        try:
            value = parse_amount(amount, "核减后金额")
        except AmountError as exc:
            raise RuleViolation([Violation("invalid_reduced_amount", str(exc), "第十六条", "amount")]) from None
        original = compute_compensation(claim.principal, claim.bank_share, policy.max_compensation_ratio)
        approved = reduced_compensation(original, value).compensation
    elif decision == "reject":
        if not reason:
            raise RuleViolation([Violation("reason_required", "不予补偿须写明理由。", "第十六条", "reason")])
        approved = None
    else:
        raise RuleViolation([Violation("invalid_decision", "意见须为 approve、reduce 或 reject。", None, "decision")])
    claim.opinion_decision, claim.opinion_reason, claim.opinion_by_id = decision, reason, actor.id
    claim.opinion_on, claim.approved_amount = clock.today(), approved
    if decision == "reject":
        _move(actor, claim, "rejected", "claim_not_in_review", reason)
    else:
        due = deadline(claim.opinion_on, days=policy.payout_days)
        claim.payout_deadline, claim.payout_deadline_provisional = due.date, due.provisional
        _move(actor, claim, "approved", "claim_not_in_review", reason)
    audit.record(actor, "claim.opinion", claim, {"decision": decision, "approved_amount": approved, "reason": reason})
    notifications.notify(
        notifications.users_with_roles("bank", bank_id=claim.bank_id),
        "claim_opinion",
        f"补偿申请 #{claim.id}：区财政局已出具意见（{ {'approve': '同意', 'reduce': '核减后同意', 'reject': '不予补偿'}[decision] }）",
        reason,
        f"/claims/{claim.id}",
    )
    db.session.commit()
    return claim


def pay(actor, claim_id: int, paid_on: date, reference: str | None = None) -> Payout:
    """Pay an approved claim out of the fund, by a finance user other than the opinion's author.

    The fund account is locked first: concurrent payouts queue, the balance never goes negative, and a
    claim is paid at most once. When the fund is short the claim waits as awaiting_funds.
    """
    require_permission(actor, "pay")
    locked = fund.account(lock=True)
    claim = locked_for(actor, claim_id, "pay")  # after the ledger lock: a payout committed meanwhile shows
    amount = claim.approved_amount
    if locked.balance < amount:
        if claim.status == "approved":
            _move(actor, claim, "awaiting_funds", "claim_not_approved", f"专户余额 {format_money(locked.balance)} 不足")
            notifications.notify(
                notifications.users_with_roles("finance"),
                "insufficient_funds",
                f"补偿申请 #{claim.id} 待资金拨付",
                f"应拨付 {format_money(amount)}，专户余额 {format_money(locked.balance)}。请安排资金。",
                f"/claims/{claim.id}",
                dedupe_key=f"insufficient_funds:{claim.id}:{locked.balance}",
            )
            db.session.commit()
        raise StateConflict(
            "insufficient_funds",
            f"专户余额 {format_money(locked.balance)} 不足以拨付 {format_money(amount)}，申请已转为“待资金拨付”。",
        )
    entry = fund.post(
        actor,
        locked,
        "payout",
        "out",
        amount,
        paid_on,
        reference=reference,
        note=f"补偿申请 #{claim.id}",
        claim_id=claim.id,
    )
    db.session.flush()
    payout = Payout(amount=amount, paid_on=paid_on, reference=reference, paid_by_id=actor.id, fund_entry_id=entry.id)
    claim.payout = payout
    _move(actor, claim, "paid", "claim_not_approved", reference)
    notifications.notify(
        notifications.users_with_roles("bank", bank_id=claim.bank_id),
        "claim_paid",
        f"补偿申请 #{claim.id} 已拨付 {format_money(amount)}",
        reference,
        f"/claims/{claim.id}",
    )
    db.session.commit()
    return payout
