"""What the bank pages show about a bank besides its columns: the fund's ratio under the policy in
force, and the status history in words (who, or the daily monitoring, with its figures). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eloan import clock
from eloan.domain.compensation import fund_ratio
from eloan.domain.errors import RuleViolation
from eloan.services import banks, reference, users

SOURCES = {"manual": "人工操作", "daily_job": "每日监测", "fraud": "欺诈认定（第十九条）", "admission": "准入"}


@dataclass(frozen=True)
class Terms:
    """The policy in force today as it bears on every bank: the cap on the fund's ratio and the minimum share."""

    policy: object | None
    problem: str | None

    def fund_ratio(self, share: Decimal) -> Decimal | None:
        return None if self.policy is None else fund_ratio(share, self.policy.max_compensation_ratio)


def terms_today() -> Terms:
    try:
        return Terms(reference.policy_on(clock.today()), None)
    except RuleViolation as exc:
        return Terms(None, str(exc))


@dataclass(frozen=True)
class HistoryRow:
    effective_on: date
    from_status: str | None
    to_status: str
    reason: str
    who: str
    source: str
    automatic: bool
    npl_ratio: Decimal | None
    overdue_ratio: Decimal | None
    outstanding: Decimal | None
    at: object


def _who(change, cache: dict) -> str:
    if change.actor_id is None:
        return "系统（每日监测）" if change.source == "daily_job" else "系统"
    if change.actor_id not in cache:
        user = users.get_user(change.actor_id)
        cache[change.actor_id] = f"{user.display_name}（{user.username}）"
    return cache[change.actor_id]


def history_rows(actor, code: str) -> list[HistoryRow]:
    """The bank's status changes, newest first (services.banks.history), as lines a person reads."""
    cache: dict = {}
    return [
        HistoryRow(
            effective_on=c.effective_on,
            from_status=c.from_status,
            to_status=c.to_status,
            reason=c.reason,
            who=_who(c, cache),
            source=SOURCES.get(c.source, c.source),
            automatic=c.source == "daily_job",
            npl_ratio=c.npl_ratio,
            overdue_ratio=c.overdue_ratio,
            outstanding=c.outstanding,
            at=c.created_at,
        )
        for c in banks.history(actor, code)
    ]
