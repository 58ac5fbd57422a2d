"""After payout: recoveries flow back to the fund (第十七条) and fraud is clawed back (第十九条)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eloan import clock
from eloan.domain.states import CLAIMS_AWAITING_PAYOUT, CLAIMS_PAID
from eloan.domain.compensation import clawback_amount, recovery_split
from eloan.domain.errors import NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.money import AmountError, format_money, parse_amount, to_money
from eloan.extensions import db
from eloan.models import Claim, Clawback, FundEntry, Recovery
from eloan.services import audit, banks, claims, fund, notifications
from eloan.services.access import require
from eloan.services.claims import _move


def _amount(value, field: str = "amount") -> Decimal:
    try:
        amount = parse_amount(value)
    except AmountError as exc:
        raise RuleViolation([Violation("invalid_amount", str(exc), None, field)])
    if amount <= 0:
        raise RuleViolation([Violation("invalid_amount", "金额须大于零、最多两位小数。", None, field)])
    return amount


def fund_recovered(claim: Claim) -> Decimal:
    return to_money(db.session.scalar(select(func.coalesce(func.sum(Recovery.fund_part), 0))
                                      .where(Recovery.claim_id == claim.id)))


def owed_to_fund(claim: Claim) -> Decimal:
    """The fund's parts of recoveries the bank has reported but not yet remitted."""
    return to_money(db.session.scalar(select(func.coalesce(func.sum(Recovery.fund_part), 0))
                                      .where(Recovery.claim_id == claim.id, Recovery.remitted_on.is_(None))))


def returned_to_fund(claim: Claim) -> Decimal:
    return to_money(db.session.scalar(select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
        FundEntry.claim_id == claim.id, FundEntry.kind == "recovery_return")))


def report_recovery(actor, claim_id: int, recovered_on: date, amount) -> Recovery:
    """The bank reports an amount it recovered; the fund's part is R × f, never more in total than it paid."""
    require(actor, "claims.file")
    claim = claims.get(actor, claim_id, for_update=True)
    if claim.status not in CLAIMS_PAID:
        raise StateConflict("claim_not_paid", "补偿资金拨付后才登记追偿款。")
    amount = _amount(amount)
    fund_part, bank_part = recovery_split(amount, claim.fund_ratio, claims.paid_amount(claim), fund_recovered(claim))
    recovery = Recovery(claim_id=claim.id, recovered_on=recovered_on, amount=amount, fund_part=fund_part,
                        bank_part=bank_part, created_by_id=actor.id,
                        remitted_on=recovered_on if fund_part == 0 else None)
    db.session.add(recovery)
    audit.record(actor, "claim.recovery", claim, {"recovered_on": recovered_on, "amount": amount,
                                                  "fund_part": fund_part, "bank_part": bank_part})
    if fund_part > 0:
        notifications.notify(notifications.users_with_roles("finance"), "recovery_reported",
                             f"补偿申请 #{claim.id} 追回 {format_money(amount)}，应返还专户 {format_money(fund_part)}",
                             None, f"/claims/{claim.id}")
    db.session.commit()
    return recovery


def remit(actor, recovery_id: int, remitted_on: date, reference: str | None = None) -> FundEntry:
    """The fund's part of a recovery arrives in the special account."""
    require(actor, "claims.decide")
    locked = fund.account(lock=True)
    recovery = db.session.get(Recovery, recovery_id, with_for_update=True)
    if recovery is None:
        raise NotFound("追偿记录不存在。")
    if recovery.remitted_on is not None:
        raise StateConflict("already_remitted", "该笔追偿款已返还专户。")
    if db.session.get(Claim, recovery.claim_id).fraud:
        # The clawback raised on fraud already counts everything not returned by then; money now comes in
        # as clawback receipts, or it would be counted twice.
        raise StateConflict("claim_fraud", "该申请已认定骗取补偿资金，款项请按追缴登记收回。")
    entry = fund.post(actor, locked, "recovery_return", "in", recovery.fund_part, remitted_on, reference=reference,
                      note=f"补偿申请 #{recovery.claim_id} 追偿款返还", claim_id=recovery.claim_id,
                      recovery_id=recovery.id)
    recovery.remitted_on = remitted_on
    db.session.commit()
    return entry


def mark_fraud(actor, claim_id: int, reason: str) -> Claim:
    """第十九条: the bank is disqualified, and what was paid and not yet returned is clawed back."""
    require(actor, "claims.decide")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation([Violation("reason_required", "须写明认定骗取补偿资金的事实和依据。", "第十九条", "reason")])
    claim = claims.get(actor, claim_id, for_update=True)
    if claim.fraud:
        raise StateConflict("already_fraud", "该申请已认定为骗取补偿资金。")
    claim.fraud, claim.fraud_reason = True, reason
    paid = claims.paid_amount(claim)
    if claim.status in CLAIMS_PAID + CLAIMS_AWAITING_PAYOUT:
        _move(actor, claim, "clawed_back", "claim_not_fraudable", reason)
    elif claim.status != "rejected":
        _move(actor, claim, "rejected", "claim_not_fraudable", f"骗取补偿资金：{reason}")
    owed = clawback_amount(paid, returned_to_fund(claim))
    if owed > 0:
        db.session.add(Clawback(claim_id=claim.id, bank_id=claim.bank_id, amount=owed, raised_on=clock.today(),
                                reason=reason, raised_by_id=actor.id))
    if claim.bank.status != "disqualified":
        banks.change_status(actor, claim.bank.code, "disqualified", f"骗取补偿资金（补偿申请 #{claim.id}）：{reason}",
                            source="fraud", commit=False)
    audit.record(actor, "claim.fraud", claim, {"reason": reason, "clawback": owed})
    db.session.commit()
    return claim


def clawback_received(clawback: Clawback) -> Decimal:
    return to_money(db.session.scalar(select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
        FundEntry.clawback_id == clawback.id, FundEntry.kind == "clawback_receipt")))


def receive_clawback(actor, clawback_id: int, amount, received_on: date, reference: str | None = None) -> FundEntry:
    require(actor, "claims.decide")
    locked = fund.account(lock=True)
    clawback = db.session.get(Clawback, clawback_id, with_for_update=True)
    if clawback is None:
        raise NotFound("追缴记录不存在。")
    amount = _amount(amount)
    outstanding = clawback.amount - clawback_received(clawback)
    if amount > outstanding:
        raise RuleViolation([Violation("overpayment", f"收回 {format_money(amount)} 超过尚欠 {format_money(outstanding)}。",
                                       "第十九条", "amount")])
    entry = fund.post(actor, locked, "clawback_receipt", "in", amount, received_on, reference=reference,
                      note=f"补偿申请 #{clawback.claim_id} 追缴", claim_id=clawback.claim_id, clawback_id=clawback.id)
    db.session.commit()
    return entry
