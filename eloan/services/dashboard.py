"""Read-only figures for the home pages and the administrator's lists.

Nothing here writes. Anything a bank user might see goes through access.scope(), so a bank user's
figures are their own bank's only (POLICY.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select

from eloan import clock
from eloan.domain.errors import RuleViolation
from eloan.domain.roles import REVIEWING_UNITS
from eloan.domain.states import BATCHES_OPEN, CLAIMS_AWAITING_PAYOUT
from eloan.extensions import db
from eloan.models import (
    AuditEntry,
    Bank,
    CalendarYear,
    Claim,
    ClaimReview,
    Enterprise,
    FundEntry,
    ListBatch,
    Loan,
    LprRate,
    PolicyVersion,
    Recovery,
    User,
)
from eloan.services import audit, banks, expiry, lists, reference
from eloan.services.access import can, scope
from eloan.services.claim_facts import current_reviews, filing_open_until, latest_return


@dataclass(frozen=True)
class PolicyStatus:
    """The version in force on a day, or the message saying there is none (POLICY.md §2)."""

    code: str | None
    name: str | None
    effective_to: date | None
    problem: str | None
    ending: expiry.PolicyEnding | None = None  # ends within 60 days with no version after it (§16)


@dataclass(frozen=True)
class CalendarStatus:
    years: list[int]
    this_year: int
    this_year_loaded: bool
    next_year: int
    next_year_loaded: bool


def policy_status(on: date) -> PolicyStatus:
    try:
        params = reference.policy_on(on)
    except RuleViolation as exc:
        return PolicyStatus(None, None, None, str(exc))
    return PolicyStatus(params.code, params.name, params.effective_to, None, expiry.policy_ending(on))


def agreements_ending(actor, on: date) -> list[expiry.AgreementEnding]:
    """Bank agreements ending within 60 days that `actor` is warned of (POLICY.md §16)."""
    return expiry.agreements_ending(actor, on)


def calendar_status(on: date) -> CalendarStatus:
    years = list(db.session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))
    return CalendarStatus(years, on.year, on.year in years, on.year + 1, on.year + 1 in years)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _by_status(actor, model) -> dict[str, int]:
    stmt = scope(actor, model, select(model.status, func.count()).group_by(model.status))
    return dict(db.session.execute(stmt).all())


def admin_overview(on: date) -> dict:
    return {
        "users": _count(select(User.id)),
        "disabled_users": _count(select(User.id).where(User.active.is_(False))),
        "policy_versions": _count(select(PolicyVersion.id)),
        "latest_lpr": db.session.scalars(select(LprRate).order_by(LprRate.effective_from.desc()).limit(1)).first(),
        "calendar": calendar_status(on),
    }


def registry_overview(actor) -> dict:
    """What zone, industry and fsc share: the enterprise registry and the list batches."""
    return {
        "enterprises": _count(scope(actor, Enterprise, select(Enterprise.id))),
        "sanctioned": _count(scope(actor, Enterprise, select(Enterprise.id).where(Enterprise.sanctioned.is_(True)))),
        "batches": _by_status(actor, ListBatch),
        "claims": _by_status(actor, Claim),
        "banks": banks.count_by_standing(actor),
        "loans": _by_status(actor, Loan),
        "lists": list_todos(actor),
        "claim_todos": claim_todos(actor),
    }


@dataclass(frozen=True)
class ListTodos:
    """The list batches waiting on this user (第十条): by confirming unit, returned drafts, to issue."""

    to_confirm: dict[str, list[ListBatch]]  # role → drafts with entries that unit has not confirmed
    returned: list[tuple[ListBatch, object]]  # drafts whose latest step is a return, with that return
    to_issue: list[ListBatch]  # confirmed by all three units, waiting for zone to issue them
    empty_drafts: list[ListBatch]
    current: ListBatch | None


def list_todos(actor) -> ListTodos:
    open_batches = db.session.scalars(
        select(ListBatch).where(ListBatch.status.in_(BATCHES_OPEN)).order_by(ListBatch.id)
    ).all()
    drafts = [b for b in open_batches if b.status == "draft"]
    to_confirm: dict[str, list[ListBatch]] = {}
    for role in REVIEWING_UNITS:
        if actor.has_role(role):
            to_confirm[role] = [b for b in drafts if b.entries and role not in lists.active_confirmations(b)]
    returned = [(b, b.confirmations[-1]) for b in drafts if b.confirmations and b.confirmations[-1].action == "return"]
    return ListTodos(
        to_confirm=to_confirm,
        returned=returned,
        to_issue=[b for b in open_batches if b.status == "confirmed"],
        empty_drafts=[b for b in drafts if not b.entries],
        current=lists.batch_in_force(clock.today()),
    )


def finance_overview(actor) -> dict:
    latest = db.session.scalars(scope(actor, FundEntry).order_by(FundEntry.id.desc()).limit(1)).first()
    return {
        "banks": banks.count_by_standing(actor),
        "claims": _by_status(actor, Claim),
        "loans": _by_status(actor, Loan),
        "watch": loan_watch(actor),
        "fund_balance": latest.balance_after if latest else None,
        "fund_entries": _count(scope(actor, FundEntry, select(FundEntry.id))),
        "claim_todos": claim_todos(actor),
    }


def bank_overview(actor) -> dict:
    """A bank user's own bank, its loans and its claims."""
    return {
        "bank": db.session.scalars(scope(actor, Bank)).first(),
        "loans": _by_status(actor, Loan),
        "watch": loan_watch(actor),
        "claims": _by_status(actor, Claim),
        "current_list": lists.batch_in_force(clock.today()),  # the one part of the list a bank reads
        "claim_todos": claim_todos(actor),
    }


