"""What the claim pages say about a claim besides its columns: its deadlines with days left, the
materials checklist, the reviews of each round and the status history in words. Reads only, and no
queries of its own but the list in force: the claim and what hangs off it come in one read
(services.claim_view); the dates were fixed by services.claims when the claim moved, and this module
only says which one is running."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from eloan import clock
from eloan.domain.calendar import days_left, in_shanghai
from eloan.domain.errors import RuleViolation
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.states import CLAIMS_AWAITING_OPINION, CLAIMS_AWAITING_PAYOUT
from eloan.services import claim_facts, lists, reference, users
from eloan.services.access import is_bank_user
from eloan.services.claim_view import ClaimView

# The departments in 第十六条's order (the service keeps them sorted by code).
# While a claim is in one of these states, this deadline is the one running.
_RUNNING = {"filing": ("draft",), "opinion": CLAIMS_AWAITING_OPINION, "payout": CLAIMS_AWAITING_PAYOUT}


@dataclass(frozen=True)
class Deadline:
    key: str  # filing | opinion | payout
    label: str
    date: date
    provisional: bool
    running: bool  # the claim waits on it now
    days_left: int | None  # while running: 0 on the day, negative once passed
    rule: str = ""
    note: str | None = None  # an extension, or what became of it

    @property
    def overdue(self) -> bool:
        return self.running and self.days_left is not None and self.days_left < 0


def _day(value: datetime | None) -> date | None:
    if value is None:
        return None
    return in_shanghai(value).date()


def _first_submission(claim) -> date | None:
    return next((_day(t.created_at) for t in claim.transitions if t.to_status == "submitted"), None)


def _filing(claim, today: date) -> Deadline:
    until = claim_facts.filing_open_until(claim)
    extended = claim.extended_until is not None and claim.extended_until > claim.filing_deadline
    running = claim.status in _RUNNING["filing"]
    note = f"原期限 {claim.filing_deadline.isoformat()}，经区财政局批准延期" if extended else None
    if not running:
        submitted = _first_submission(claim)
        note = "；".join(x for x in (note, f"已于 {submitted.isoformat()} 提交" if submitted else "未提交") if x)
    return Deadline(
        "filing",
        "申请期限",
        until,
        claim.filing_deadline_provisional and not extended,
        running,
        days_left(today, until) if running else None,
        note=note,
    )


def _opinion(claim, today: date) -> Deadline | None:
    if claim.opinion_deadline is None:
        return None
    running = claim.status in _RUNNING["opinion"]
    if claim.opinion_on:
        note = f"已于 {claim.opinion_on.isoformat()} 出具意见"
    elif claim.status == "returned":
        note = "已退回补正；银行重新提交后重新受理、重新计算"
    else:
        note = None
    return Deadline(
        "opinion",
        "出具意见期限",
        claim.opinion_deadline,
        claim.opinion_deadline_provisional,
        running,
        days_left(today, claim.opinion_deadline) if running else None,
        note=None if running else note,
    )


def _payout(claim, today: date) -> Deadline | None:
    if claim.payout_deadline is None:
        return None
    running = claim.status in _RUNNING["payout"]
    note = None
    if not running:
        payout = claim.payout
        note = f"已于 {payout.paid_on.isoformat()} 拨付" if payout else "未拨付"
    elif claim.status == "awaiting_funds":
        note = "专户资金不足，待资金到位后拨付"
    return Deadline(
        "payout",
        "拨付期限",
        claim.payout_deadline,
        claim.payout_deadline_provisional,
        running,
        days_left(today, claim.payout_deadline) if running else None,
        note=note,
    )


def running_deadline(claim, today: date) -> Deadline | None:
    """The deadline the claim waits on now (for the list), without the rule's wording."""
    if claim.status in _RUNNING["filing"]:
        return _filing(claim, today)
    if claim.status in _RUNNING["opinion"]:
        return _opinion(claim, today)
    if claim.status in _RUNNING["payout"]:
        return _payout(claim, today)
    return None


