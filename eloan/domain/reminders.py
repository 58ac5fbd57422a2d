"""When a deadline of 第十五、十六条 calls for a reminder or an escalation (POLICY.md §3, §7).

The responsible party is reminded from the second working day before the deadline until the
deadline itself (so a reminder day missed while the service was down is still covered the next
day), and the miss is escalated once the deadline's day has ended. Misses older than the window
are left to the missed-deadlines view: they predate the system or were escalated already.
"""

from __future__ import annotations

from datetime import date, timedelta

from .calendar import WorkCalendar

REMIND_WORKING_DAYS_BEFORE = 2
ESCALATION_WINDOW_DAYS = 30

DEADLINE_KINDS: dict[str, str] = {
    "filing": "提交补偿申请",  # 第十五条: 5 working days after NPL recognition
    "opinion": "出具审核意见",  # 第十六条: 15 days after acceptance
    "payout": "拨付补偿资金",  # 第十六条: 15 days after an approving opinion
}
# Who must act on each (the opinion waits on the reviewing departments first).
RESPONSIBLE: dict[str, str] = {"filing": "合作银行", "opinion": "审核部门、区财政局", "payout": "区财政局"}


def reminder_from(deadline: date, cal: WorkCalendar) -> date:
    return cal.working_day_before(deadline, REMIND_WORKING_DAYS_BEFORE)


def deadline_phase(today: date, deadline: date, cal: WorkCalendar) -> str | None:
    """ "remind", "missed" or None for a still-open duty due on `deadline`."""
    if today > deadline:
        return "missed" if today - deadline <= timedelta(days=ESCALATION_WINDOW_DAYS) else None
    if today >= reminder_from(deadline, cal):
        return "remind"
    return None