@dataclass(frozen=True)
class ClaimDeadline:
    """When a claim on an NPL loan is due: N working days after recognition (第十五条)."""

    date: date
    provisional: bool
    working_days: int


def claim_deadline(loan) -> ClaimDeadline | None:
    """None for a loan not recognised NPL, or when no policy version covers the recognition date."""
    if loan.npl_recognised_on is None:
        return None
    try:
        policy = reference.policy_on(loan.npl_recognised_on)
    except RuleViolation:
        return None
    due = reference.deadline(loan.npl_recognised_on, working_days=policy.filing_working_days)
    return ClaimDeadline(due.date, due.provisional, policy.filing_working_days)


@dataclass(frozen=True)
class LoanWatch:
    """Loans that need following up: overdue ones (to cure or recognise as NPL) and NPL ones with no claim
    yet (第十五条's clock is running). A few of each, oldest first, with the full counts."""

    overdue: list[Loan]
    overdue_count: int
    npl_waiting: list[tuple[Loan, ClaimDeadline | None]]
    npl_waiting_count: int


def loan_watch(actor, limit: int = 5) -> LoanWatch:
    overdue = scope(actor, Loan).where(Loan.status == "overdue")
    waiting = scope(actor, Loan).where(
        Loan.status == "npl", Loan.not_compensable.is_(False), ~exists().where(Claim.loan_id == Loan.id)
    )
    npl = db.session.scalars(waiting.order_by(Loan.npl_recognised_on, Loan.id).limit(limit)).all()
    return LoanWatch(
        overdue=db.session.scalars(overdue.order_by(Loan.overdue_since, Loan.id).limit(limit)).all(),
        overdue_count=_count(overdue.with_only_columns(Loan.id)),
        npl_waiting=[(loan, claim_deadline(loan)) for loan in npl],
        npl_waiting_count=_count(waiting.with_only_columns(Loan.id)),
    )


def recent_audit(actor, limit: int = 10) -> list[AuditEntry]:
    return audit.search(actor, per_page=limit)[0]


def banks_for_choice() -> list[Bank]:
    """Every bank, for the administrator's bank selector on the user form."""
    return db.session.scalars(select(Bank).order_by(Bank.code)).all()


# ---- claims waiting on someone (第十五、十六条) ------------------------------------------------------


@dataclass(frozen=True)
class ClaimTodos:
    """The claims waiting on this user: a department's reviews, finance's opinions and payouts (nearest
    deadline first), a bank's drafts (nearest filing deadline first) and returned claims."""

    to_review: dict[str, list[Claim]]  # role → claims in review this department has not reviewed this round
    reviews_pending: int  # in review, still waiting for a department (finance cannot give its opinion yet)
    opinions_due: list[Claim]  # all three reviewed: finance's opinion is due
    payouts_due: list[Claim]  # approved or awaiting funds
    awaiting_funds: int
    drafts: list[tuple[Claim, date]]  # not yet submitted, with the day filing closes, nearest first
    returned: list[tuple[Claim, ClaimReview | None]]  # back with the bank, with the return
    unremitted: int  # recoveries whose fund part has not reached the account


def _by_date(items, when):
    return sorted(items, key=lambda c: (when(c) or date.max, c.id))


def claim_todos(actor) -> ClaimTodos:
    open_claims = db.session.scalars(
        scope(actor, Claim)
        .where(Claim.status.in_(("draft", "in_review", "returned", "approved", "awaiting_funds")))
        .order_by(Claim.id)
    ).all()
    in_review = [c for c in open_claims if c.status == "in_review"]
    complete = [c for c in in_review if set(current_reviews(c)) >= set(REVIEWING_UNITS)]
    to_review = {
        role: [c for c in in_review if role not in current_reviews(c)]
        for role in REVIEWING_UNITS
        if actor.has_role(role)
    }
    returned = [(c, latest_return(c)) for c in open_claims if c.status == "returned"]
    unremitted = 0
    if can(actor, "claims.decide"):  # 区财政局 confirms the remittances
        unremitted = _count(select(Recovery.id).where(Recovery.remitted_on.is_(None)))
    return ClaimTodos(
        to_review={role: _by_date(items, lambda c: c.opinion_deadline) for role, items in to_review.items()},
        reviews_pending=len(in_review) - len(complete),
        opinions_due=_by_date(complete, lambda c: c.opinion_deadline),
        payouts_due=_by_date(
            [c for c in open_claims if c.status in CLAIMS_AWAITING_PAYOUT], lambda c: c.payout_deadline
        ),
        awaiting_funds=sum(1 for c in open_claims if c.status == "awaiting_funds"),
        drafts=[
            (c, filing_open_until(c))
            for c in _by_date([c for c in open_claims if c.status == "draft"], filing_open_until)
        ],
        returned=returned,
        unremitted=unremitted,
    )
