"""The annual evaluation of the cooperating banks (第二十条; POLICY.md §11)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column
from eloan.models.types import ExactDecimal


def Score():
    """A score out of 100, to 2 places."""
    return ExactDecimal(7, 2)


class Evaluation(Timestamped, db.Model):
    """One year's evaluation: draft (finance computes, may recompute and adjust) → confirmed (zone, industry
    and fsc have each confirmed) → decided (finance has recorded a decision for every bank)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    policy_code: Mapped[str] = mapped_column(String(40))  # thresholds and spread read from this version
    method: Mapped[dict] = mapped_column(JSON)  # weights and cut-offs used, kept with the result
    computed_at: Mapped[datetime | None] = timestamp_column()
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    report_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))  # outside evaluator

    rows: Mapped[list[EvaluationRow]] = relationship(
        back_populates="evaluation", order_by="EvaluationRow.rank", cascade="all, delete-orphan"
    )
    confirmations: Mapped[list[EvaluationConfirmation]] = relationship(
        back_populates="evaluation", order_by="EvaluationConfirmation.id", cascade="all, delete-orphan"
    )
    report_file: Mapped[StoredFile | None] = relationship()  # noqa: F821

    __table_args__ = (CheckConstraint("status IN ('draft','confirmed','decided')", name="status_valid"),)


class EvaluationRow(Timestamped, db.Model):
    """One bank's indicators, scores (as computed, and after adjustments by hand), rank and decision."""

    __tablename__ = "evaluation_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    indicators: Mapped[dict] = mapped_column(JSON)
    computed: Mapped[dict] = mapped_column(JSON)  # {area: "30.00"}
    # {area: {"score": "25.00", "reason": "…", "by": "username", "at": iso}} — replaces the computed score
    adjustments: Mapped[dict] = mapped_column(JSON, default=dict)
    scores: Mapped[dict] = mapped_column(JSON)  # after adjustments
    total: Mapped[Decimal] = mapped_column(Score())
    rank: Mapped[int] = mapped_column(Integer)
    suggested: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    agreement_end: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = timestamp_column()

    evaluation: Mapped[Evaluation] = relationship(back_populates="rows")
    bank: Mapped[Bank] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("evaluation_id", "bank_id", name="uq_evaluation_rows_evaluation_bank"),
        CheckConstraint("suggested IN ('continue','conditional','end')", name="suggested_valid"),
        CheckConstraint("decision IS NULL OR decision IN ('continue','conditional','end')", name="decision_valid"),
    )


class EvaluationConfirmation(Timestamped, db.Model):
    """zone, industry or fsc confirming the draft, with an optional comment (one per unit)."""

    __tablename__ = "evaluation_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[Evaluation] = relationship(back_populates="confirmations")
    user: Mapped[User] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("evaluation_id", "role", name="uq_evaluation_confirmations_evaluation_role"),)
