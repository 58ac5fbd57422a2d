"""The recommended list (名单制), managed in batches (第九、十条)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column
from eloan.models.types import Money


class ListBatch(Timestamped, db.Model):
    __tablename__ = "list_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. 2024-第1批
    title: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    effective_from: Mapped[date | None] = mapped_column(Date)
    # Set when the next batch is issued: the day before its effective date.
    effective_to: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = timestamp_column()
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    entries: Mapped[list[ListEntry]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ListEntry.position"
    )
    confirmations: Mapped[list[ListConfirmation]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ListConfirmation.id"
    )

    __table_args__ = (CheckConstraint("status IN ('draft','confirmed','issued','superseded')", name="status_valid"),)


class ListEntry(Timestamped, db.Model):
    __tablename__ = "list_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("list_batches.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    recommended_amount: Mapped[Decimal] = mapped_column(Money())
    note: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[ListBatch] = relationship(back_populates="entries")
    enterprise: Mapped[Enterprise] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("batch_id", "enterprise_id", name="uq_list_entries_batch_enterprise"),
        CheckConstraint("recommended_amount >= 0", name="amount_non_negative"),
    )


class ListConfirmation(Timestamped, db.Model):
    """One department's confirm or return of a batch; a return clears the earlier confirmations."""

    __tablename__ = "list_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("list_batches.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # zone | industry | fsc
    action: Mapped[str] = mapped_column(String(10))  # confirm | return
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    cleared_at: Mapped[datetime | None] = timestamp_column()

    batch: Mapped[ListBatch] = relationship(back_populates="confirmations")

    __table_args__ = (
        CheckConstraint("action IN ('confirm','return')", name="action_valid"),
        CheckConstraint("role IN ('zone','industry','fsc')", name="role_valid"),
    )
