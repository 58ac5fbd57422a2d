"""A loan's state, derived from its amount, repayments and status events (第七、八条; POLICY.md §6).

Outstanding principal and status are never typed in: they follow from what the bank recorded, in
date order, so replaying the history always gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import Violation
from .money import format_money
from .states import LOAN_STATUSES, LOANS_CLOSED, can_transition

EVENT_TYPES: dict[str, str] = {
    "overdue": "逾期",
    "cured": "逾期已纠正",
    "npl": "认定为不良",
    "written_off": "核销",
}
# What each event moves the loan to.
_EVENT_TARGET = {"overdue": "overdue", "cured": "normal", "npl": "npl", "written_off": "written_off"}


@dataclass(frozen=True)
class RepaymentFact:
    paid_on: date
    principal: Decimal


@dataclass(frozen=True)
class EventFact:
    type: str
    event_date: date


@dataclass(frozen=True)
class LoanState:
    outstanding: Decimal
    status: str
    overdue_since: date | None
    npl_recognised_on: date | None
    closed_on: date | None


def _apply_event(state: LoanState, event: EventFact) -> LoanState:
    target = _EVENT_TARGET[event.type]
    if target == "overdue":
        return LoanState(state.outstanding, "overdue", event.event_date, None, None)
    if target == "normal":
        return LoanState(state.outstanding, "normal", None, None, None)
    if target == "npl":
        return LoanState(state.outstanding, "npl", state.overdue_since or event.event_date, event.event_date, None)
    return LoanState(state.outstanding, "written_off", state.overdue_since, state.npl_recognised_on, event.event_date)


def derive_state(amount: Decimal, repayments: list[RepaymentFact], events: list[EventFact]) -> LoanState:
    """Replay repayments and events by date (a repayment before an event on the same day)."""
    state = LoanState(amount, "normal", None, None, None)
    timeline = sorted(
        [(r.paid_on, 0, r) for r in repayments] + [(e.event_date, 1, e) for e in events],
        key=lambda item: (item[0], item[1]),
    )
    for day, _, item in timeline:
        if isinstance(item, RepaymentFact):
            outstanding = state.outstanding - item.principal
            closed = outstanding == 0 and state.status != "written_off"
            state = LoanState(
                outstanding,
                "repaid" if closed else state.status,
                state.overdue_since,
                state.npl_recognised_on,
                day if closed else state.closed_on,
            )
        else:
            state = _apply_event(state, item)
    return state


def check_repayment(
    state: LoanState, principal: Decimal, interest: Decimal, paid_on: date, *, drawdown_date: date, today: date
) -> list[Violation]:
    found: list[Violation] = []
    if state.status in LOANS_CLOSED:
        found.append(Violation("loan_closed", f"贷款{LOAN_STATUSES[state.status]}，不能再登记还款。"))
    if principal < 0 or interest < 0 or (principal == 0 and interest == 0):
        found.append(Violation("invalid_amount", "还款本金和利息不能为负，且不能同时为零。", None, "principal"))
    elif principal > state.outstanding:
        found.append(
            Violation(
                "overpayment",
                f"还款本金 {format_money(principal)} 超过贷款余额 {format_money(state.outstanding)}。",
                "第七条",
                "principal",
            )
        )
    found += _check_date(paid_on, drawdown_date, today, "date")
    return found


def _check_date(day: date, drawdown_date: date, today: date, field: str) -> list[Violation]:
    if day < drawdown_date:
        return [Violation("invalid_dates", f"日期 {day} 早于提款日 {drawdown_date}。", None, field)]
    if day > today:
        return [Violation("date_in_future", f"日期 {day} 晚于今天 {today}，不能登记尚未发生的事项。", None, field)]
    return []


def check_event(
    state: LoanState,
    event_type: str,
    event_date: date,
    *,
    drawdown_date: date,
    maturity_date: date,
    today: date,
    last_event_date: date | None,
) -> list[Violation]:
    """Whether the event may be recorded now (第十五条: NPL only after overdue or past maturity)."""
    if event_type not in EVENT_TYPES:
        allowed = "、".join(f"{k}（{v}）" for k, v in EVENT_TYPES.items())
        return [Violation("invalid_event", f"未知的贷款状态事项“{event_type}”，可选：{allowed}。", None, "type")]
    found = _check_date(event_date, drawdown_date, today, "date")
    if last_event_date is not None and event_date < last_event_date:
        found.append(
            Violation(
                "invalid_dates",
                f"事项日期 {event_date} 早于上一事项日期 {last_event_date}，请按时间顺序登记。",
                None,
                "date",
            )
        )
    target = _EVENT_TARGET[event_type]
    label = EVENT_TYPES[event_type]
    if event_type == "npl" and state.status == "normal" and event_date <= maturity_date:
        found.append(
            Violation(
                "npl_not_allowed", f"贷款未逾期且未到期（到期日 {maturity_date}），不能认定为不良。", "第十五条", "type"
            )
        )
    elif event_type == "cured" and state.status != "overdue":
        found.append(
            Violation("invalid_event", f"贷款当前为“{LOAN_STATUSES[state.status]}”，没有可纠正的逾期。", None, "type")
        )
    elif event_type != "cured" and (target == state.status or not can_transition("loan", state.status, target)):
        found.append(
            Violation("invalid_event", f"贷款当前为“{LOAN_STATUSES[state.status]}”，不能登记“{label}”。", None, "type")
        )
    return found
