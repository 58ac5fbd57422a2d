"""The deadlines of 第十五、十六条 that someone still has to meet: reminders, escalations, recomputation.

A duty is open while its claim (or NPL loan with no claim yet) waits for the responsible party:
- filing: the bank, until it submits — 5 working days after NPL recognition, or the extension;
- opinion: 区财政局 (and any reviewing department that has not reviewed this round) — 15 days
  after acceptance;
- payout: 区财政局 — 15 days after an approving opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import selectinload

from eloan.domain.calendar import WorkCalendar, days_left
from eloan.domain.errors import NoPolicyInForce
from eloan.domain.reminders import DEADLINE_KINDS, ESCALATION_WINDOW_DAYS, deadline_phase
from eloan.domain.states import CLAIMS_AWAITING_OPINION, CLAIMS_AWAITING_PAYOUT, LOANS_NPL_RECOGNISED
from eloan.extensions import db
from eloan.models import Bank, Claim, Loan, User
from eloan.services import audit, notifications
from eloan.services.claim_facts import filing_open_until, pending_units
from eloan.services.reference import policy_on, work_calendar

# A filing deadline is at most a few weeks after recognition, so older NPL loans cannot be due or newly missed.
_NPL_LOOKBACK_DAYS = ESCALATION_WINDOW_DAYS + 45


@dataclass(frozen=True)
class Duty:
    kind: str  # filing | opinion | payout
    deadline: date
    provisional: bool
    bank: Bank
    loan: Loan
    claim: Claim | None  # None: an NPL loan the bank has not opened a claim for

    @property
    def subject(self) -> str:
        return f"claim-{self.claim.id}" if self.claim else f"loan-{self.loan.id}"

    @property
    def link(self) -> str:
        return f"/claims/{self.claim.id}" if self.claim else f"/loans/{self.loan.id}"

    @property
    def label(self) -> str:
        what = f"补偿申请 #{self.claim.id}" if self.claim else "不良贷款"
        return f"{what}（{self.bank.name}，合同 {self.loan.contract_no}）"


def _claim_duties(stmt) -> list[Duty]:
    found = db.session.scalars(
        stmt.options(selectinload(Claim.loan), selectinload(Claim.bank), selectinload(Claim.reviews))
    ).all()
    duties = []
    for c in found:
        if c.status == "draft":
            duties.append(
                Duty(
                    "filing",
                    filing_open_until(c),
                    c.filing_deadline_provisional and not c.extended_until,
                    c.bank,
                    c.loan,
                    c,
                )
            )
        elif c.status in CLAIMS_AWAITING_OPINION and c.opinion_deadline:
            duties.append(Duty("opinion", c.opinion_deadline, c.opinion_deadline_provisional, c.bank, c.loan, c))
        elif c.status in CLAIMS_AWAITING_PAYOUT and c.payout_deadline:
            duties.append(Duty("payout", c.payout_deadline, c.payout_deadline_provisional, c.bank, c.loan, c))
    return duties


def _unfiled_npl_loans(day: date, cal: WorkCalendar, bank_id: int | None) -> list[Duty]:
    """NPL loans recognised recently with no standing claim: the bank's filing clock is running."""
    standing = exists().where(and_(Claim.loan_id == Loan.id, Claim.status != "rejected"))
    stmt = (
        select(Loan)
        .join(Bank, Bank.id == Loan.bank_id)
        .where(
            Loan.npl_recognised_on.is_not(None),
            Loan.status.in_(LOANS_NPL_RECOGNISED),
            Loan.npl_recognised_on >= day - timedelta(days=_NPL_LOOKBACK_DAYS),
            Loan.npl_recognised_on <= day,
            Loan.not_compensable.is_(False),
            Bank.status != "disqualified",
            ~standing,
        )
        .options(selectinload(Loan.bank))
    )
    if bank_id is not None:
        stmt = stmt.where(Loan.bank_id == bank_id)
    duties, due_by_day = [], {}
    for loan in db.session.scalars(stmt):
        day_recognised = loan.npl_recognised_on
        if day_recognised not in due_by_day:  # many loans share a recognition date
            try:
                due_by_day[day_recognised] = cal.add_working_days(
                    day_recognised, policy_on(day_recognised).filing_working_days
                )
            except NoPolicyInForce:
                due_by_day[day_recognised] = None  # no programme rules cover it; the loan page says so
        due = due_by_day[day_recognised]
        if due is not None:
            duties.append(Duty("filing", due.date, due.provisional, loan.bank, loan, None))
    return duties


def open_duties(day: date, *, bank_id: int | None = None, cal: WorkCalendar | None = None) -> list[Duty]:
    """Every duty still open on `day`, nearest deadline first (one bank's, with bank_id)."""
    cal = cal or work_calendar()
    stmt = select(Claim).where(Claim.status.in_(("draft",) + CLAIMS_AWAITING_OPINION + CLAIMS_AWAITING_PAYOUT))
    if bank_id is not None:
        stmt = stmt.where(Claim.bank_id == bank_id)
    duties = _claim_duties(stmt) + _unfiled_npl_loans(day, cal, bank_id)
    return sorted(duties, key=lambda d: (d.deadline, d.kind, d.subject))


