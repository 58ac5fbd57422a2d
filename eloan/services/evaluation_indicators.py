"""The four indicators of the annual evaluation (第二十条; POLICY.md §11), for every bank at once.

Set-based: one statement per indicator over all banks (loans drawn in Y with their rate margins; the
ratios on 31 Dec Y by the daily job's own statement; the claims first submitted in Y), whatever the
number of banks or loans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eloan.domain.calendar import in_shanghai
from eloan.domain.errors import NoPolicyInForce
from eloan.domain.evaluation import Indicators, Thresholds
from eloan.domain.policy import PolicyParams
from eloan.extensions import db
from eloan.models import Claim, ClaimTransition, Loan
from eloan.services.ratios import sums_statement
from eloan.services.reference import params_of, policy_versions

_ZERO = Decimal("0.00")


def policy_for_year(year: int) -> PolicyParams:
    """The version in force on 31 Dec Y, or else the last one in force during Y (TZ-2023-9 ends on
    2025-11-29: its thresholds still judge 2025). No version in Y at all is an error, never a default."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    during = [
        p
        for p in (params_of(v) for v in policy_versions())
        if p.effective_from <= last and (p.effective_to is None or p.effective_to >= first)
    ]
    if not during:
        raise NoPolicyInForce(last)
    return max(during, key=lambda p: p.effective_from)


def thresholds_of(policy: PolicyParams) -> Thresholds:
    return Thresholds(policy.npl_ratio_threshold, policy.overdue_ratio_threshold, policy.rate_spread_bp)


@dataclass
class _Lending:
    drawn: Decimal = _ZERO
    margin_amount: Decimal = Decimal(0)  # Σ amount × (cap − rate), in percent × yuan


def _lending(year: int) -> dict[int, _Lending]:
    """Loans drawn in Y: the amount, and Σ amount × (LPR + spread − rate) with each loan's own policy spread
    (cap = the LPR of the contract date, stored on the loan, + the spread of the loan's policy version)."""
    spreads = {v.code: Decimal(v.rate_spread_bp) / 100 for v in policy_versions()}
    stmt = (
        select(Loan.bank_id, Loan.policy_code, Loan.lpr_percent, Loan.rate_percent, func.sum(Loan.amount))
        .where(Loan.drawdown_date >= date(year, 1, 1), Loan.drawdown_date <= date(year, 12, 31))
        .group_by(Loan.bank_id, Loan.policy_code, Loan.lpr_percent, Loan.rate_percent)
    )
    found: dict[int, _Lending] = defaultdict(_Lending)
    for bank_id, code, lpr, rate, amount in db.session.execute(stmt):
        amount = amount or _ZERO  # SUM keeps the column's exact type
        entry = found[bank_id]
        entry.drawn += amount
        entry.margin_amount += amount * (lpr + spreads.get(code, Decimal(0)) - rate)
    return found


def _year_end(year: int) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """(L, N, O) per bank on 31 Dec Y — the daily job's statement (第十八条; POLICY.md §9)."""
    return {
        bank: (lent or _ZERO, n or _ZERO, o or _ZERO)
        for bank, lent, n, o in db.session.execute(sums_statement(date(year, 12, 31)))
    }


@dataclass
class _Claims:
    count: int = 0
    on_time: int = 0
    never_returned: int = 0


def _claims(year: int) -> dict[int, _Claims]:
    """Claims first submitted in Y (Beijing time): submitted by the filing deadline (an extension does not
    make a late claim on time), and never returned for correction."""
    first = (
        select(ClaimTransition.claim_id, func.min(ClaimTransition.created_at).label("at"))
        .where(ClaimTransition.to_status == "submitted")
        .group_by(ClaimTransition.claim_id)
        .subquery()
    )
    returns = (
        select(ClaimTransition.claim_id, func.count().label("n"))
        .where(ClaimTransition.to_status == "returned")
        .group_by(ClaimTransition.claim_id)
        .subquery()
    )
    stmt = (
        select(Claim.bank_id, Claim.filing_deadline, first.c.at, func.coalesce(returns.c.n, 0))
        .join(first, first.c.claim_id == Claim.id)
        .outerjoin(returns, returns.c.claim_id == Claim.id)
    )
    found: dict[int, _Claims] = defaultdict(_Claims)
    for bank_id, deadline, at, returned in db.session.execute(stmt):
        submitted_on = in_shanghai(at).date()
        if submitted_on.year != year:
            continue
        entry = found[bank_id]
        entry.count += 1
        entry.on_time += submitted_on <= deadline
        entry.never_returned += returned == 0
    return found


def _exact_ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole if whole > 0 else None


def gather(year: int, bank_ids: list[int]) -> list[Indicators]:
    """Every listed bank's indicators for Y, in the order given (three statements in all)."""
    lending, year_end, claims = _lending(year), _year_end(year), _claims(year)
    result = []
    for bank_id in bank_ids:
        lent = lending.get(bank_id, _Lending())
        outstanding, npl, overdue = year_end.get(bank_id, (_ZERO, _ZERO, _ZERO))
        c = claims.get(bank_id, _Claims())
        result.append(
            Indicators(
                bank_id=bank_id,
                drawn=lent.drawn,
                outstanding=outstanding,
                npl_ratio=_exact_ratio(npl, outstanding),
                overdue_ratio=_exact_ratio(overdue, outstanding),
                mean_margin_percent=lent.margin_amount / lent.drawn if lent.drawn > 0 else None,
                claims=c.count,
                on_time_share=Decimal(c.on_time) / c.count if c.count else None,
                never_returned_share=Decimal(c.never_returned) / c.count if c.count else None,
            )
        )
    return result


def for_display(ind: Indicators) -> dict:
    """The indicators as kept on the row and shown: amounts to the fen, ratios to 6 places, the margin in
    percent to 4 places, shares to 4 places."""

    def q(value: Decimal | None, places: str) -> str | None:
        return None if value is None else str(value.quantize(Decimal(places)))

    return {
        "drawn": q(ind.drawn, "0.01"),
        "outstanding": q(ind.outstanding, "0.01"),
        "npl_ratio": q(ind.npl_ratio, "0.000001"),
        "overdue_ratio": q(ind.overdue_ratio, "0.000001"),
        "mean_margin_percent": q(ind.mean_margin_percent, "0.0001"),
        "claims": ind.claims,
        "on_time_share": q(ind.on_time_share, "0.0001"),
        "never_returned_share": q(ind.never_returned_share, "0.0001"),
    }
