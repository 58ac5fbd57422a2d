"""NPL and overdue ratios per bank and for the programme, at any date (第十八条; POLICY.md §9).

One set-based query answers for every bank at once, so the daily job costs the same few statements
with 1,000 loans or 1,000,000. The state of a loan on a past date is rebuilt from what is recorded:
the principal outstanding then is today's outstanding plus the principal repaid after that date,
and its status then is that of its last status event on or before it (events are recorded in date
order: services/loans.py refuses an earlier one).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select, type_coerce

from eloan import clock
from eloan.domain.ratios import Ratios, ratios_from_sums
from eloan.extensions import db
from eloan.models import Bank, Loan, LoanEvent, RatioSnapshot, Repayment
from eloan.models.types import Money
from eloan.services.access import require_role
from eloan.services.banks import READ_ROLES, get as get_bank

# The events that set a loan's status; "cured" returns it to normal.
_STATUS_EVENTS = ("overdue", "cured", "npl", "written_off")
_ZERO = Decimal("0.00")
PROGRAMME = "programme"


def sums_statement(day: date):
    """SELECT bank_id, L, N, O … GROUP BY bank_id as of `day` (bench/daily_job.py prints its plan)."""
    repaid_after = (select(Repayment.loan_id, func.sum(Repayment.principal).label("principal"))
                    .where(Repayment.paid_on > day).group_by(Repayment.loan_id).subquery())
    ranked = (select(LoanEvent.loan_id, LoanEvent.type,
                     func.row_number().over(partition_by=LoanEvent.loan_id,
                                            order_by=(LoanEvent.event_date.desc(), LoanEvent.id.desc())).label("rn"))
              .where(LoanEvent.event_date <= day, LoanEvent.type.in_(_STATUS_EVENTS)).subquery())
    last_event = select(ranked.c.loan_id, ranked.c.type).where(ranked.c.rn == 1).subquery()
    status = func.coalesce(last_event.c.type, "normal")
    outstanding = Loan.outstanding_principal + func.coalesce(repaid_after.c.principal, 0)
    on_books = case((status == "written_off", 0), else_=outstanding)
    npl = case((status == "npl", outstanding), else_=0)
    overdue = case((status.in_(("npl", "overdue")), outstanding), else_=0)
    stmt = (select(Loan.bank_id,
                   type_coerce(func.sum(on_books), Money()),
                   type_coerce(func.sum(npl), Money()),
                   type_coerce(func.sum(overdue), Money()))
            .outerjoin(repaid_after, repaid_after.c.loan_id == Loan.id)
            .outerjoin(last_event, last_event.c.loan_id == Loan.id)
            .where(Loan.drawdown_date <= day)
            .group_by(Loan.bank_id))
    return stmt


def all_ratios_on(day: date) -> tuple[dict[int, Ratios], Ratios]:
    """Every bank's ratios on `day` (banks without loans included, at zero) and the programme's."""
    found = {bank_id: (l or _ZERO, n or _ZERO, o or _ZERO) for bank_id, l, n, o in db.session.execute(sums_statement(day))}
    by_bank = {bank_id: ratios_from_sums(*found.get(bank_id, (_ZERO, _ZERO, _ZERO)))
               for bank_id in db.session.scalars(select(Bank.id))}
    programme = ratios_from_sums(sum((r.outstanding for r in by_bank.values()), _ZERO),
                                 sum((r.npl_balance for r in by_bank.values()), _ZERO),
                                 sum((r.overdue_balance for r in by_bank.values()), _ZERO))
    return by_bank, programme


def bank_ratios(actor, code: str, day: date | None = None) -> tuple[Bank, Ratios]:
    """A bank's ratios on `day` (default today), for whoever may see the bank (a bank: its own)."""
    bank = get_bank(actor, code)
    by_bank, _ = all_ratios_on(day or clock.today())
    return bank, by_bank[bank.id]


def programme_ratios(actor, day: date | None = None) -> Ratios:
    require_role(actor, *[r for r in READ_ROLES if r != "bank"])
    return all_ratios_on(day or clock.today())[1]


def store_snapshots(day: date, by_bank: dict[int, Ratios], programme: Ratios) -> int:
    """The day's figures, kept so a bank's history can be charted and audited."""
    codes = dict(db.session.execute(select(Bank.id, Bank.code)).all())
    rows = [_snapshot(day, codes[bank_id], bank_id, r) for bank_id, r in by_bank.items()]
    rows.append(_snapshot(day, PROGRAMME, None, programme))
    db.session.add_all(rows)
    return len(rows)


def _snapshot(day: date, scope: str, bank_id: int | None, r: Ratios) -> RatioSnapshot:
    return RatioSnapshot(on_date=day, scope=scope, bank_id=bank_id, outstanding=r.outstanding,
                         npl_balance=r.npl_balance, overdue_balance=r.overdue_balance, npl_ratio=r.npl_ratio,
                         overdue_ratio=r.overdue_ratio)


def history(actor, code: str | None, start: date, end: date) -> list[RatioSnapshot]:
    """Stored daily figures, oldest first: one bank's (code), or the programme's (code None)."""
    if code is None:
        require_role(actor, *[r for r in READ_ROLES if r != "bank"])
        scope_value = PROGRAMME
    else:
        scope_value = get_bank(actor, code).code
    return db.session.scalars(select(RatioSnapshot).where(RatioSnapshot.scope == scope_value,
                                                          RatioSnapshot.on_date >= start,
                                                          RatioSnapshot.on_date <= end)
                              .order_by(RatioSnapshot.on_date)).all()