def responsible(duty: Duty, users=notifications.users_with_roles) -> list[User]:
    if duty.kind == "filing":
        return users("bank", bank_id=duty.bank.id)
    if duty.kind == "opinion":
        return users("finance", *pending_units(duty.claim))
    return users("finance")


def _reminder_text(duty: Duty, day: date) -> tuple[str, str]:
    what = DEADLINE_KINDS[duty.kind]
    left = days_left(day, duty.deadline)
    when = "今天" if left == 0 else f"{left} 天后"
    provisional = "（该期限按周一至周五暂算，节假日安排公布后会重新计算）" if duty.provisional else ""
    return (
        f"{what}期限将至：{duty.label}",
        f"{what}的期限是 {duty.deadline}（{when}到期）{provisional}。请在期限内办理，逾期将上报区财政局。",
    )


def _missed_text(duty: Duty) -> tuple[str, str]:
    what = DEADLINE_KINDS[duty.kind]
    tail = {
        "filing": "逾期未提交的，须经区财政局批准延期后方可提交（第十五条）。",
        "opinion": "请尽快出具审核意见（第十六条：受理后15日内）。",
        "payout": "请尽快拨付（第十六条：审核同意后15日内）。",
    }[duty.kind]
    return f"逾期未{what}：{duty.label}", f"{what}的期限 {duty.deadline} 已过，尚未办理。{tail}"


def send_reminders(day: date, cal: WorkCalendar | None = None) -> dict[str, int]:
    """Remind before, escalate after; each once per duty and deadline (the job may run again)."""
    cal = cal or work_calendar()
    counts = {"reminders": 0, "escalations": 0}
    known: dict[tuple, list[User]] = {}

    def users(*roles, bank_id=None):  # the same recipients for many duties: ask the database once
        key = (roles, bank_id)
        if key not in known:
            known[key] = notifications.users_with_roles(*roles, bank_id=bank_id)
        return known[key]

    for duty in open_duties(day, cal=cal):
        phase = deadline_phase(day, duty.deadline, cal)
        if phase == "remind":
            title, body = _reminder_text(duty, day)
            if notifications.notify(
                responsible(duty, users),
                "deadline_reminder",
                title,
                body,
                duty.link,
                dedupe_key=f"deadline:{duty.kind}:{duty.subject}:{duty.deadline}:remind",
            ):
                counts["reminders"] += 1
        elif phase == "missed":
            title, body = _missed_text(duty)
            recipients = responsible(duty, users) + users("finance")
            if notifications.notify(
                recipients,
                "deadline_missed",
                title,
                body,
                duty.link,
                dedupe_key=f"deadline:{duty.kind}:{duty.subject}:{duty.deadline}:missed",
            ):
                counts["escalations"] += 1
                audit.record(
                    None,
                    f"deadline.missed.{duty.kind}",
                    duty.claim or duty.loan,
                    {"deadline": duty.deadline, "checked_on": day},
                )
    return counts


def recompute_provisional(actor=None, cal: WorkCalendar | None = None) -> int:
    """Recompute deadlines computed through a year whose arrangement was not loaded then (POLICY.md §3).

    Called when a year is loaded and by the daily job; runs in the caller's transaction.
    Returns how many claims had a deadline change.
    """
    cal = cal or work_calendar()
    changed = 0
    stmt = select(Claim).where(
        Claim.filing_deadline_provisional.is_(True)
        | Claim.opinion_deadline_provisional.is_(True)
        | Claim.payout_deadline_provisional.is_(True)
    )
    for claim in db.session.scalars(stmt).all():
        policy = policy_on(claim.npl_recognised_on)
        before = {k: getattr(claim, k) for k in ("filing_deadline", "opinion_deadline", "payout_deadline")}
        if claim.filing_deadline_provisional:
            due = cal.add_working_days(claim.npl_recognised_on, policy.filing_working_days)
            claim.filing_deadline, claim.filing_deadline_provisional = due.date, due.provisional
        if claim.opinion_deadline_provisional and claim.accepted_on:
            due = cal.add_days(claim.accepted_on, policy.opinion_days)
            claim.opinion_deadline, claim.opinion_deadline_provisional = due.date, due.provisional
        if claim.payout_deadline_provisional and claim.opinion_on:
            due = cal.add_days(claim.opinion_on, policy.payout_days)
            claim.payout_deadline, claim.payout_deadline_provisional = due.date, due.provisional
        moved = {k: [str(v), str(getattr(claim, k))] for k, v in before.items() if getattr(claim, k) != v}
        if moved:
            changed += 1
            audit.record(actor, "claim.deadline_recomputed", claim, moved)
            text = "；".join(f"{_FIELD_LABELS[k]} {old} → {new}" for k, (old, new) in moved.items())
            notifications.notify(
                notifications.users_with_roles("bank", bank_id=claim.bank_id)
                + notifications.users_with_roles("finance"),
                "deadline_recomputed",
                f"补偿申请 #{claim.id} 的期限已按新公布的节假日安排重新计算",
                text,
                f"/claims/{claim.id}",
                dedupe_key=f"deadline-recomputed:{claim.id}:" + ",".join(n for _, n in moved.values()),
            )
    return changed


_FIELD_LABELS = {"filing_deadline": "申请期限", "opinion_deadline": "审核意见期限", "payout_deadline": "拨付期限"}
