"""Reference data an administrator keeps: policy versions, the working-day calendar, the LPR."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column
from eloan.models.types import Money, Rate, Ratio


class PolicyVersion(Timestamped, db.Model):
    """One version of the 实施办法's numbers (第二十二条: valid two years, adjusted yearly)."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    max_compensation_ratio: Mapped[Decimal] = mapped_column(Ratio())
    min_bank_share: Mapped[Decimal] = mapped_column(Ratio())
    rate_spread_bp: Mapped[int] = mapped_column(Integer)
    max_term_months: Mapped[int] = mapped_column(Integer)
    max_outstanding_per_enterprise: Mapped[Decimal] = mapped_column(Money())
    filing_working_days: Mapped[int] = mapped_column(Integer)
    opinion_days: Mapped[int] = mapped_column(Integer)
    payout_days: Mapped[int] = mapped_column(Integer)
    npl_ratio_threshold: Mapped[Decimal] = mapped_column(Ratio())
    overdue_ratio_threshold: Mapped[Decimal] = mapped_column(Ratio())
    fund_scale: Mapped[Decimal] = mapped_column(Money())
    first_tranche: Mapped[Decimal] = mapped_column(Money())
    eligible_industries: Mapped[list] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="period"),
        # Only comparisons with zero: on SQLite exact decimals are stored scaled (models/types.py).
        CheckConstraint("max_compensation_ratio > 0 AND min_bank_share >= 0", name="ratios_positive"),
    )


class CalendarDay(db.Model):
    """An exception to Monday–Friday: a weekday holiday or a weekend make-up working day (调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20), default="admin")  # library | admin
    updated_at: Mapped[datetime | None] = timestamp_column()


class CalendarYear(db.Model):
    """A year whose State Council arrangement is loaded; other years give provisional deadlines."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # library | admin
    note: Mapped[str | None] = mapped_column(String(200))
    loaded_at: Mapped[datetime | None] = timestamp_column()


class LprRate(Timestamped, db.Model):
    """1-year Loan Prime Rate, in force from its publication date until the next one."""

    __tablename__ = "lpr_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    rate_1y_percent: Mapped[Decimal] = mapped_column(Rate())
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (CheckConstraint("rate_1y_percent > 0", name="positive"),)
