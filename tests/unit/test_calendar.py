from datetime import UTC, date, datetime, timedelta

import pytest

from eloan.domain.calendar import (
    TZ,
    Deadline,
    WorkCalendar,
    add_months,
    chinese_date,
    days_left,
    end_of_day,
    in_shanghai,
    library_calendar,
    library_day_notes,
)


# Built for each test (under a millisecond), not at import nor once per module: mutation testing
# (bench/mutation.py) runs, for a mutant, only the tests seen calling the mutated function, and a calendar built at
# import or in a module-scoped fixture is charged to no test or to the first one only.
@pytest.fixture()
def library():
    return library_calendar()


@pytest.fixture()
def cal(library):
    overrides, known_years = library
    return WorkCalendar(overrides, known_years)


def test_library_covers_2004_to_2026_and_not_2027(library):
    _, known_years = library
    assert min(known_years) == 2004
    assert max(known_years) == 2026
    assert 2027 not in known_years


def test_library_overrides_hold_only_exceptions_to_monday_to_friday(library):
    overrides, _ = library
    for d, working in overrides.items():
        assert working == (d.weekday() >= 5)


def test_five_working_days_after_national_day_eve_lands_on_oct_10(cal):
    # Fri 2024-09-27; Sun 09-29 is a make-up day, 10-01…10-07 holiday.
    assert cal.add_working_days(date(2024, 9, 27), 5) == Deadline(date(2024, 10, 10), False)


def test_fifteen_days_ending_in_the_national_day_holiday_roll_to_oct_8(cal):
    # 2024-09-20 + 15 = Sat 2024-10-05, a holiday.
    assert cal.add_days(date(2024, 9, 20), 15) == Deadline(date(2024, 10, 8), False)


def test_make_up_sundays_of_2025_are_working_days(cal):
    assert cal.is_working_day(date(2025, 9, 28))
    assert cal.is_working_day(date(2025, 10, 11))


def test_make_up_saturdays_of_2026_are_working_days(cal):
    assert cal.is_working_day(date(2026, 2, 14))
    assert cal.is_working_day(date(2026, 2, 28))


def test_national_day_is_not_a_working_day(cal):
    assert not cal.is_working_day(date(2024, 10, 1))


def test_ordinary_weekend_is_not_a_working_day(cal):
    assert not cal.is_working_day(date(2024, 9, 21))
    assert cal.is_working_day(date(2024, 9, 20))


def test_deadline_wholly_inside_2024_is_not_provisional(cal):
    assert not cal.add_working_days(date(2024, 3, 1), 5).provisional
    assert not cal.add_days(date(2024, 3, 1), 15).provisional


def test_deadline_running_into_2027_is_provisional(cal):
    deadline = cal.add_working_days(date(2026, 12, 28), 5)
    assert deadline.provisional
    assert deadline.date == date(2027, 1, 4)  # Monday–Friday only in an unknown year


def test_day_period_ending_in_2027_is_provisional(cal):
    assert cal.add_days(date(2026, 12, 20), 15).provisional


def test_unknown_year_counts_monday_to_friday():
    cal = WorkCalendar({}, set())
    assert cal.add_working_days(date(2030, 1, 4), 1) == Deadline(date(2030, 1, 7), True)


def test_working_days_start_strictly_after_the_start_day():
    cal = WorkCalendar({}, {2024})
    assert cal.add_working_days(date(2024, 9, 2), 1).date == date(2024, 9, 3)


def test_zero_working_days_is_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2024, 9, 2), 0)


def test_day_period_ending_on_a_working_day_is_not_moved(cal):
    assert cal.add_days(date(2024, 3, 4), 15).date == date(2024, 3, 19)


def test_override_makes_a_weekend_a_working_day_and_a_weekday_a_holiday():
    cal = WorkCalendar({date(2030, 1, 5): True, date(2030, 1, 7): False}, {2030})
    assert cal.is_working_day(date(2030, 1, 5))
    assert not cal.is_working_day(date(2030, 1, 7))


def test_next_working_day_is_strictly_after(cal):
    assert cal.next_working_day(date(2024, 9, 30)) == date(2024, 10, 8)
    assert cal.next_working_day(date(2024, 9, 26)) == date(2024, 9, 27)


def test_is_provisional_by_year(cal):
    assert cal.is_provisional(date(2027, 1, 1))
    assert not cal.is_provisional(date(2026, 12, 31))


def test_leap_day_plus_twelve_months_is_clamped_to_feb_28():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_january_31_plus_one_month_is_clamped_to_feb_29_in_a_leap_year():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_add_months_keeps_the_day_and_crosses_years():
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
    assert add_months(date(2024, 3, 15), -3) == date(2023, 12, 15)


