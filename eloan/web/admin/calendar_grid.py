"""A year at a glance: twelve small month grids marking holidays and make-up working days."""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date

from eloan.domain.calendar import WorkCalendar

WEEKDAY_HEADS = ("一", "二", "三", "四", "五", "六", "日")


@dataclass(frozen=True)
class Cell:
    day: date
    kind: str  # workday | weekend | holiday (day off on a weekday) | makeup (working weekend day)
    note: str | None


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell | None]]


def _kind(cal: WorkCalendar, d: date) -> str:
    working = cal.is_working_day(d)
    weekend = d.weekday() >= 5
    if working:
        return "makeup" if weekend else "workday"
    return "weekend" if weekend else "holiday"


def year_grid(year: int, cal: WorkCalendar, notes: dict[date, str | None]) -> list[Month]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in _cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([Cell(d, _kind(cal, d), notes.get(d)) if d.month == month else None for d in week])
        months.append(Month(month, weeks))
    return months
