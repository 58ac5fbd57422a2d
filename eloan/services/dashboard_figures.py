"""数据看板 (issue 12): every programme figure the dashboard page and GET /api/v1/dashboard show.

Built from what other pages already compute, so the numbers agree everywhere: the fund page's summary
(services/fund.py), 附件4 since the programme began (services/statistics.py), the daily snapshots
(services/ratios.history). Added here: the mean pricing under the rate cap and the claim cycle times —
one set-based statement each. The statement count does not depend on the number of rows.
(services/dashboard.py is the home page's overviews; this is the oversight dashboard.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, type_coerce

from eloan import clock
from eloan.domain.calendar import in_shanghai
from eloan.domain.oversight import StepTimes, mean_headroom, net_loss, share, step_times, trend_start
from eloan.extensions import db
from eloan.models import Claim, ClaimTransition, Loan, Payout, PolicyVersion, RatioSnapshot
from eloan.models.types import Money
from eloan.services import fund, ratios
from eloan.services.access import require
from eloan.services.reference import policy_on
from eloan.services.statistics import programme_start, statistics


@dataclass(frozen=True)
class DashboardFigures:
    """Amounts in yuan (Decimal); shares as Decimals to 4 places, None where there is nothing to divide by."""

    as_of: date
    programme_start: date
    # 资金池 (第十四条)
    fund_scale: Decimal  # the policy version in force today
    appropriated: Decimal
    balance: Decimal
    utilisation: Decimal | None  # 资金使用率 = compensation paid out ÷ appropriated
    outstanding_loans: Decimal
    leverage: Decimal | None  # 放大倍数, as the fund page computes it: outstanding loans ÷ balance
    # 贷款 since the programme began (附件4's 合计)
    loans_count: int
    loans_amount: Decimal
    enterprises_served: int
    mean_headroom: Decimal | None  # percentage points under LPR + spread, weighted by amount
    rate_spread_bp: int
    # 风险 (第十八条): the programme's daily snapshots, oldest first
    trend: list[RatioSnapshot]
    trend_start: date
    npl_threshold: Decimal | None
    overdue_threshold: Decimal | None
    # 补偿 (第十五至十九条)
    claims_count: int  # claims submitted (受理) since the programme began
    claims_amount: Decimal
    paid_out: Decimal
    returned: Decimal  # recoveries' fund parts returned to the account
    clawed_back: Decimal
    net_loss: Decimal  # paid − returned − clawed back
    cycles: list[StepTimes]

    @property
    def latest(self) -> RatioSnapshot | None:
        return self.trend[-1] if self.trend else None


def _headroom() -> tuple[Decimal, Decimal]:
    """Σ amount × (LPR + the loan's policy spread − rate) and Σ amount, over every programme loan.

    Read grouped by (policy, LPR, rate) — a few hundred groups however many loans — and multiplied out
    in Python, exactly (SQLite stores these columns as scaled integers, so SQL arithmetic would not be).
    """
    spreads = dict(db.session.execute(select(PolicyVersion.code, PolicyVersion.rate_spread_bp)).all())
    groups = db.session.execute(
        select(
            Loan.policy_code, Loan.lpr_percent, Loan.rate_percent, type_coerce(func.sum(Loan.amount), Money())
        ).group_by(Loan.policy_code, Loan.lpr_percent, Loan.rate_percent)
    ).all()
    weighted, lent = Decimal(0), Decimal(0)
    for code, lpr, rate, amount in groups:
        weighted += amount * (lpr + Decimal(spreads.get(code, 0)) / 100 - rate)
        lent += amount
    return weighted, lent


def _cycles(policy) -> list[StepTimes]:
    """Days each claim took at each step, against the deadlines stored on the claim (set when the step
    began, from the policy of the claim): one statement for every claim."""
    first_submitted = (
        select(ClaimTransition.claim_id, func.min(ClaimTransition.created_at).label("at"))
        .where(ClaimTransition.to_status == "submitted")
        .group_by(ClaimTransition.claim_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Claim.npl_recognised_on,
            first_submitted.c.at,
            Claim.filing_deadline,
            Claim.extended_until,
            Claim.accepted_on,
            Claim.opinion_on,
            Claim.opinion_deadline,
            Payout.paid_on,
            Claim.payout_deadline,
        )
        .outerjoin(first_submitted, first_submitted.c.claim_id == Claim.id)
        .outerjoin(Payout, Payout.claim_id == Claim.id)
    ).all()
    filing, opinion, payout = [], [], []
    for npl_on, submitted_at, filing_by, extended, accepted, opinion_on, opinion_by, paid_on, payout_by in rows:
        submitted = in_shanghai(submitted_at).date() if submitted_at is not None else None
        # An extension granted by 区财政局 moves the filing deadline (第十五条).
        filing.append((npl_on, submitted, max(filing_by, extended) if extended else filing_by))
        opinion.append((accepted, opinion_on, opinion_by))
        payout.append((opinion_on, paid_on, payout_by))
    return [
        step_times(
            "filing",
            "认定不良至提交申请",
            f"{policy.filing_working_days}个工作日（第十五条）",
            policy.filing_working_days,
            filing,
        ),
        step_times(
            "opinion", "受理至出具审核意见", f"{policy.opinion_days}日（第十六条）", policy.opinion_days, opinion
        ),
        step_times("payout", "出具意见至拨付补偿", f"{policy.payout_days}日（第十六条）", policy.payout_days, payout),
    ]


def figures(actor) -> DashboardFigures:
    require(actor, "dashboard.read")
    today = clock.today()
    policy = policy_on(today)
    start = programme_start() or today
    money = fund.summary(actor)
    report = statistics(actor, start, today).total.figures
    first = trend_start(start, today)
    weighted, lent = _headroom()
    return DashboardFigures(
        as_of=today,
        programme_start=start,
        fund_scale=policy.fund_scale,
        appropriated=money.appropriated,
        balance=money.balance,
        utilisation=share(money.paid_out, money.appropriated),
        outstanding_loans=money.outstanding_loans,
        leverage=money.leverage,
        loans_count=report.loans_made_count,
        loans_amount=report.loans_made_amount,
        enterprises_served=report.enterprises_served,
        mean_headroom=mean_headroom(weighted, lent),
        rate_spread_bp=policy.rate_spread_bp,
        trend=list(ratios.history(actor, None, first, today)),
        trend_start=first,
        npl_threshold=policy.npl_ratio_threshold,
        overdue_threshold=policy.overdue_ratio_threshold,
        claims_count=report.claims_count,
        claims_amount=report.claims_amount,
        paid_out=money.paid_out,
        returned=money.returned,
        clawed_back=money.clawed_back,
        net_loss=net_loss(money.paid_out, money.returned, money.clawed_back),
        cycles=_cycles(policy),
    )
