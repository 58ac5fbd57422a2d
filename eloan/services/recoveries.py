"""After payout: recoveries flow back to the fund (第十七条) and fraud is clawed back (第十九条).

Each use case asks services.claim_actions before it acts, as the claim page does before it offers the form;
the sums (recovered, owed, returned, received) are services.claim_facts', read off the claim's rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eloan import clock
from eloan.domain.compensation import clawback_amount, recovery_split
from eloan.domain.errors import NotFound, RuleViolation, Violation
from eloan.domain.money import AmountError, format_money, parse_amount
from eloan.domain.states import CLAIMS_AWAITING_PAYOUT, CLAIMS_PAID
from eloan.extensions import db
from eloan.models import Claim, Clawback, FundEntry, Recovery
from eloan.services import audit, banks, claims, fund, notifications
from eloan.services.claim_actions import ensure, require_permission
from eloan.services.claim_facts import clawback_received, fund_recovered, paid_amount, returned_to_fund
from eloan.services.claims import _move


def _amount(value, field: str = "amount") -> Decimal:
    try:
        amount = parse_amount(value)
    except AmountError as exc:
        raise RuleViolation([Violation("invalid_amount", str(exc), None, field)]) from None
    if amount <= 0:
        raise RuleViolation([Violation("invalid_amount", "金额须大于零、最多两位小数。", None, field)])
    return amount


def report_recovery(actor, claim_id: int, recovered_on: date, amount) -> Recovery:
    """The bank reports an amount it recovered; the fund's part is R × f, never more in total than it paid."""
    claim = claims.locked_for(actor, claim_id, "record_recovery")
    amount = _amount(amount)
    fund_part, bank_part = recovery_split(amount, claim.fund_ratio, paid_amount(claim), fund_recovered(claim))
    recovery = Recovery(
        recovered_on=recovered_on,
        amount=amount,
        fund_part=fund_part,
        bank_part=bank_part,
        created_by_id=actor.id,
        remitted_on=recovered_on if fund_part == 0 else None,
    )
    claim.recoveries.append(recovery)
    audit.record(
        actor,
        "claim.recovery",
        claim,
        {"recovered_on": recovered_on, "amount": amount, "fund_part": fund_part, "bank_part": bank_part},
    )
    if fund_part > 0:
        notifications.notify(
            notifications.users_with_roles("finance"),
            "recovery_reported",
            f"补偿申请 #{claim.id} 追回 {format_money(amount)}，应返还专户 {format_money(fund_part)}",
            None,
            f"/claims/{claim.id}",
        )
    db.session.commit()
    return recovery


def remit(actor, recovery_id: int, remitted_on: date, reference: str | None = None) -> FundEntry:
    """The fund's part of a recovery arrives in the special account."""
    require_permission(actor, "remit")
    locked = fund.account(lock=True)
    # Read afresh after the ledger lock: a page may have loaded it before another user confirmed it.
    recovery = db.session.get(Recovery, recovery_id, with_for_update=True, populate_existing=True)
    if recovery is None:
        raise NotFound("追偿记录不存在。")
    claim = claims.get(actor, recovery.claim_id)
    ensure(actor, claim, "remit", recovery=recovery)
    entry = fund.post(
        actor,
        locked,
        "recovery_return",
        "in",
        recovery.fund_part,
        remitted_on,
        reference=reference,
        note=f"补偿申请 #{recovery.claim_id} 追偿款返还",
        claim_id=recovery.claim_id,
        recovery_id=recovery.id,
    )
    recovery.remitted_on = remitted_on
    db.session.commit()
    return entry


def mark_fraud(actor, claim_id: int, reason: str) -> Claim:
    """第十九条: the bank is disqualified, and what was paid and not yet returned is clawed back."""
    require_permission(actor, "mark_fraud")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            [Violation("reason_required", "须写明认定骗取补偿资金的事实和依据。", "第十九条", "reason")]
        )
    claim = claims.locked_for(actor, claim_id, "mark_fraud")
    claim.fraud, claim.fraud_reason = True, reason
    paid = paid_amount(claim)
    if claim.status in CLAIMS_PAID + CLAIMS_AWAITING_PAYOUT:
        _move(actor, claim, "clawed_back", "claim_not_fraudable", reason)
    elif claim.status != "rejected":
        _move(actor, claim, "rejected", "claim_not_fraudable", f"骗取补偿资金：{reason}")
    owed = clawback_amount(paid, returned_to_fund(claim))
    if owed > 0:
        claim.clawback = Clawback(
            bank_id=claim.bank_id, amount=owed, raised_on=clock.today(), reason=reason, raised_by_id=actor.id
        )
    if claim.bank.status != "disqualified":
        banks.change_status(
            actor,
            claim.bank.code,
            "disqualified",
            f"骗取补偿资金（补偿申请 #{claim.id}）：{reason}",
            source="fraud",
            commit=False,
        )
    audit.record(actor, "claim.fraud", claim, {"reason": reason, "clawback": owed})
    db.session.commit()
    return claim


def receive_clawback(actor, clawback_id: int, amount, received_on: date, reference: str | None = None) -> FundEntry:
    require_permission(actor, "receive_clawback")
    locked = fund.account(lock=True)
    # Read afresh after the ledger lock, receipts included: every receipt is written under that lock.
    clawback = db.session.get(Clawback, clawback_id, with_for_update=True, populate_existing=True)
    if clawback is None:
        raise NotFound("追缴记录不存在。")
    ensure(actor, claims.get(actor, clawback.claim_id), "receive_clawback")
    amount = _amount(amount)
    outstanding = clawback.amount - clawback_received(clawback)
    if amount > outstanding:
        raise RuleViolation(
            [
                Violation(
                    "overpayment",
                    f"收回 {format_money(amount)} 超过尚欠 {format_money(outstanding)}。",
                    "第十九条",
                    "amount",
                )
            ]
        )
    entry = fund.post(
        actor,
        locked,
        "clawback_receipt",
        "in",
        amount,
        received_on,
        reference=reference,
        note=f"补偿申请 #{clawback.claim_id} 追缴",
        claim_id=clawback.claim_id,
        clawback_id=clawback.id,
    )
    db.session.commit()
    return entry
