"""NPL and overdue ratios per bank and for the programme, at any date (第十八条; POLICY.md §9).

One set-based query answers for every bank at once, so the daily job costs the same few statements
with 1,000 loans or 1,000,000. The state of a loan on a past date is rebuilt from what is recorded:
the principal outstanding then is today's outstanding plus the principal repaid after that date,
and its status then is that of its last status event on or before it (events are recorded in date
order: services/loans.py refuses an earlier one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select, type_coerce

from eloan import clock
from eloan.domain.ratios import Ratios, ratios_from_sums
from eloan.domain.states import LOANS_CLOSED, LOANS_IN_ARREARS
from eloan.extensions import db
from eloan.models import Bank, Loan, LoanEvent, RatioSnapshot, Repayment
from eloan.models.types import Money
from eloan.services.access import require
from eloan.services.banks import get as get_bank

# The events that set a loan's status; "cured" returns it to normal.
_STATUS_EVENTS = ("overdue", "cured", "npl", "written_off")
_ZERO = Decimal("0.00")
PROGRAMME = "programme"
# The programme as a whole is for the government roles; a bank sees its own figures only.


@dataclass(frozen=True)
class _Split:
    """How sums_statement splits and what it adds: by borrower as well as by bank, and the loans drawn
    from a day on (附件4's 新增贷款, POLICY.md §12.4)."""

    by_borrower: bool = False
    drawn_from: date | None = None


_PER_BANK = _Split()


def _sums(status, outstanding, bank_id: int | None, day: date, *joins, split: _Split = _PER_BANK):
    on_books = case((status.in_(LOANS_CLOSED), 0), else_=outstanding)
    npl = case((status == "npl", outstanding), else_=0)
    overdue = case((status.in_(LOANS_IN_ARREARS), outstanding), else_=0)
    # Per borrower, "+ 0" keeps SQLite from walking ix_loans_bank_status row by row for the order of bank_id
    # (three times slower than reading the table once: bench/statistics.py); PostgreSQL hashes either way.
    keys = (Loan.bank_id + 0, Loan.enterprise_id) if split.by_borrower else (Loan.bank_id,)
    columns = [
        type_coerce(func.sum(on_books), Money()),
        type_coerce(func.sum(npl), Money()),
        type_coerce(func.sum(overdue), Money()),
    ]
    if split.drawn_from is not None:
        drawn = Loan.drawdown_date >= split.drawn_from
        columns += [
            func.sum(case((drawn, 1), else_=0)),
            type_coerce(func.sum(case((drawn, Loan.amount), else_=0)), Money()),
        ]
    stmt = select(*keys, *columns)
    for target, onclause in joins:
        stmt = stmt.outerjoin(target, onclause)
    stmt = stmt.where(Loan.drawdown_date <= day)
    if bank_id is not None:
        stmt = stmt.where(Loan.bank_id == bank_id)
    return stmt.group_by(*keys)


def _as_recorded_now(day: date, bank_id: int | None, split: _Split = _PER_BANK):
    """When nothing is dated after `day` (the usual daily run), each loan's stored outstanding and status
    are its state on `day`: one pass over the loans, no history."""
    return _sums(Loan.status, Loan.outstanding_principal, bank_id, day, split=split)


def _as_of(day: date, bank_id: int | None, split: _Split = _PER_BANK):
    """A past date: add back the principal repaid after it, take the status of the last event up to it."""
    repaid_after = (
        select(Repayment.loan_id, func.sum(Repayment.principal).label("principal"))
        .where(Repayment.paid_on > day)
        .group_by(Repayment.loan_id)
        .subquery()
    )
    ranked = (
        select(
            LoanEvent.loan_id,
            LoanEvent.type,
            func.row_number()
            .over(partition_by=LoanEvent.loan_id, order_by=(LoanEvent.event_date.desc(), LoanEvent.id.desc()))
            .label("rn"),
        )
        .where(LoanEvent.event_date <= day, LoanEvent.type.in_(_STATUS_EVENTS))
        .subquery()
    )
    last_event = select(ranked.c.loan_id, ranked.c.type).where(ranked.c.rn == 1).subquery()
    return _sums(
        func.coalesce(last_event.c.type, "normal"),
        Loan.outstanding_principal + func.coalesce(repaid_after.c.principal, 0),
        bank_id,
        day,
        (repaid_after, repaid_after.c.loan_id == Loan.id),
        (last_event, last_event.c.loan_id == Loan.id),
        split=split,
    )


def _recorded_after(day: date) -> bool:
    later_repayment = select(Repayment.id).where(Repayment.paid_on > day).exists()
    later_event = select(LoanEvent.id).where(LoanEvent.event_date > day, LoanEvent.type.in_(_STATUS_EVENTS)).exists()
    return bool(db.session.scalar(select(later_repayment | later_event)))


def sums_statement(day: date, bank_id: int | None = None, *, by_borrower: bool = False, drawn_from: date | None = None):
    """SELECT bank_id, L, N, O … GROUP BY bank_id as of `day` (bench/daily_job.py prints its plan).

    A loan repaid to zero counts nowhere; written off, it is off the books (POLICY.md §9).

    For 附件4 (POLICY.md §12.4, services/statistics.py), the same sums `by_borrower` (SELECT bank_id,
    enterprise_id, L, N, O … GROUP BY both: added up per bank they are the bank's figures exactly), and
    with `drawn_from` two more columns: the count and amount of the loans drawn from that day to `day`.
    """
    split = _Split(by_borrower, drawn_from)
    return _as_of(day, bank_id, split) if _recorded_after(day) else _as_recorded_now(day, bank_id, split)


def _found(day: date, bank_id: int | None = None) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    return {
        bank: (lent or _ZERO, n or _ZERO, o or _ZERO)
        for bank, lent, n, o in db.session.execute(sums_statement(day, bank_id))
    }


def all_ratios_on(day: date) -> tuple[dict[int, Ratios], Ratios]:
    """Every bank's ratios on `day` (banks without loans included, at zero) and the programme's."""
    found = _found(day)
    by_bank = {
        bank_id: ratios_from_sums(*found.get(bank_id, (_ZERO, _ZERO, _ZERO)))
        for bank_id in db.session.scalars(select(Bank.id))
    }
    programme = ratios_from_sums(
        sum((r.outstanding for r in by_bank.values()), _ZERO),
        sum((r.npl_balance for r in by_bank.values()), _ZERO),
        sum((r.overdue_balance for r in by_bank.values()), _ZERO),
    )
    return by_bank, programme


def bank_ratios(actor, code: str, day: date | None = None) -> tuple[Bank, Ratios]:
    """A bank's ratios on `day` (default today), for whoever may see the bank (a bank: its own)."""
    bank = get_bank(actor, code)
    return bank, ratios_from_sums(*_found(day or clock.today(), bank.id).get(bank.id, (_ZERO, _ZERO, _ZERO)))


def programme_ratios(actor, day: date | None = None) -> Ratios:
    require(actor, "ratios.programme")
    return all_ratios_on(day or clock.today())[1]


def store_snapshots(day: date, by_bank: dict[int, Ratios], programme: Ratios) -> int:
    """The day's figures, kept so a bank's history can be charted and audited."""
    codes = dict(db.session.execute(select(Bank.id, Bank.code)).all())
    rows = [_snapshot(day, codes[bank_id], bank_id, r) for bank_id, r in by_bank.items()]
    rows.append(_snapshot(day, PROGRAMME, None, programme))
    db.session.add_all(rows)
    return len(rows)


def _snapshot(day: date, scope: str, bank_id: int | None, r: Ratios) -> RatioSnapshot:
    return RatioSnapshot(
        on_date=day,
        scope=scope,
        bank_id=bank_id,
        outstanding=r.outstanding,
        npl_balance=r.npl_balance,
        overdue_balance=r.overdue_balance,
        npl_ratio=r.npl_ratio,
        overdue_ratio=r.overdue_ratio,
    )


def history(actor, code: str | None, start: date, end: date) -> list[RatioSnapshot]:
    """Stored daily figures, oldest first: one bank's (code), or the programme's (code None)."""
    if code is None:
        require(actor, "ratios.programme")
        scope_value = PROGRAMME
    else:
        scope_value = get_bank(actor, code).code
    return db.session.scalars(
        select(RatioSnapshot)
        .where(RatioSnapshot.scope == scope_value, RatioSnapshot.on_date >= start, RatioSnapshot.on_date <= end)
        .order_by(RatioSnapshot.on_date)
    ).all()
