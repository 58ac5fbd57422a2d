"""Reminders before a deadline of 第十五、十六条 and escalation after it (POLICY.md §3, §7)."""

from datetime import date

import pytest

from eloan.domain.calendar import WorkCalendar, library_calendar
from eloan.domain.reminders import deadline_phase, reminder_from

# Payout due Tue 2024-10-08, the first working day after the National Day holiday (10-01…10-07).
DUE = date(2024, 10, 8)


@pytest.fixture()
def cal():
    return WorkCalendar(*library_calendar())


def test_the_reminder_starts_two_working_days_before_the_deadline(cal):
    # Mon 09-30, then Sun 09-29, a make-up working day.
    assert reminder_from(DUE, cal) == date(2024, 9, 29)


def test_the_responsible_party_is_reminded_from_then_until_the_deadline_itself(cal):
    assert deadline_phase(date(2024, 9, 28), DUE, cal) is None
    assert deadline_phase(date(2024, 9, 29), DUE, cal) == "remind"
    assert deadline_phase(date(2024, 10, 3), DUE, cal) == "remind"  # a reminder day missed is still covered
    assert deadline_phase(DUE, DUE, cal) == "remind"


def test_a_miss_is_escalated_from_the_next_day_for_thirty_days(cal):
    assert deadline_phase(date(2024, 10, 9), DUE, cal) == "missed"
    assert deadline_phase(date(2024, 11, 7), DUE, cal) == "missed"
    assert deadline_phase(date(2024, 11, 8), DUE, cal) is None
