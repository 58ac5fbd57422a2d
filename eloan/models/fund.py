"""The special account (专户): an append-only ledger (第十四、十七、十九条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eloan.extensions import db
from eloan.models.base import Timestamped
from eloan.models.types import Money


class FundAccount(db.Model):
    """The one special account (专户). Its row is the lock every ledger write takes, and it carries the
    balance after the latest entry so the fund page needs no scan of the ledger."""

    __tablename__ = "fund_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    balance: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    appropriated: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))

    __table_args__ = (
        CheckConstraint("balance >= 0", name="balance_non_negative"),
        CheckConstraint("appropriated >= 0", name="appropriated_non_negative"),
    )


FUND_ENTRY_KINDS = ("appropriation", "payout", "recovery_return", "clawback_receipt", "correction")


class FundEntry(Timestamped, db.Model):
    """Nothing is edited or deleted: a correction is a reversing entry pointing at the original."""

    __tablename__ = "fund_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    amount: Mapped[Decimal] = mapped_column(Money())
    # Balance after this entry, written under the ledger lock so the fund page needs no full scan.
    balance_after: Mapped[Decimal] = mapped_column(Money())
    reference: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    recovery_id: Mapped[int | None] = mapped_column(ForeignKey("recoveries.id"))
    clawback_id: Mapped[int | None] = mapped_column(ForeignKey("clawbacks.id"))
    reverses_entry_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("balance_after >= 0", name="balance_non_negative"),
        CheckConstraint("direction IN ('in','out')", name="direction_valid"),
        CheckConstraint("kind IN ({})".format(",".join(f"'{k}'" for k in FUND_ENTRY_KINDS)), name="kind_valid"),
    )
