"""Programme loans, their repayments and status events (第六、七、八条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.extensions import db
from eloan.models.base import Timestamped
from eloan.models.types import Money, Rate


class Loan(Timestamped, db.Model):
    __tablename__ = "loans"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    contract_no: Mapped[str] = mapped_column(String(60))
    amount: Mapped[Decimal] = mapped_column(Money())
    rate_percent: Mapped[Decimal] = mapped_column(Rate())
    contract_date: Mapped[date] = mapped_column(Date)
    drawdown_date: Mapped[date] = mapped_column(Date)
    maturity_date: Mapped[date] = mapped_column(Date)
    guarantees: Mapped[list] = mapped_column(JSON, default=list)
    list_batch_id: Mapped[int | None] = mapped_column(ForeignKey("list_batches.id"))
    policy_code: Mapped[str] = mapped_column(String(40))
    lpr_percent: Mapped[Decimal] = mapped_column(Rate())  # LPR in force on the contract date
    # Kept in step with repayments and events by the loan services, in the same transaction,
    # so the daily ratios are one set-based query (第十八条).
    outstanding_principal: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[str] = mapped_column(String(20), default="normal")
    overdue_since: Mapped[date | None] = mapped_column(Date)
    npl_recognised_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    not_compensable: Mapped[bool] = mapped_column(Boolean, default=False)
    not_compensable_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    bank: Mapped[Bank] = relationship()  # noqa: F821
    enterprise: Mapped[Enterprise] = relationship()  # noqa: F821
    repayments: Mapped[list[Repayment]] = relationship(
        back_populates="loan", order_by="Repayment.paid_on", cascade="all, delete-orphan"
    )
    events: Mapped[list[LoanEvent]] = relationship(
        back_populates="loan", order_by="LoanEvent.event_date", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("bank_id", "contract_no", name="uq_loans_bank_contract_no"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("outstanding_principal >= 0", name="outstanding_non_negative"),
        CheckConstraint("rate_percent >= 0", name="rate_non_negative"),
        CheckConstraint("maturity_date > drawdown_date", name="maturity_after_drawdown"),
        CheckConstraint("status IN ('normal','overdue','npl','repaid','written_off')", name="status_valid"),
        Index("ix_loans_bank_status", "bank_id", "status"),
    )


class Repayment(Timestamped, db.Model):
    __tablename__ = "repayments"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date, index=True)  # ratios on a past date add back later repayments
    principal: Mapped[Decimal] = mapped_column(Money())
    interest: Mapped[Decimal] = mapped_column(Money())
    reference: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    loan: Mapped[Loan] = relationship(back_populates="repayments")

    __table_args__ = (
        CheckConstraint("principal >= 0", name="principal_non_negative"),
        CheckConstraint("interest >= 0", name="interest_non_negative"),
    )


class LoanEvent(Timestamped, db.Model):
    """overdue, cured, npl (with its proof), repaid, written_off — the loan's timeline."""

    __tablename__ = "loan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    event_date: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    loan: Mapped[Loan] = relationship(back_populates="events")

    __table_args__ = (
        CheckConstraint(
            "type IN ('overdue','cured','npl','repaid','written_off','not_compensable')",
            name="type_valid",
        ),
    )
