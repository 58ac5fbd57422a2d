"""How amounts, dates and times look on a page (POLICY.md §3)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from eloan.web.filters import date_cn, dt, money, role_label


def test_money_is_shown_with_yuan_sign_and_thousands():
    assert money(Decimal("1234.5")) == "¥1,234.50"


def test_date_is_shown_in_chinese():
    assert date_cn(date(2025, 10, 14)) == "2025年10月14日"


def test_aware_time_is_shown_in_beijing_time():
    assert dt(datetime(2026, 11, 29, 6, 3, tzinfo=UTC)) == "2026-11-29 14:03"


def test_naive_time_from_sqlite_is_already_beijing_wall_time():
    assert dt(datetime(2026, 11, 29, 14, 3, 59)) == "2026-11-29 14:03"


def test_missing_values_show_a_dash():
    assert money(None) == dt(None) == date_cn(None) == "—"


def test_role_code_is_shown_by_its_chinese_name():
    assert role_label("fsc") == "区金融服务中心"


def test_loaded_years_are_shown_as_ranges():
    from eloan.web.filters import year_ranges

    assert year_ranges([2006, 2004, 2005, 2009]) == "2004–2006年、2009年"
