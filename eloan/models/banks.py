"""Cooperating banks, their agreements and every change of status (第五、十八、十九条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.extensions import db
from eloan.models.base import Timestamped
from eloan.models.types import Money, Ratio


class Bank(Timestamped, db.Model):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    branch_in_district: Mapped[bool] = mapped_column(Boolean, default=True)
    loss_share: Mapped[Decimal] = mapped_column(Ratio())  # the bank's share of a loss, e.g. 0.3000
    agreement_no: Mapped[str | None] = mapped_column(String(60))
    agreement_from: Mapped[date | None] = mapped_column(Date)
    agreement_to: Mapped[date | None] = mapped_column(Date)
    product_name: Mapped[str | None] = mapped_column(String(100))
    product_recognised: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))

    status_changes: Mapped[list[BankStatusChange]] = relationship(back_populates="bank", order_by="BankStatusChange.id")

    __table_args__ = (
        CheckConstraint("status IN ('active','suspended','disqualified')", name="status_valid"),
        CheckConstraint("loss_share >= 0", name="share_non_negative"),
    )


class BankStatusChange(Timestamped, db.Model):
    """A dated status change with the reason, the actor (None for the daily job) and the figures."""

    __tablename__ = "bank_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # manual | daily_job | fraud | admission
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The figures that caused an automatic change (第十八条), kept for audit.
    outstanding: Mapped[Decimal | None] = mapped_column(Money())
    npl_balance: Mapped[Decimal | None] = mapped_column(Money())
    overdue_balance: Mapped[Decimal | None] = mapped_column(Money())
    npl_ratio: Mapped[Decimal | None] = mapped_column(Ratio())
    overdue_ratio: Mapped[Decimal | None] = mapped_column(Ratio())
    job_date: Mapped[date | None] = mapped_column(Date)

    bank: Mapped[Bank] = relationship(back_populates="status_changes")


class BankEvaluation(Timestamped, db.Model):
    """Annual evaluation of a bank (第二十条)."""

    __tablename__ = "bank_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    scores: Mapped[dict] = mapped_column(JSON)
    total_score: Mapped[Decimal] = mapped_column(Money())
    result: Mapped[str] = mapped_column(String(30))  # continue | conditional | end
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (db.UniqueConstraint("bank_id", "year", name="uq_bank_evaluations_bank_year"),)
