"""Working days, day periods and month arithmetic (POLICY.md §3).

The calendar is data: overrides to Monday–Friday (statutory holidays on weekdays,
weekend make-up days 调休) for the years whose State Council arrangement is loaded.
A deadline that runs through a year not loaded is computed on Monday–Friday and
marked provisional, to be recomputed once that year's arrangement is published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

_ONE_DAY = timedelta(days=1)
# No real arrangement has more than a few consecutive days off; a long run means broken data.
_MAX_DAYS_OFF_IN_A_ROW = 60


@dataclass(frozen=True)
class Deadline:
    """A due date; provisional when it was computed through a year with no loaded arrangement."""

    date: date
    provisional: bool


class WorkCalendar:
    """Monday–Friday plus the loaded exceptions (第十五条 counts working days)."""

    def __init__(self, overrides: Mapping[date, bool], known_years: Iterable[int]):
        self._overrides = dict(overrides)
        self._known_years = frozenset(known_years)

    @property
    def known_years(self) -> frozenset[int]:
        return self._known_years

    def is_working_day(self, d: date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override
        return d.weekday() < 5

    def is_provisional(self, d: date) -> bool:
        return d.year not in self._known_years

    def _roll_to_working_day(self, d: date) -> tuple[date, bool]:
        """d itself if it is a working day, else the next one; plus whether any day seen is provisional."""
        provisional = self.is_provisional(d)
        days_off = 0
        while not self.is_working_day(d):
            days_off += 1
            if days_off > _MAX_DAYS_OFF_IN_A_ROW:
                raise ValueError(f"no working day within {_MAX_DAYS_OFF_IN_A_ROW} days of {d}")
            d += _ONE_DAY
            provisional = provisional or self.is_provisional(d)
        return d, provisional

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        return self._roll_to_working_day(d + _ONE_DAY)[0]

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day strictly after start ("N个工作日内", 第十五条)."""
        if n < 1:
            raise ValueError(f"n must be at least 1 (got {n})")
        d = start
        provisional = False
        for _ in range(n):
            d, seen_provisional = self._roll_to_working_day(d + _ONE_DAY)
            provisional = provisional or seen_provisional
        return Deadline(d, provisional)

    def working_day_before(self, d: date, n: int) -> date:
        """The n-th working day strictly before d (a reminder "two working days before" a deadline)."""
        if n < 1:
            raise ValueError(f"n must be at least 1 (got {n})")
        days_off = 0
        for _ in range(n):
            d -= _ONE_DAY
            while not self.is_working_day(d):
                days_off += 1
                if days_off > _MAX_DAYS_OFF_IN_A_ROW:
                    raise ValueError(f"no working day within {_MAX_DAYS_OFF_IN_A_ROW} days before {d}")
                d -= _ONE_DAY
        return d

    def add_days(self, start: date, n: int) -> Deadline:
        """start + n calendar days, rolled forward to a working day when it ends on a day off.

        A period that ends on a holiday ends on the next working day (第十六条's 15日).
        """
        if n < 0:
            raise ValueError(f"n must not be negative (got {n})")
        d, provisional = self._roll_to_working_day(start + timedelta(days=n))
        return Deadline(d, provisional)


def add_months(d: date, months: int) -> date:
    """Same day of the month, clamped to the month's end (2024-02-29 + 12 → 2025-02-28)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (first_of_next - _ONE_DAY).day


def in_shanghai(value: datetime) -> datetime:
    """A stored time as an aware Beijing time. SQLite hands back the naive Shanghai wall time it stored,
    PostgreSQL an aware value in the session's zone: both name the same instant."""
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)


def end_of_day(d: date) -> datetime:
    """A deadline is the end of its day, Beijing time (POLICY.md §3)."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=TZ)


def days_left(today: date, deadline_date: date) -> int:
    """Days until the deadline; 0 on the day itself, negative once passed."""
    return (deadline_date - today).days


def chinese_date(d: date) -> str:
    """Official style date for the forms: 2025年10月14日."""
    return f"{d.year}年{d.month}月{d.day}日"


def library_calendar() -> tuple[dict[date, bool], set[int]]:
    """Seed data from the chinesecalendar library: (overrides, covered years).

    Only exceptions to Monday–Friday are returned: weekday holidays → False,
    weekend make-up days → True. Covered years are found by probing, since the
    library raises NotImplementedError for a year it does not know.
    """
    import chinese_calendar

    listed = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    if not listed:
        return {}, set()
    years: set[int] = set()
    year = min(d.year for d in listed)
    while True:
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            break
        years.add(year)
        year += 1

    overrides: dict[date, bool] = {}
    for d in chinese_calendar.holidays:
        if d.year in years and d.weekday() < 5:
            overrides[d] = False
    for d in chinese_calendar.workdays:
        if d.year in years and d.weekday() >= 5:
            overrides[d] = True
    return overrides, years


def library_day_notes() -> dict[date, str]:
    """The library's name for each override day, in Chinese (国庆节, 国庆节调休上班)."""
    import chinese_calendar

    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    notes = {d: chinese.get(name, name) for d, name in chinese_calendar.holidays.items() if name}
    notes.update({d: f"{chinese.get(name, name)}调休上班" for d, name in chinese_calendar.workdays.items() if name})
    return notes
