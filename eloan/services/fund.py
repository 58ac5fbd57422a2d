"""The risk-compensation fund's special account (专户): an append-only ledger (第十四、十七、十九条).

Every write locks the account row first, so entries are written one at a time, the running balance
is exact and never negative, and two payouts cannot both spend the same money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eloan import clock
from eloan.domain.errors import NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.money import AmountError, format_money, parse_amount, to_money
from eloan.domain.states import LOANS_ON_BOOKS
from eloan.extensions import db
from eloan.models import FundAccount, FundEntry, Loan
from eloan.services import audit
from eloan.services.access import require
from eloan.services.locks import lock_row
from eloan.services.reference import policy_on

ACCOUNT_ID = 1
KIND_LABELS = {
    "appropriation": "财政拨入",
    "payout": "拨付补偿",
    "recovery_return": "追偿款返还",
    "clawback_receipt": "追缴款收回",
    "correction": "更正冲销",
}


def account(*, lock: bool = False) -> FundAccount:
    """The account row (created on first use); `lock` takes the ledger lock for this transaction."""
    if db.session.get(FundAccount, ACCOUNT_ID) is None:
        db.session.add(
            FundAccount(
                id=ACCOUNT_ID, name="园区E贷风险补偿资金专户", balance=Decimal("0.00"), appropriated=Decimal("0.00")
            )
        )
        db.session.flush()
    return lock_row(FundAccount, ACCOUNT_ID) if lock else db.session.get(FundAccount, ACCOUNT_ID)


def post(
    actor,
    locked: FundAccount,
    kind: str,
    direction: str,
    amount: Decimal,
    entry_date: date,
    *,
    reference: str | None = None,
    note: str | None = None,
    **links,
) -> FundEntry:
    """Append one entry to the ledger; the caller holds the lock and commits."""
    amount = to_money(amount)
    if amount <= 0:
        raise RuleViolation([Violation("invalid_amount", "金额须大于零。", None, "amount")])
    balance = locked.balance + amount if direction == "in" else locked.balance - amount
    if balance < 0:
        raise StateConflict(
            "insufficient_funds", f"专户余额 {format_money(locked.balance)} 不足以支付 {format_money(amount)}。"
        )
    entry = FundEntry(
        entry_date=entry_date,
        kind=kind,
        direction=direction,
        amount=amount,
        balance_after=balance,
        reference=reference,
        note=note,
        created_by_id=getattr(actor, "id", None),
        **links,
    )
    db.session.add(entry)
    locked.balance = balance
    audit.record(
        actor,
        f"fund.{kind}",
        entry,
        {"direction": direction, "amount": amount, "balance_after": balance, "reference": reference},
    )
    return entry


def appropriate(actor, amount, entry_date: date, reference: str | None = None) -> FundEntry:
    """A tranche from the district budget; all tranches together stay within the fund scale (第十四条)."""
    require(actor, "fund.appropriate")
    try:
        amount = parse_amount(amount, "拨入金额")
    except AmountError as exc:
        raise RuleViolation([Violation("invalid_amount", str(exc), None, "amount")]) from None
    scale = policy_on(entry_date).fund_scale
    locked = account(lock=True)
    if locked.appropriated + amount > scale:
        raise RuleViolation(
            [
                Violation(
                    "fund_scale_exceeded",
                    f"已拨入 {format_money(locked.appropriated)}，再拨入 {format_money(amount)} 将超过资金池规模 "
                    f"{format_money(scale)}。",
                    "第十四条",
                    "amount",
                )
            ]
        )
    entry = post(actor, locked, "appropriation", "in", amount, entry_date, reference=reference)
    locked.appropriated += amount
    db.session.commit()
    return entry


def correct(actor, entry_id: int, reason: str, entry_date: date | None = None) -> FundEntry:
    """Reverse a mistaken entry with an opposite one; nothing is edited or deleted."""
    require(actor, "fund.appropriate")
    if not (reason or "").strip():
        raise RuleViolation([Violation("reason_required", "更正须写明理由。", None, "reason")])
    locked = account(lock=True)
    original = db.session.get(FundEntry, entry_id)
    if original is None:
        raise NotFound("分录不存在。")
    if (
        original.kind == "correction"
        or db.session.scalars(select(FundEntry.id).where(FundEntry.reverses_entry_id == entry_id)).first() is not None
    ):
        raise StateConflict("already_reversed", "该分录已冲销，或本身就是冲销分录。")
    if original.kind in ("payout", "recovery_return", "clawback_receipt"):
        raise StateConflict("linked_entry", "与补偿申请关联的分录须通过补偿申请办理，不能直接冲销。")
    direction = "out" if original.direction == "in" else "in"
    entry = post(
        actor,
        locked,
        "correction",
        direction,
        original.amount,
        entry_date or clock.today(),
        reference=f"冲销第{original.id}号分录",
        note=reason.strip(),
        reverses_entry_id=original.id,
    )
    if original.kind == "appropriation":
        locked.appropriated -= original.amount
    db.session.commit()
    return entry


@dataclass(frozen=True)
class FundSummary:
    balance: Decimal
    appropriated: Decimal
    paid_out: Decimal
    returned: Decimal
    clawed_back: Decimal
    outstanding_loans: Decimal
    leverage: Decimal | None  # 放大倍数 = outstanding programme loans ÷ balance


def _sum(kind: str) -> Decimal:
    return to_money(
        db.session.scalar(select(func.coalesce(func.sum(FundEntry.amount), 0)).where(FundEntry.kind == kind))
    )


def summary(actor) -> FundSummary:
    require(actor, "fund.read")
    acct = account()
    outstanding = to_money(
        db.session.scalar(
            select(func.coalesce(func.sum(Loan.outstanding_principal), 0)).where(Loan.status.in_(LOANS_ON_BOOKS))
        )
    )
    leverage = (outstanding / acct.balance).quantize(Decimal("0.01")) if acct.balance > 0 else None
    return FundSummary(
        balance=acct.balance,
        appropriated=acct.appropriated,
        paid_out=_sum("payout"),
        returned=_sum("recovery_return"),
        clawed_back=_sum("clawback_receipt"),
        outstanding_loans=outstanding,
        leverage=leverage,
    )


def entries(actor, *, page: int = 1, per_page: int = 50, newest_first: bool = False) -> tuple[list[FundEntry], int]:
    """The ledger with its running balance (stored on each entry when it was written)."""
    require(actor, "fund.read")
    total = db.session.scalar(select(func.count()).select_from(FundEntry))
    order = FundEntry.id.desc() if newest_first else FundEntry.id
    items = db.session.scalars(select(FundEntry).order_by(order).limit(per_page).offset((page - 1) * per_page)).all()
    return items, total


def reversed_entries(entry_ids) -> set[int]:
    """Which of these ledger entries a correction has already reversed (for one page of the ledger)."""
    ids = list(entry_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(FundEntry.reverses_entry_id).where(FundEntry.reverses_entry_id.in_(ids))))