def deadlines(claim, today: date) -> list[Deadline]:
    """Every deadline the claim has had, with the rule that set it (第十五、十六条)."""
    try:
        policy = reference.policy_on(claim.npl_recognised_on)
        rules = {
            "filing": f"不良认定后 {policy.filing_working_days} 个工作日内（第十五条）",
            "opinion": f"受理后 {policy.opinion_days} 日内（第十六条）",
            "payout": f"同意补偿后 {policy.payout_days} 日内（第十六条）",
        }
    except RuleViolation:
        rules = {}
    found = [d for d in (_filing(claim, today), _opinion(claim, today), _payout(claim, today)) if d is not None]
    return [replace(d, rule=rules.get(d.key, "")) for d in found]


class Names:
    """User names by id, each looked up once per page; `known` are those read already (a claim's people)."""

    def __init__(self, known: Mapping[int, str] | None = None):
        self._cache: dict[int, str] = dict(known or {})

    def __call__(self, user_id: int | None) -> str:
        if user_id is None:
            return "系统"
        if user_id not in self._cache:
            self._cache[user_id] = users.get_user(user_id).display_name
        return self._cache[user_id]


@dataclass(frozen=True)
class Material:
    number: str  # ① … ⑤
    title: str
    kind: str | None  # the upload's kind; None for ①, which is generated only
    required: bool
    documents: list = field(default_factory=list)  # current uploads
    replaced: int = 0  # earlier uploads of this kind, kept but superseded

    @property
    def missing(self) -> bool:
        return self.required and not self.documents


@dataclass(frozen=True)
class ListLink:
    """① the recommended list (Attachment 1) in force on the loan's contract date."""

    batch: object | None
    downloadable: bool  # a bank may download only the batch in force today (services.lists.get_batch)


def list_link(actor, claim) -> ListLink:
    batch = lists.batch_in_force(claim.loan.contract_date)
    if batch is None:
        return ListLink(None, False)
    if is_bank_user(actor):
        in_force = lists.batch_in_force(clock.today())
        return ListLink(batch, in_force is not None and in_force.id == batch.id)
    return ListLink(batch, True)


def materials(view: ClaimView) -> list[Material]:
    claim, current = view.claim, view.documents
    replaced: dict[str, int] = {}
    for document in claim.documents:
        if document.superseded:
            replaced[document.kind] = replaced.get(document.kind, 0) + 1
    numbers = {"application_form": "②", "contracts": "③", "npl_proof": "④", "other": "⑤"}
    rows = [Material("①", "推荐企业名单（附件1，系统生成）", None, False)]
    for kind, title in claim_facts.DOCUMENT_KINDS.items():
        rows.append(
            Material(
                numbers.get(kind, "⑤"),
                title,
                kind,
                kind in claim_facts.REQUIRED_KINDS,
                current.get(kind, []),
                replaced.get(kind, 0),
            )
        )
    return rows


@dataclass(frozen=True)
class ReviewRow:
    role: str
    label: str
    review: object | None  # ClaimReview of this round, or None while pending
    who: str | None
    at: datetime | None


def review_rows(view: ClaimView, names: Names) -> list[ReviewRow]:
    current = view.reviews
    return [
        ReviewRow(
            role,
            ROLES[role],
            current.get(role),
            names(current[role].reviewer_id) if role in current else None,
            current[role].created_at if role in current else None,
        )
        for role in REVIEWING_UNITS
    ]


def earlier_reviews(view: ClaimView) -> list:
    """Reviews of rounds closed by a return, newest round first."""
    return sorted((r for r in view.claim.reviews if r.round < view.review_round), key=lambda r: (-r.round, r.id))


def pending_reviewers(claim) -> list[str]:
    return [ROLES[r] for r in claim_facts.pending_units(claim)]


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    from_status: str | None
    to_status: str
    who: str
    reason: str | None


def history(claim, names: Names) -> list[HistoryRow]:
    """The claim's transitions, newest first."""
    return [
        HistoryRow(t.created_at, t.from_status, t.to_status, names(t.actor_id), t.reason)
        for t in reversed(claim.transitions)
    ]
