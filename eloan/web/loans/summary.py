"""What the loan pages say about the rules' numbers and a loan's history. Reads only; the numbers come
from the policy version and the LPR table through services.reference, the arithmetic from the domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from eloan import clock
from eloan.domain.calendar import in_shanghai
from eloan.domain.eligibility import ALLOWED_GUARANTEES, rate_cap_percent
from eloan.domain.errors import RuleViolation
from eloan.domain.loans import EVENT_TYPES
from eloan.services import reference, users


@dataclass(frozen=True)
class RateTerms:
    """The rate cap of 第五条（四） on a day: the 1-year LPR in force plus the policy's spread."""

    on: date
    lpr: Decimal | None
    spread_bp: int | None
    cap: Decimal | None
    problem: str | None


def rate_terms(on: date, lpr: Decimal | None = None) -> RateTerms:
    """`lpr` as recorded on a loan, or (None) the one in the LPR table for the day."""
    try:
        policy = reference.policy_on(on)
        lpr = lpr if lpr is not None else reference.lpr_on(on).rate_1y_percent
    except RuleViolation as exc:
        return RateTerms(on, lpr, None, None, str(exc))
    return RateTerms(on, lpr, policy.rate_spread_bp, rate_cap_percent(lpr, policy.rate_spread_bp), None)


def policy_today():
    try:
        return reference.policy_on(clock.today())
    except RuleViolation:
        return None


def guarantee_text(codes) -> str:
    return "、".join(ALLOWED_GUARANTEES.get(c, c) for c in codes or []) or "无（信用贷款）"


@dataclass(frozen=True)
class TimelineItem:
    on: date
    kind: str  # contract | drawdown | registered | repayment | <event type>
    title: str
    lines: list[str] = field(default_factory=list)
    who: str | None = None
    proof: object | None = None  # the LoanEvent whose proof may be downloaded
    amount: Decimal | None = None
    interest: Decimal | None = None
    at: datetime | None = None  # when it was entered, for the registration itself
    order: tuple = ()


def _day(value: datetime) -> date:
    return in_shanghai(value).date()


class _Names:
    def __init__(self):
        self._cache: dict[int, str] = {}

    def __call__(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self._cache:
            self._cache[user_id] = users.get_user(user_id).display_name
        return self._cache[user_id]


def timeline(loan) -> list[TimelineItem]:
    """Contract, drawdown, registration, repayments and events in date order (a repayment before an
    event of the same day, as the loan's state is derived)."""
    who = _Names()
    items = []
    if loan.contract_date == loan.drawdown_date:
        items.append(
            TimelineItem(
                loan.contract_date,
                "contract",
                "签订借款合同并提款",
                [f"合同编号 {loan.contract_no}"],
                amount=loan.amount,
                order=(0, 0),
            )
        )
    else:
        items.append(
            TimelineItem(loan.contract_date, "contract", "签订借款合同", [f"合同编号 {loan.contract_no}"], order=(0, 0))
        )
        items.append(TimelineItem(loan.drawdown_date, "drawdown", "提款（贷款发放）", amount=loan.amount, order=(0, 1)))
    items.append(
        TimelineItem(
            _day(loan.created_at),
            "registered",
            "在本系统登记",
            who=who(loan.created_by_id),
            at=loan.created_at,
            order=(1, 0),
        )
    )
    for r in loan.repayments:
        lines = [f"银行流水号 {r.reference}"] if r.reference else []
        items.append(
            TimelineItem(
                r.paid_on,
                "repayment",
                "还款",
                lines,
                who=who(r.created_by_id),
                amount=r.principal,
                interest=r.interest,
                order=(2, r.id),
            )
        )
    for e in loan.events:
        title = "认定不予补偿（第八条）" if e.type == "not_compensable" else EVENT_TYPES.get(e.type, e.type)
        items.append(
            TimelineItem(
                e.event_date,
                e.type,
                title,
                [e.note] if e.note else [],
                who=who(e.created_by_id),
                proof=e if e.document_id else None,
                order=(3, e.id),
            )
        )
    return sorted(items, key=lambda i: (i.on, i.order))
