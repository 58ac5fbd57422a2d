"""业务情况统计表 (附件4; POLICY.md §12.4): the programme's figures for a period, per bank, with a 合计 row
and breakdowns by industry and by 亩产效益 class.

Every figure is as at the period's end, rebuilt from dated records, so a report for a past period run
today gives that period's figures whatever happened since. A fixed number of set-based statements
answer for every bank at once, and the rows, the 合计 and both breakdowns are added up in Python from
cells of (bank, industry, 亩产效益 class). The loans are read in one pass grouped by (bank, borrower) —
one row per enterprise and bank — because 服务企业 cannot be added up (an enterprise served by two
banks is one enterprise); that pass is services/ratios.sums_statement, the statement the daily job
snapshots, so the balances and ratios equal the snapshot of the same day. Claims, payouts and
recoveries are few and grouped by cell in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, type_coerce

from eloan.domain.calendar import in_shanghai
from eloan.domain.errors import NotFound
from eloan.domain.periods import Period, check_period
from eloan.domain.policy import INDUSTRIES
from eloan.domain.ratios import ratios_from_sums
from eloan.domain.states import BANK_STATUSES
from eloan.extensions import db
from eloan.models import Bank, BankStatusChange, Claim, ClaimTransition, Enterprise, Loan, Payout, Recovery
from eloan.models.types import Money
from eloan.services.access import is_bank_user, require
from eloan.services.ratios import sums_statement

_ZERO = Decimal("0.00")
MU_CLASSES: dict[str | None, str] = {"A": "A类", "B": "B类", "C": "C类", "D": "D类", None: "未评价"}

# The additive figures of a row, in the order of the form (服务企业 and the ratios are not additive).
_SUMMED = (
    "loans_made_count",
    "loans_made_amount",
    "outstanding",
    "overdue_balance",
    "npl_balance",
    "claims_count",
    "claims_amount",
    "paid",
    "recovered",
    "returned",
)
_COUNTS = ("loans_made_count", "claims_count")


@dataclass(frozen=True)
class Figures:
    """One row of 附件4: amounts in yuan (Decimal), ratios exact to 6 places or None when L = 0."""

    loans_made_count: int
    loans_made_amount: Decimal
    enterprises_served: int
    outstanding: Decimal
    overdue_balance: Decimal
    overdue_ratio: Decimal | None
    npl_balance: Decimal
    npl_ratio: Decimal | None
    claims_count: int
    claims_amount: Decimal
    paid: Decimal
    recovered: Decimal
    returned: Decimal


@dataclass(frozen=True)
class Row:
    """A bank's row (key = bank code, status at the end of the period), a breakdown's row (key = industry
    or 亩产效益 class, status None), or the 合计 (key None)."""

    key: str | None
    label: str
    figures: Figures
    status: str | None = None

    @property
    def status_label(self) -> str:
        return BANK_STATUSES.get(self.status, self.status or "")


@dataclass(frozen=True)
class Report:
    period: Period
    rows: list[Row]
    total: Row
    by_industry: list[Row]
    by_mu_class: list[Row]
    bank_only: bool = False  # a bank user's report: its own row only

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end


@dataclass
class _Cell:
    """Additive figures of one (bank, industry, class) group."""

    values: dict[str, Decimal | int] = field(
        default_factory=lambda: {k: (0 if k in _COUNTS else _ZERO) for k in _SUMMED}
    )

    def add(self, other: _Cell) -> None:
        for k in _SUMMED:
            self.values[k] += other.values[k]


def _figures(cell: _Cell, enterprises: int) -> Figures:
    v = cell.values
    ratios = ratios_from_sums(v["outstanding"], v["npl_balance"], v["overdue_balance"])
    return Figures(
        loans_made_count=v["loans_made_count"],
        loans_made_amount=v["loans_made_amount"],
        enterprises_served=enterprises,
        outstanding=ratios.outstanding,
        overdue_balance=ratios.overdue_balance,
        overdue_ratio=ratios.overdue_ratio,
        npl_balance=ratios.npl_balance,
        npl_ratio=ratios.npl_ratio,
        claims_count=v["claims_count"],
        claims_amount=v["claims_amount"],
        paid=v["paid"],
        recovered=v["recovered"],
        returned=v["returned"],
    )


def _scoped(stmt, bank_id: int | None, column=Loan.bank_id):
    return stmt if bank_id is None else stmt.where(column == bank_id)


def _by_cell(stmt) -> Iterable[tuple[tuple, tuple]]:
    for bank_id, industry, mu, *values in db.session.execute(stmt):
        yield (bank_id, industry, mu), values


def _cells(period: Period, bank_id: int | None, cells: dict[tuple, _Cell]) -> dict[tuple, _Cell]:
    """Claims, payouts, recoveries and remittances of the period added to `cells`."""
    keys = (Loan.bank_id, Enterprise.industry, Enterprise.mu_class)
    start, end = period.start, period.end

    # 补偿申请: claims first submitted (受理) in the period, by their first submission (a resubmission
    # after a return is the same claim). The time is stored, its Beijing day decides.
    first_submitted = (
        select(ClaimTransition.claim_id, func.min(ClaimTransition.created_at).label("at"))
        .where(ClaimTransition.to_status == "submitted")
        .group_by(ClaimTransition.claim_id)
        .subquery()
    )
    claimed = (
        select(*keys, first_submitted.c.at, Claim.compensation)
        .select_from(Claim)
        .join(first_submitted, first_submitted.c.claim_id == Claim.id)
        .join(Loan, Loan.id == Claim.loan_id)
        .join(Enterprise, Enterprise.id == Loan.enterprise_id)
    )
    for key, (at, compensation) in _by_cell(_scoped(claimed, bank_id)):
        if start <= in_shanghai(at).date() <= end:
            cells[key].values["claims_count"] += 1
            cells[key].values["claims_amount"] += compensation

    # 已拨付: payouts dated in the period.
    paid = (
        select(*keys, type_coerce(func.sum(Payout.amount), Money()))
        .select_from(Payout)
        .join(Claim, Claim.id == Payout.claim_id)
        .join(Loan, Loan.id == Claim.loan_id)
        .join(Enterprise, Enterprise.id == Loan.enterprise_id)
        .where(Payout.paid_on >= start, Payout.paid_on <= end)
        .group_by(*keys)
    )
    for key, (amount,) in _by_cell(_scoped(paid, bank_id)):
        cells[key].values["paid"] = amount or _ZERO

    # 追偿: whole amounts recovered in the period; 返还专户: the fund's parts remitted in the period.
    def recoveries(date_column, amount_column, name):
        stmt = (
            select(*keys, type_coerce(func.sum(amount_column), Money()))
            .select_from(Recovery)
            .join(Claim, Claim.id == Recovery.claim_id)
            .join(Loan, Loan.id == Claim.loan_id)
            .join(Enterprise, Enterprise.id == Loan.enterprise_id)
            .where(date_column >= start, date_column <= end)
            .group_by(*keys)
        )
        for key, (amount,) in _by_cell(_scoped(stmt, bank_id)):
            cells[key].values[name] = amount or _ZERO

    recoveries(Recovery.recovered_on, Recovery.amount, "recovered")
    recoveries(Recovery.remitted_on, Recovery.fund_part, "returned")
    return cells


def _loans(period: Period, bank_id: int | None) -> tuple[dict[tuple, _Cell], dict[int, int], dict[tuple, int]]:
    """Balances as at the end of the period, 新增贷款 and 服务企业: one pass over the loans.

    It is the daily job's statement (ratios.sums_statement), split by borrower and with the loans drawn
    in the period beside the balances, so the balances equal the day's snapshot. Each answer row is one
    enterprise at one bank: a bank's 服务企业 is its number of rows with a loan drawn in the period, and
    the distinct enterprises of an (industry, class) — an enterprise has one of each — add up to the 合计
    and to each breakdown; the banks' counts need not (one enterprise may borrow from two banks). The
    borrowers' classes are read apart (one row per enterprise), not joined into the pass over the loans.
    """
    classes = {
        e: (industry, mu)
        for e, industry, mu in db.session.execute(select(Enterprise.id, Enterprise.industry, Enterprise.mu_class))
    }
    cells: dict[tuple, _Cell] = defaultdict(_Cell)
    per_bank: dict[int, int] = defaultdict(int)
    per_class: dict[tuple, set[int]] = defaultdict(set)
    stmt = sums_statement(period.end, bank_id, by_borrower=True, drawn_from=period.start)
    for b, enterprise, lent, npl, overdue, made, amount in db.session.execute(stmt):
        industry, mu = classes[enterprise]
        cell = cells[(b, industry, mu)].values
        cell["outstanding"] += lent or _ZERO
        cell["npl_balance"] += npl or _ZERO
        cell["overdue_balance"] += overdue or _ZERO
        if made:
            cell["loans_made_count"] += made
            cell["loans_made_amount"] += amount
            per_bank[b] += 1
            per_class[(industry, mu)].add(enterprise)
    return cells, per_bank, {k: len(v) for k, v in per_class.items()}


def status_at(history: list[tuple[date, int, str, str | None]], day: date, current: str) -> str:
    """The bank's status at the end of `day` from its dated changes (effective_on, id, to, from).

    Unlike the lending check, a disqualified bank shows the status it had then, so a past report is
    the report of that time.
    """
    history = sorted(history)
    earlier = [h for h in history if h[0] <= day]
    if earlier:
        return earlier[-1][2]
    return (history[0][3] or current) if history else current


def statistics(actor, start: date, end: date, bank_code: str | None = None) -> Report:
    """附件4 for [start, end]; a bank user gets its own bank's row (and breakdowns of its own loans),
    whichever bank it names. The government units may ask for one bank's (`bank_code`); an unknown
    code is NotFound."""
    require(actor, "reports.read")
    period = check_period(start, end)
    bank_only = is_bank_user(actor)
    bank_id = actor.bank_id if bank_only else None
    if bank_only and bank_id is None:
        raise ValueError("a bank user without a bank")  # validate_roles makes this impossible
    if bank_code is not None and not bank_only:
        bank_id = db.session.scalar(select(Bank.id).where(Bank.code == bank_code))
        if bank_id is None:
            raise NotFound(f"banks:{bank_code}")

    banks = db.session.execute(
        _scoped(select(Bank.id, Bank.code, Bank.name, Bank.status), bank_id, Bank.id).order_by(Bank.code)
    ).all()
    history: dict[int, list] = defaultdict(list)
    changes = select(
        BankStatusChange.bank_id,
        BankStatusChange.effective_on,
        BankStatusChange.id,
        BankStatusChange.to_status,
        BankStatusChange.from_status,
    )
    for b, *change in db.session.execute(_scoped(changes, bank_id, BankStatusChange.bank_id)):
        history[b].append(tuple(change))

    loans, served_by_bank, served_by_class = _loans(period, bank_id)
    cells = _cells(period, bank_id, loans)

    per_bank: dict[int, _Cell] = defaultdict(_Cell)
    per_industry: dict[str, _Cell] = defaultdict(_Cell)
    per_mu: dict[str | None, _Cell] = defaultdict(_Cell)
    total = _Cell()
    for (b, industry, mu), cell in cells.items():
        per_bank[b].add(cell)
        per_industry[industry].add(cell)
        per_mu[mu].add(cell)
        total.add(cell)
    industry_served: dict[str, int] = defaultdict(int)
    mu_served: dict[str | None, int] = defaultdict(int)
    for (industry, mu), n in served_by_class.items():
        industry_served[industry] += n
        mu_served[mu] += n

    rows = [
        Row(
            code,
            name,
            _figures(per_bank.get(b, _Cell()), served_by_bank.get(b, 0)),
            status_at(history.get(b, []), period.end, status),
        )
        for b, code, name, status in banks
    ]
    industries = list(INDUSTRIES) + sorted(k for k in per_industry if k not in INDUSTRIES)
    by_industry = [
        Row(k, INDUSTRIES.get(k, k), _figures(per_industry.get(k, _Cell()), industry_served.get(k, 0)))
        for k in industries
    ]
    by_mu = [Row(k, label, _figures(per_mu.get(k, _Cell()), mu_served.get(k, 0))) for k, label in MU_CLASSES.items()]
    return Report(
        period=period,
        rows=rows,
        total=Row(None, "合计", _figures(total, sum(served_by_class.values()))),
        by_industry=by_industry,
        by_mu_class=by_mu,
        bank_only=bank_only,
    )


def programme_start() -> date | None:
    """The first day of the programme: the earliest policy version's (台政办发〔2023〕9号: 2023-11-30)."""
    from eloan.models import PolicyVersion

    return db.session.scalar(select(func.min(PolicyVersion.effective_from)))
