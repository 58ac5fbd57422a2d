"""State machines as tables of allowed transitions (POLICY.md §4, §5, §7).

A service asks the table before it moves an object, then records the
transition with actor, time and reason.

Claims: "submitted" is the moment of acceptance (受理), which starts the
15-day opinion clock of 第十六条; the three parallel reviews begin at once, so a
service moves submitted → in_review in the same transaction. The two states are
kept apart so the acceptance is a dated record of its own.
"""

from __future__ import annotations

from .errors import StateConflict

CLAIM_STATES: dict[str, str] = {
    "draft": "草稿",
    "submitted": "已受理",
    "in_review": "审核中",
    "returned": "退回补正",
    "approved": "同意补偿",
    "awaiting_funds": "同意补偿·待资金",
    "rejected": "不予补偿",
    "paid": "已拨付",
    "closed": "已办结",
    "clawed_back": "已追回",
}

BATCH_STATES: dict[str, str] = {
    "draft": "草稿",
    "confirmed": "已确认",
    "issued": "已下发",
    "superseded": "已被替代",
}

BANK_STATUSES: dict[str, str] = {
    "active": "正常合作",
    "suspended": "暂停",
    "disqualified": "取消资格",
}

LOAN_STATUSES: dict[str, str] = {
    "normal": "正常",
    "overdue": "逾期",
    "npl": "不良",
    "repaid": "已结清",
    "written_off": "已核销",
}

# Named groups of states — written once here, asked by services, pages, the API and the PDFs.
# 第十五条: the bank may still change its claim (materials, collection measures) and submit it.
CLAIMS_EDITABLE: tuple[str, ...] = ("draft", "returned")
# 第十六条: accepted, the 15-day opinion clock is running.
CLAIMS_AWAITING_OPINION: tuple[str, ...] = ("submitted", "in_review")
# 第十七条: compensation agreed, the money not yet paid (at once, or when the fund can cover it).
CLAIMS_AWAITING_PAYOUT: tuple[str, ...] = ("approved", "awaiting_funds")
# Compensation paid out: recoveries flow back from here (第十七条).
CLAIMS_PAID: tuple[str, ...] = ("paid", "closed")

LOANS_ON_BOOKS: tuple[str, ...] = ("normal", "overdue", "npl")
LOANS_CLOSED: tuple[str, ...] = ("repaid", "written_off")
# Behind on payment: counted in the overdue ratio, and a reason to sanction the borrower.
LOANS_IN_ARREARS: tuple[str, ...] = ("overdue", "npl")
# Recognised as NPL, whether or not written off since: the ground of a claim.
LOANS_NPL_RECOGNISED: tuple[str, ...] = ("npl", "written_off")

# Not yet in force: still being drawn up and confirmed (第十条).
BATCHES_OPEN: tuple[str, ...] = ("draft", "confirmed")
# Issued at some time: the list in force, or one that was.
BATCHES_PUBLISHED: tuple[str, ...] = ("issued", "superseded")

# Still in the programme (a disqualified bank is out for good, 第十九条): ratios decide its standing.
BANKS_IN_PROGRAMME: tuple[str, ...] = ("active", "suspended")


_CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    # A claim found fraudulent before any payout is rejected from wherever it stands (第十九条).
    "draft": frozenset({"submitted", "rejected"}),
    "submitted": frozenset({"in_review", "rejected"}),
    # A return sends the claim back to the bank; resubmission restarts the opinion clock.
    "in_review": frozenset({"returned", "approved", "rejected"}),
    "returned": frozenset({"submitted", "rejected"}),
    # Paid at once, or waiting when the fund cannot cover it; fraud claws back (第十九条).
    "approved": frozenset({"paid", "awaiting_funds", "clawed_back"}),
    "awaiting_funds": frozenset({"paid", "clawed_back"}),
    "rejected": frozenset(),
    "paid": frozenset({"closed", "clawed_back"}),
    "closed": frozenset({"clawed_back"}),
    "clawed_back": frozenset(),
}

_BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    # 第十条: zone, industry and fsc each confirm; any of them can return it to draft.
    "draft": frozenset({"confirmed", "draft"}),
    "confirmed": frozenset({"draft", "issued"}),
    "issued": frozenset({"superseded"}),
    "superseded": frozenset(),
}

_BANK_TRANSITIONS: dict[str, frozenset[str]] = {
    # 第十八条 suspends and resumes; 第十九条 disqualifies for good.
    "active": frozenset({"suspended", "disqualified"}),
    "suspended": frozenset({"active", "disqualified"}),
    "disqualified": frozenset(),
}

_LOAN_TRANSITIONS: dict[str, frozenset[str]] = {
    "normal": frozenset({"overdue", "npl", "repaid"}),
    # An overdue loan may be cured back to normal; NPL recognition is not undone.
    "overdue": frozenset({"normal", "npl", "repaid", "written_off"}),
    "npl": frozenset({"repaid", "written_off"}),
    "repaid": frozenset(),
    "written_off": frozenset(),
}

MACHINES: dict[str, tuple[str, dict[str, str], dict[str, frozenset[str]]]] = {
    "claim": ("补偿申请", CLAIM_STATES, _CLAIM_TRANSITIONS),
    "batch": ("推荐名单批次", BATCH_STATES, _BATCH_TRANSITIONS),
    "bank": ("合作银行", BANK_STATUSES, _BANK_TRANSITIONS),
    "loan": ("贷款", LOAN_STATUSES, _LOAN_TRANSITIONS),
}


def _machine(machine: str) -> tuple[str, dict[str, str], dict[str, frozenset[str]]]:
    try:
        return MACHINES[machine]
    except KeyError:
        raise ValueError(f"unknown state machine {machine!r}") from None


def allowed_next(machine: str, from_state: str) -> frozenset[str]:
    """The states reachable in one step from from_state."""
    return _machine(machine)[2].get(from_state, frozenset())


def can_transition(machine: str, from_state: str, to_state: str) -> bool:
    return to_state in allowed_next(machine, from_state)


def require_transition(machine: str, from_state: str, to_state: str, code: str) -> None:
    """Raise StateConflict(code) unless the move is allowed."""
    if can_transition(machine, from_state, to_state):
        return
    label, states, _ = _machine(machine)
    now = states.get(from_state, from_state)
    target = states.get(to_state, to_state)
    raise StateConflict(code, f"{label}当前状态为“{now}”，不能变为“{target}”")
