"""Compensation, recoveries and clawback (第十四、十六、十七、十九条; POLICY.md §7–8).

Every split rounds the fund's part to the fen and leaves the remainder to the
bank, so the two parts always add up to the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import RuleViolation, Violation
from .money import CENT, format_money, round_money

_ZERO = Decimal("0.00")


def _money_in(value: Decimal, what: str) -> Decimal:
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal")
    if not value.is_finite() or value != value.quantize(CENT):
        raise ValueError(f"{what} must be a finite amount with at most 2 decimals (got {value})")
    if value < 0:
        raise ValueError(f"{what} must not be negative (got {value})")
    return value.quantize(CENT)


def _ratio_in(value: Decimal, what: str) -> Decimal:
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal")
    if not (value.is_finite() and Decimal(0) <= value <= Decimal(1)):
        raise ValueError(f"{what} must be within 0..1 (got {value})")
    return value


def fund_ratio(bank_share: Decimal, max_ratio: Decimal) -> Decimal:
    """The fund covers what the bank does not, but never more than the max ratio (第十四条)."""
    share = _ratio_in(bank_share, "bank_share")
    cap = _ratio_in(max_ratio, "max_ratio")
    return min(Decimal(1) - share, cap)


@dataclass(frozen=True)
class Compensation:
    principal: Decimal
    bank_share: Decimal
    fund_ratio: Decimal
    compensation: Decimal
    bank_loss: Decimal


def compute_compensation(principal: Decimal, bank_share: Decimal, max_ratio: Decimal) -> Compensation:
    """C = P × f rounded to the fen; the bank bears P − C.

    P is the outstanding principal at NPL recognition, no interest or penalties (第十四条).
    """
    p = _money_in(principal, "principal")
    f = fund_ratio(bank_share, max_ratio)
    c = round_money(p * f)
    return Compensation(principal=p, bank_share=bank_share, fund_ratio=f, compensation=c, bank_loss=p - c)


def reduced_compensation(original: Compensation, amount: Decimal) -> Compensation:
    """The same claim with finance's reduced amount (第十六条: 对符合本办法规定的 …).

    The reduced amount must be positive and not above the computed C; otherwise
    RuleViolation with code invalid_reduced_amount on the amount field.
    """
    if isinstance(amount, float) or not isinstance(amount, Decimal):
        raise TypeError("amount must be a Decimal")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise RuleViolation(
            [Violation("invalid_reduced_amount", f"核减后金额 {amount} 须为最多两位小数的金额", "第十六条", "amount")]
        )
    if not _ZERO < amount <= original.compensation:
        raise RuleViolation(
            [
                Violation(
                    "invalid_reduced_amount",
                    f"核减后金额 {format_money(amount)} 须大于零且不超过应补偿金额 "
                    f"{format_money(original.compensation)}",
                    "第十六条",
                    "amount",
                )
            ]
        )
    c = amount.quantize(CENT)
    return Compensation(
        principal=original.principal,
        bank_share=original.bank_share,
        fund_ratio=original.fund_ratio,
        compensation=c,
        bank_loss=original.principal - c,
    )


def recovery_split(
    amount: Decimal,
    fund_ratio: Decimal,
    compensation_cap: Decimal,
    fund_recovered_so_far: Decimal,
) -> tuple[Decimal, Decimal]:
    """(fund part, bank part) of a recovery R after payout (第十七条).

    The fund's part is R × f rounded, but the fund's parts for one claim never
    add up to more than the compensation it paid; the bank keeps the rest.
    """
    r = _money_in(amount, "amount")
    f = _ratio_in(fund_ratio, "fund_ratio")
    cap = _money_in(compensation_cap, "compensation_cap")
    so_far = _money_in(fund_recovered_so_far, "fund_recovered_so_far")
    room = max(cap - so_far, _ZERO)
    fund_part = min(round_money(r * f), room)
    return fund_part, r - fund_part


def clawback_amount(paid: Decimal, returned: Decimal) -> Decimal:
    """What the bank still owes after fraud (第十九条): paid and not yet returned, never negative."""
    p = _money_in(paid, "paid")
    r = _money_in(returned, "returned")
    return max(p - r, _ZERO)
