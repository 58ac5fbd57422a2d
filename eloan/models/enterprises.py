"""Enterprises of the development zone, their 亩产效益 classes and sanctions (第三、四、十七条)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column
from eloan.models.types import Money


class Enterprise(Timestamped, db.Model):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str] = mapped_column(String(30))
    size_class: Mapped[str | None] = mapped_column(String(10))
    size_class_given: Mapped[bool] = mapped_column(Boolean, default=False)
    in_zone: Mapped[bool] = mapped_column(Boolean, default=True)
    special_approval_note: Mapped[str | None] = mapped_column(Text)  # 特别优质 approval outside the zone
    established_on: Mapped[date | None] = mapped_column(Date)
    employees: Mapped[int | None] = mapped_column(Integer)
    revenue: Mapped[Decimal | None] = mapped_column(Money())
    tax_sales: Mapped[Decimal | None] = mapped_column(Money())
    mu_class: Mapped[str | None] = mapped_column(String(1))  # latest 亩产效益 class, A–D
    mu_year: Mapped[int | None] = mapped_column(Integer)
    legal_rep: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    # Denormalised from the open Sanction rows so screening can filter in SQL (第十七条).
    sanctioned: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    updated_at: Mapped[datetime | None] = timestamp_column()

    mu_ratings: Mapped[list[MuRating]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by="MuRating.year"
    )

    __table_args__ = (
        CheckConstraint("employees IS NULL OR employees >= 0", name="employees_non_negative"),
        CheckConstraint("revenue IS NULL OR revenue >= 0", name="revenue_non_negative"),
        CheckConstraint("tax_sales IS NULL OR tax_sales >= 0", name="tax_sales_non_negative"),
        CheckConstraint("mu_class IS NULL OR mu_class IN ('A','B','C','D')", name="mu_class_valid"),
    )


class MuRating(Timestamped, db.Model):
    """亩产效益 evaluation class of one enterprise for one year."""

    __tablename__ = "mu_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    mu_class: Mapped[str] = mapped_column(String(1))
    note: Mapped[str | None] = mapped_column(String(200))

    enterprise: Mapped[Enterprise] = relationship(back_populates="mu_ratings")

    __table_args__ = (
        UniqueConstraint("enterprise_id", "year", name="uq_mu_ratings_enterprise_year"),
        CheckConstraint("mu_class IN ('A','B','C','D')", name="class_valid"),
    )


class Sanction(Timestamped, db.Model):
    """An enterprise flagged for an overdue or NPL programme loan, until cleared with a reason."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"))
    reason: Mapped[str] = mapped_column(Text)
    flagged_on: Mapped[date] = mapped_column(Date)
    cleared_on: Mapped[date | None] = mapped_column(Date)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    clear_reason: Mapped[str | None] = mapped_column(Text)

    enterprise: Mapped[Enterprise] = relationship()
