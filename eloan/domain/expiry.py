"""When an end date calls for a warning (POLICY.md §16).

The policy version in force (第二十二条: adjusted yearly) and each bank's agreement (第十二条) end on
known dates, the end date being the last day in force. From 60 days before it through the end date
the home pages say so, and people are notified once at each step of NOTICE_STEPS.

The step due on a day is the nearest step not yet passed: with 58 days left the 60-day notice is
due, with 29 the 30-day one. A run missed while the service was down is thus covered by the next
one; the caller sends each step once (a run jumping from 61 to 25 days left sends only the 30-day
notice, the 60-day one being stale by then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Days before the end date at which people are notified, largest first; the first is also when the
# home pages start warning.
NOTICE_STEPS: tuple[int, ...] = (60, 30, 7)
WARN_FROM_DAYS = NOTICE_STEPS[0]


@dataclass(frozen=True)
class Expiry:
    """An end date coming up: the date, the days left (0 on the last day) and the notice step due."""

    ends_on: date
    days_left: int
    step: int


def expiry(ends_on: date | None, today: date) -> Expiry | None:
    """The warning due on `today` for something in force through `ends_on`; None when there is none
    (no end date, more than WARN_FROM_DAYS days away, or already ended)."""
    if ends_on is None:
        return None
    days_left = (ends_on - today).days
    if days_left < 0 or days_left > WARN_FROM_DAYS:
        return None
    return Expiry(ends_on, days_left, min(s for s in NOTICE_STEPS if s >= days_left))


def days_left_text(days_left: int) -> str:
    """The days left as pages and notices say them (还剩 N 天, as the claims' deadlines do); 今天是最后一天 on
    the end date itself, the last day in force."""
    return "今天是最后一天" if days_left == 0 else f"还剩 {days_left} 天"
