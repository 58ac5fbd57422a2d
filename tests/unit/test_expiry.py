"""Expiry warnings for the policy version and the bank agreements (POLICY.md §16)."""

from datetime import date, timedelta

import pytest

from eloan.domain.expiry import NOTICE_STEPS, days_left_text, expiry

# Policy TZ-2023-9 is in force through 2025-11-29 (第二十二条).
END = date(2025, 11, 29)


def before(days: int) -> date:
    return END - timedelta(days=days)


def test_the_steps_are_sixty_thirty_and_seven_days():
    assert NOTICE_STEPS == (60, 30, 7)


def test_no_warning_sixty_one_days_before():
    assert expiry(END, before(61)) is None  # 2025-09-29


def test_the_warning_starts_sixty_days_before_with_the_sixty_day_notice():
    warning = expiry(END, date(2025, 9, 30))

    assert warning is not None
    assert (warning.ends_on, warning.days_left, warning.step) == (END, 60, 60)


@pytest.mark.parametrize(
    ("days", "step"),
    [(59, 60), (31, 60), (30, 30), (29, 30), (8, 30), (7, 7), (6, 7), (1, 7), (0, 7)],
)
def test_the_step_due_is_the_nearest_not_yet_passed(days, step):
    warning = expiry(END, before(days))

    assert (warning.days_left, warning.step) == (days, step)


def test_a_run_that_missed_the_sixtieth_day_still_finds_the_sixty_day_notice_due():
    # The service was down from 61 to 59 days left: the run 58 days before still owes the 60-day notice.
    assert expiry(END, before(58)).step == 60


def test_the_last_day_still_warns_and_the_day_after_does_not():
    assert expiry(END, END).days_left == 0
    assert expiry(END, END + timedelta(days=1)) is None


def test_a_version_with_no_end_date_never_warns():
    assert expiry(None, date(2025, 11, 29)) is None


def test_days_left_are_said_plainly():
    assert days_left_text(45) == "还剩 45 天"
    assert days_left_text(1) == "还剩 1 天"
    assert days_left_text(0) == "今天是最后一天"
