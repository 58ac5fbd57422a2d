"""Compensation claims from filing to payout, recovery and clawback (第十五至十七、十九条)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.domain.states import CLAIM_STATES
from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column
from eloan.models.types import Money, Ratio


class Claim(Timestamped, db.Model):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    policy_code: Mapped[str] = mapped_column(String(40))
    npl_recognised_on: Mapped[date] = mapped_column(Date)
    principal: Mapped[Decimal] = mapped_column(Money())  # P: outstanding principal at NPL
    bank_share: Mapped[Decimal] = mapped_column(Ratio())
    fund_ratio: Mapped[Decimal] = mapped_column(Ratio())
    compensation: Mapped[Decimal] = mapped_column(Money())  # C = P × f
    approved_amount: Mapped[Decimal | None] = mapped_column(Money())
    collection_measures: Mapped[str | None] = mapped_column(Text)
    filing_deadline: Mapped[date] = mapped_column(Date)
    filing_deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    extended_until: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = timestamp_column()
    accepted_on: Mapped[date | None] = mapped_column(Date)  # restarts on resubmission
    opinion_deadline: Mapped[date | None] = mapped_column(Date)
    opinion_deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    opinion_decision: Mapped[str | None] = mapped_column(String(10))  # approve | reduce | reject
    opinion_reason: Mapped[str | None] = mapped_column(Text)
    opinion_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opinion_on: Mapped[date | None] = mapped_column(Date)
    payout_deadline: Mapped[date | None] = mapped_column(Date)
    payout_deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    fraud: Mapped[bool] = mapped_column(Boolean, default=False)
    fraud_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    loan: Mapped[Loan] = relationship()  # noqa: F821
    bank: Mapped[Bank] = relationship()  # noqa: F821
    documents: Mapped[list[ClaimDocument]] = relationship(back_populates="claim", order_by="ClaimDocument.id")
    reviews: Mapped[list[ClaimReview]] = relationship(back_populates="claim", order_by="ClaimReview.id")
    transitions: Mapped[list[ClaimTransition]] = relationship(back_populates="claim", order_by="ClaimTransition.id")
    # What hangs off a claim after filing. Lazy by default: services.claim_view loads them all in one read
    # for the page, the API and the PDFs, and a locked read (services.claims.get) loads them afresh.
    extensions: Mapped[list[ClaimExtension]] = relationship(order_by="ClaimExtension.id")
    payout: Mapped[Payout | None] = relationship()
    recoveries: Mapped[list[Recovery]] = relationship(order_by="Recovery.id")
    clawback: Mapped[Clawback | None] = relationship()
    # The ledger's entries for this claim (its payout, recovery returns, clawback receipts); written by
    # services.fund.post only, so read-only here.
    fund_entries: Mapped[list[FundEntry]] = relationship(viewonly=True, order_by="FundEntry.id")  # noqa: F821

    __table_args__ = (
        CheckConstraint("principal >= 0", name="principal_non_negative"),
        CheckConstraint("compensation >= 0", name="compensation_non_negative"),
        CheckConstraint("approved_amount IS NULL OR approved_amount >= 0", name="approved_non_negative"),
        CheckConstraint("status IN ({})".format(",".join(f"'{s}'" for s in CLAIM_STATES)), name="status_valid"),
    )


class ClaimDocument(Timestamped, db.Model):
    __tablename__ = "claim_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # application_form | contracts | npl_proof | other
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    claim: Mapped[Claim] = relationship(back_populates="documents")
    file: Mapped[StoredFile] = relationship()  # noqa: F821


class ClaimReview(Timestamped, db.Model):
    """A review by zone, industry or fsc in one round; a return starts a new round."""

    __tablename__ = "claim_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    role: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))  # approve | return
    comment: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    claim: Mapped[Claim] = relationship(back_populates="reviews")

    __table_args__ = (
        UniqueConstraint("claim_id", "round", "role", name="uq_claim_reviews_claim_round_role"),
        CheckConstraint("decision IN ('approve','return')", name="decision_valid"),
    )


class ClaimTransition(Timestamped, db.Model):
    __tablename__ = "claim_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="transitions")


class ClaimExtension(Timestamped, db.Model):
    __tablename__ = "claim_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Payout(Timestamped, db.Model):
    __tablename__ = "payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A claim is paid at most once (第十六条): enforced by the database, not only by the service.
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    paid_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    fund_entry_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"))

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class Recovery(Timestamped, db.Model):
    """An amount the bank recovered after payout; the fund's part is owed back until remitted."""

    __tablename__ = "recoveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    recovered_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    fund_part: Mapped[Decimal] = mapped_column(Money())
    bank_part: Mapped[Decimal] = mapped_column(Money())
    remitted_on: Mapped[date | None] = mapped_column(Date)  # the ledger entry points back here
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("fund_part >= 0 AND bank_part >= 0", name="parts_non_negative"),
    )


class Clawback(Timestamped, db.Model):
    """A receivable raised on fraud (第十九条) for what was paid and not yet returned."""

    __tablename__ = "clawbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    raised_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    # What has come in against it (fund entries of kind clawback_receipt); written by services.fund.post.
    receipts: Mapped[list[FundEntry]] = relationship(viewonly=True, order_by="FundEntry.id")  # noqa: F821

    __table_args__ = (CheckConstraint("amount >= 0", name="amount_non_negative"),)
