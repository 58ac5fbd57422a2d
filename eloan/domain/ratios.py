"""NPL and overdue ratios, and the suspension they trigger (第十八条; POLICY.md §9).

The ratios shown are rounded to 6 places, but the decision compares the exact
fractions (N > threshold × L), so a bank exactly at 3 % is never suspended by a
rounding artefact, and one fen above it always is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .policy import PolicyParams
from .states import LOAN_STATUSES, LOANS_CLOSED, LOANS_IN_ARREARS

_RATIO_PLACES = Decimal("0.000001")
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LoanPosition:
    outstanding: Decimal
    status: str


@dataclass(frozen=True)
class Ratios:
    outstanding: Decimal
    npl_balance: Decimal
    overdue_balance: Decimal
    npl_ratio: Decimal | None
    overdue_ratio: Decimal | None


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None  # undefined, and no action is taken on it (POLICY.md §9)
    return (part / whole).quantize(_RATIO_PLACES, rounding=ROUND_HALF_UP)


def ratios_from_sums(outstanding: Decimal, npl_balance: Decimal, overdue_balance: Decimal) -> Ratios:
    """Ratios from balances already summed (e.g. by the database).

    overdue_balance must already include the NPL balance.
    """
    for name, value in (
        ("outstanding", outstanding),
        ("npl_balance", npl_balance),
        ("overdue_balance", overdue_balance),
    ):
        if isinstance(value, float) or not isinstance(value, Decimal):
            raise TypeError(f"{name} must be a Decimal")
        if value < 0:
            raise ValueError(f"{name} must not be negative (got {value})")
    return Ratios(
        outstanding=outstanding,
        npl_balance=npl_balance,
        overdue_balance=overdue_balance,
        npl_ratio=_ratio(npl_balance, outstanding),
        overdue_ratio=_ratio(overdue_balance, outstanding),
    )


def compute_ratios(positions: Iterable[LoanPosition]) -> Ratios:
    """L over loans still on the books; N over NPL loans; O over overdue loans, NPL included."""
    outstanding = npl = overdue = _ZERO
    for p in positions:
        if p.status not in LOAN_STATUSES:
            raise ValueError(f"unknown loan status {p.status!r}")
        if p.status in LOANS_CLOSED:
            continue
        outstanding += p.outstanding
        if p.status == "npl":
            npl += p.outstanding
        if p.status in LOANS_IN_ARREARS:
            overdue += p.outstanding
    return ratios_from_sums(outstanding, npl, overdue)


def breaches(ratios: Ratios, policy: PolicyParams) -> list[str]:
    """Which thresholds are exceeded, strictly (第十八条 “超过”), on the exact fractions."""
    L = ratios.outstanding
    if L == 0:
        return []
    found: list[str] = []
    if ratios.npl_balance > policy.npl_ratio_threshold * L:
        found.append("npl_ratio")
    if ratios.overdue_balance > policy.overdue_ratio_threshold * L:
        found.append("overdue_ratio")
    return found


def threshold_decision(ratios: Ratios, policy: PolicyParams, current_status: str) -> str | None:
    """ "suspend", "resume" or None for a bank in current_status.

    An active bank over a threshold is suspended at once; a suspended bank back
    at or under both (or with nothing outstanding) is resumed. A disqualified
    bank (第十九条) is never touched. Whether a suspension was imposed by hand
    and should not be lifted automatically is for the caller to decide.
    """
    over = breaches(ratios, policy)
    if current_status == "active" and over:
        return "suspend"
    if current_status == "suspended" and not over:
        return "resume"
    return None
