"""The daily job's runs and the ratios it stores (第十八条)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eloan.extensions import db
from eloan.models.base import timestamp_column
from eloan.models.types import Money, Ratio


class DailyRun(db.Model):
    """One row per date: inserting it is the lock that makes the job run once per date."""

    __tablename__ = "daily_runs"

    run_date: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))  # running | done | failed
    started_at: Mapped[datetime | None] = timestamp_column()
    finished_at: Mapped[datetime | None] = timestamp_column()
    host: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class RatioSnapshot(db.Model):
    """A bank's (or, with bank_id NULL and scope 'programme', the programme's) ratios on a date."""

    __tablename__ = "ratio_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    on_date: Mapped[date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(20))  # the bank code, or 'programme'
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    outstanding: Mapped[Decimal] = mapped_column(Money())
    npl_balance: Mapped[Decimal] = mapped_column(Money())
    overdue_balance: Mapped[Decimal] = mapped_column(Money())
    npl_ratio: Mapped[Decimal | None] = mapped_column(Ratio())
    overdue_ratio: Mapped[Decimal | None] = mapped_column(Ratio())

    __table_args__ = (UniqueConstraint("on_date", "scope", name="uq_ratio_snapshots_date_scope"),)