def test_deadline_is_the_end_of_its_day_in_shanghai():
    eod = end_of_day(date(2024, 10, 10))
    assert eod == datetime(2024, 10, 10, 23, 59, 59, tzinfo=TZ)
    assert eod.utcoffset() == timedelta(hours=8)


def test_days_left_is_negative_once_passed():
    assert days_left(date(2024, 10, 8), date(2024, 10, 10)) == 2
    assert days_left(date(2024, 10, 10), date(2024, 10, 10)) == 0
    assert days_left(date(2024, 10, 11), date(2024, 10, 10)) == -1


def test_chinese_date_for_the_forms():
    assert chinese_date(date(2025, 10, 14)) == "2025年10月14日"
    assert chinese_date(date(2025, 1, 5)) == "2025年1月5日"


def test_fifteen_days_ending_on_mid_autumn_festival_roll_to_the_next_working_day(cal):
    # 2024-09-02 + 15 = Tue 2024-09-17, 中秋节; 09-14 (Sat) was the make-up day.
    assert cal.add_days(date(2024, 9, 2), 15).date == date(2024, 9, 18)
    assert cal.is_working_day(date(2024, 9, 14))


def test_a_day_period_of_zero_days_ends_on_the_day_itself_or_the_next_working_day(cal):
    assert cal.add_days(date(2024, 9, 20), 0) == Deadline(date(2024, 9, 20), False)
    assert cal.add_days(date(2024, 10, 1), 0) == Deadline(date(2024, 10, 8), False)
    with pytest.raises(ValueError):
        cal.add_days(date(2024, 9, 20), -1)


def test_a_deadline_rolled_past_a_holiday_into_an_unknown_year_is_provisional():
    # 2026 is loaded and its last day a holiday: the period ends on 2027-01-01, a year not loaded.
    cal = WorkCalendar({date(2026, 12, 31): False}, {2026})
    assert cal.add_days(date(2026, 12, 30), 1) == Deadline(date(2027, 1, 1), True)
    assert cal.add_working_days(date(2026, 12, 30), 1) == Deadline(date(2027, 1, 1), True)


def test_a_reminder_two_working_days_before_skips_the_holiday_back_to_the_make_up_day(cal):
    # Deadline Tue 2024-10-08, after 10-01…10-07 off: Mon 09-30, then Sun 09-29 (a make-up working day).
    assert cal.working_day_before(date(2024, 10, 8), 1) == date(2024, 9, 30)
    assert cal.working_day_before(date(2024, 10, 8), 2) == date(2024, 9, 29)
    assert cal.working_day_before(date(2024, 9, 20), 1) == date(2024, 9, 19)


def test_working_days_before_counts_at_least_one(cal):
    for n in (0, -1):
        with pytest.raises(ValueError):
            cal.working_day_before(date(2024, 10, 8), n)


def _days_off_in_a_row(first, count):
    """A calendar where `count` days from `first` are off, between two working days."""
    overrides = {first + timedelta(days=i): False for i in range(count)}
    overrides[first - timedelta(days=1)] = True
    overrides[first + timedelta(days=count)] = True
    return WorkCalendar(overrides, {first.year})


def test_sixty_days_off_in_a_row_are_rolled_past_either_way():
    cal = _days_off_in_a_row(date(2030, 1, 7), 60)
    assert cal.add_days(date(2030, 1, 6), 1) == Deadline(date(2030, 3, 8), False)
    assert cal.working_day_before(date(2030, 3, 8), 1) == date(2030, 1, 6)


def test_more_than_sixty_days_off_in_a_row_is_taken_for_broken_calendar_data():
    cal = _days_off_in_a_row(date(2030, 1, 7), 61)
    with pytest.raises(ValueError):
        cal.add_days(date(2030, 1, 6), 1)
    with pytest.raises(ValueError):
        cal.working_day_before(date(2030, 3, 9), 1)


def test_a_stored_time_is_read_as_beijing_time_whatever_the_database_gave_back():
    from_sqlite = in_shanghai(datetime(2024, 9, 27, 10, 0))
    from_postgresql = in_shanghai(datetime(2024, 9, 27, 2, 0, tzinfo=UTC))
    for value in (from_sqlite, from_postgresql):
        assert (value.replace(tzinfo=None), value.utcoffset()) == (datetime(2024, 9, 27, 10, 0), timedelta(hours=8))


def test_the_calendar_page_names_each_holiday_and_make_up_day_in_chinese():
    notes = library_day_notes()
    assert notes[date(2024, 10, 1)] == "国庆节"
    assert notes[date(2024, 9, 29)] == "国庆节调休上班"
    assert notes[date(2024, 2, 4)] == "春节调休上班"
    assert date(2024, 9, 30) not in notes  # an ordinary working day
