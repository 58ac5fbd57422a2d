"""Report periods for 业务情况统计表 (附件4, POLICY.md §12.4): presets and validation.

A period is [start, end], both days included. The presets are the calendar month, quarter, half-year
or year that contains a day, or the whole programme since it began; a preset that reaches past
today stops at today, since figures "as at the end of the period" cannot be known for a later day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import chinese_date
from .errors import RuleViolation, Violation

PRESETS: dict[str, str] = {
    "month": "本月",
    "quarter": "本季度",
    "half": "本半年",
    "year": "本年度",
    "since_start": "开办以来",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def text(self) -> str:
        """2024年1月1日至2024年3月31日, as the form prints it."""
        return f"{chinese_date(self.start)}至{chinese_date(self.end)}"


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_of_next - timedelta(days=1)


def calendar_period(kind: str, day: date) -> Period:
    """The whole month, quarter, half-year or year that contains `day`."""
    if kind == "month":
        first_month, months = day.month, 1
    elif kind == "quarter":
        first_month, months = 3 * ((day.month - 1) // 3) + 1, 3
    elif kind == "half":
        first_month, months = (1 if day.month <= 6 else 7), 6
    elif kind == "year":
        first_month, months = 1, 12
    else:
        raise ValueError(f"unknown period kind {kind!r}")
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + months - 1))


def preset(kind: str, today: date, programme_start: date) -> Period:
    """A preset as the page offers it: the period containing today, up to today."""
    if kind == "since_start":
        return Period(min(programme_start, today), today)
    whole = calendar_period(kind, today)
    return Period(whole.start, min(whole.end, today))


def check_period(start: date, end: date) -> Period:
    """The period, or `invalid_period` when it ends before it starts."""
    if start > end:
        raise RuleViolation(
            [
                Violation(
                    "invalid_period",
                    f"统计期间有误：起始日 {start} 晚于截止日 {end}，请把起始日改为不晚于截止日的日期。",
                    None,
                    "from",
                )
            ]
        )
    return Period(start, end)
