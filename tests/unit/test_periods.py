"""Report periods of 附件4 (POLICY.md §12.4): presets and the from ≤ to rule."""

from datetime import date

import pytest

from eloan.domain.errors import RuleViolation
from eloan.domain.periods import Period, calendar_period, check_period, preset

START = date(2023, 11, 30)


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("month", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),  # leap February
        ("month", date(2025, 2, 28), date(2025, 2, 1), date(2025, 2, 28)),
        ("month", date(2024, 12, 31), date(2024, 12, 1), date(2024, 12, 31)),
        ("quarter", date(2024, 3, 31), date(2024, 1, 1), date(2024, 3, 31)),
        ("quarter", date(2024, 4, 1), date(2024, 4, 1), date(2024, 6, 30)),
        ("quarter", date(2024, 11, 15), date(2024, 10, 1), date(2024, 12, 31)),
        ("half", date(2024, 6, 30), date(2024, 1, 1), date(2024, 6, 30)),
        ("half", date(2024, 7, 1), date(2024, 7, 1), date(2024, 12, 31)),
        ("year", date(2024, 7, 1), date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_calendar_period_contains_the_day(kind, day, start, end):
    assert calendar_period(kind, day) == Period(start, end)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        calendar_period("week", date(2024, 1, 1))


def test_preset_stops_at_today():
    assert preset("quarter", date(2024, 5, 20), START) == Period(date(2024, 4, 1), date(2024, 5, 20))
    assert preset("month", date(2024, 5, 31), START) == Period(date(2024, 5, 1), date(2024, 5, 31))
    assert preset("since_start", date(2024, 5, 20), START) == Period(START, date(2024, 5, 20))


def test_period_text_is_in_chinese_dates():
    assert Period(date(2024, 1, 1), date(2024, 3, 31)).text == "2024年1月1日至2024年3月31日"


def test_a_period_ending_before_it_starts_is_invalid():
    with pytest.raises(RuleViolation) as refused:
        check_period(date(2024, 4, 1), date(2024, 3, 31))
    assert refused.value.codes == ["invalid_period"]
    assert "起始日 2024-04-01 晚于截止日 2024-03-31" in refused.value.violations[0].message


def test_a_one_day_period_is_valid():
    assert check_period(date(2024, 4, 1), date(2024, 4, 1)) == Period(date(2024, 4, 1), date(2024, 4, 1))
