"""All mapped classes, imported here so metadata (and Alembic) sees every table."""

from eloan.models.audit import AuditChainHead, AuditEntry, IdempotencyRecord
from eloan.models.banks import Bank, BankEvaluation, BankStatusChange
from eloan.models.claims import (
    Claim,
    ClaimDocument,
    ClaimExtension,
    ClaimReview,
    ClaimTransition,
    Clawback,
    Payout,
    Recovery,
)
from eloan.models.enterprises import Enterprise, MuRating, Sanction
from eloan.models.evaluations import Evaluation, EvaluationConfirmation, EvaluationRow
from eloan.models.files import StoredFile
from eloan.models.fund import FundAccount, FundEntry
from eloan.models.lists import ListBatch, ListConfirmation, ListEntry
from eloan.models.loans import Loan, LoanEvent, Repayment
from eloan.models.logins import LoginFailure
from eloan.models.monitoring import DailyRun, RatioSnapshot
from eloan.models.notices import Notification
from eloan.models.reference import CalendarDay, CalendarYear, LprRate, PolicyVersion
from eloan.models.targets import TargetItem
from eloan.models.users import ApiToken, User, UserRole

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditEntry",
    "Bank",
    "BankEvaluation",
    "BankStatusChange",
    "CalendarDay",
    "CalendarYear",
    "Claim",
    "ClaimDocument",
    "ClaimExtension",
    "ClaimReview",
    "ClaimTransition",
    "Clawback",
    "DailyRun",
    "Enterprise",
    "Evaluation",
    "EvaluationConfirmation",
    "EvaluationRow",
    "FundAccount",
    "FundEntry",
    "IdempotencyRecord",
    "ListBatch",
    "ListConfirmation",
    "ListEntry",
    "Loan",
    "LoanEvent",
    "LoginFailure",
    "LprRate",
    "MuRating",
    "Notification",
    "Payout",
    "PolicyVersion",
    "RatioSnapshot",
    "Recovery",
    "Repayment",
    "Sanction",
    "StoredFile",
    "TargetItem",
    "User",
    "UserRole",
]
