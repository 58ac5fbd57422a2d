"""What the risk-monitoring page, a bank's ratio panel and the home cards show (第十八条; POLICY.md §9). Reads only.

Today's ratios are live (one set-based query for every bank, services.ratios); the history is what the daily
job stored. Thresholds come from the policy in force today: with none in force the figures are still shown,
with the reason no breach can be judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from eloan import clock
from eloan.domain.calendar import days_left
from eloan.domain.ratios import Ratios
from eloan.domain.reminders import DEADLINE_KINDS, RESPONSIBLE, deadline_phase
from eloan.extensions import db
from eloan.models import Bank, RatioSnapshot
from eloan.services import banks, deadlines, monitoring, ratios, reference
from eloan.services.access import require
from eloan.services.deadlines import Duty
from eloan.services.monitoring import Thresholds, thresholds_on

HISTORY_DAYS = 90
SOON_DAYS = 5  # "即将到期": within this many days, or already in the reminder window


@dataclass(frozen=True)
class BankRow:
    bank: Bank
    ratios: Ratios
    over: tuple[str, ...]  # "npl_ratio" / "overdue_ratio" exceeded today
    matured_unreported: int  # loans past maturity still reported normal


@dataclass(frozen=True)
class DutyRow:
    duty: Duty
    kind_label: str
    days_left: int
    who: str  # who must act


@dataclass(frozen=True)
class Overview:
    day: date
    thresholds: Thresholds
    programme: Ratios
    programme_over: tuple[str, ...]
    banks: list[BankRow]
    missed: list[DutyRow]  # deadline already passed, nearest-missed last
    soon: list[DutyRow]  # due today or in the next few days
    history: list[RatioSnapshot]  # the programme's stored figures, oldest first
    history_start: date

    @property
    def suspended(self) -> int:
        return sum(1 for r in self.banks if r.bank.status == "suspended")

    @property
    def over_count(self) -> int:
        return sum(1 for r in self.banks if r.over)


def _duty_rows(day: date) -> tuple[list[DutyRow], list[DutyRow]]:
    cal = reference.work_calendar()
    missed, soon = [], []
    for duty in deadlines.open_duties(day, cal=cal):
        row = DutyRow(
            duty,
            DEADLINE_KINDS.get(duty.kind, duty.kind),
            days_left(day, duty.deadline),
            RESPONSIBLE.get(duty.kind, ""),
        )
        if duty.deadline < day:
            missed.append(row)
        elif deadline_phase(day, duty.deadline, cal) == "remind" or row.days_left <= SOON_DAYS:
            soon.append(row)
    return missed, soon


def overview(actor, day: date | None = None) -> Overview:
    """Everything the 风险监测 page shows for `day` (default today)."""
    require(actor, "monitoring.read")
    day = day or clock.today()
    limits = thresholds_on(day)
    by_bank, programme = ratios.all_ratios_on(day)
    matured = monitoring.matured_unreported(day)
    rows = [BankRow(b, by_bank[b.id], limits.over(by_bank[b.id]), matured.get(b.id, 0)) for b in banks.all_banks(actor)]
    missed, soon = _duty_rows(day)
    start = day - timedelta(days=HISTORY_DAYS - 1)
    return Overview(
        day=day,
        thresholds=limits,
        programme=programme,
        programme_over=limits.over(programme),
        banks=rows,
        missed=missed,
        soon=soon,
        history=ratios.history(actor, None, start, day),
        history_start=start,
    )


@dataclass(frozen=True)
class BankPanel:
    """One bank's ratios today, against the thresholds, with its stored history (the bank page)."""

    bank: Bank
    day: date
    ratios: Ratios
    thresholds: Thresholds
    over: tuple[str, ...]
    matured_unreported: int
    history: list[RatioSnapshot] = field(default_factory=list)
    history_start: date | None = None


def bank_panel(actor, code: str, day: date | None = None, *, with_history: bool = True) -> BankPanel:
    """For whoever may see the bank (a bank user: its own; another bank's is NotFound)."""
    day = day or clock.today()
    bank, own = ratios.bank_ratios(actor, code, day)
    limits = thresholds_on(day)
    start = day - timedelta(days=HISTORY_DAYS - 1)
    history = ratios.history(actor, bank.code, start, day) if with_history else []
    return BankPanel(
        bank=bank,
        day=day,
        ratios=own,
        thresholds=limits,
        over=limits.over(own),
        matured_unreported=monitoring.matured_unreported(day, bank.id).get(bank.id, 0),
        history=history,
        history_start=start,
    )


@dataclass(frozen=True)
class Glance:
    """The two numbers the home cards show: deadlines already missed, banks suspended."""

    missed: int
    suspended: int


def glance(actor, day: date | None = None) -> Glance:
    require(actor, "monitoring.read")
    day = day or clock.today()
    missed = sum(1 for d in deadlines.open_duties(day) if d.deadline < day)
    suspended = db.session.scalar(select(func.count(Bank.id)).where(Bank.status == "suspended")) or 0
    return Glance(missed, suspended)
