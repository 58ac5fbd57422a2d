"""The dashboard's calculations (domain/oversight.py), with numbers worked by hand."""

from datetime import date
from decimal import Decimal

from eloan.domain.oversight import mean_headroom, median_days, net_loss, share, step_times, trend_start


def test_share_is_four_places_half_up_and_none_without_a_whole():
    assert share(Decimal("225000.00"), Decimal("10000000.00")) == Decimal("0.0225")
    assert share(2, 3) == Decimal("0.6667")
    assert share(1, 0) is None


def test_net_loss_takes_off_what_came_back():
    # 225,000 paid; 30,000 of the recovery returned; 5,000 clawed back → 190,000 lost.
    assert net_loss(Decimal("225000.00"), Decimal("30000.00"), Decimal("5000.00")) == Decimal("190000.00")


def test_mean_headroom_weights_by_amount():
    # 1,000,000 at 0.20 points under the cap and 1,800,000 at 0.45: 1,010,000 ÷ 2,800,000 = 0.36071…
    weighted = Decimal("1000000") * Decimal("0.20") + Decimal("1800000") * Decimal("0.45")
    assert mean_headroom(weighted, Decimal("2800000")) == Decimal("0.3607")
    assert mean_headroom(Decimal(0), Decimal(0)) is None


def test_step_times_median_max_and_share_on_time():
    d = date
    spans = [
        (d(2024, 4, 1), d(2024, 4, 10), d(2024, 4, 16)),  # 9 days, on time
        (d(2024, 5, 1), d(2024, 5, 20), d(2024, 5, 16)),  # 19 days, late
        (d(2024, 6, 1), d(2024, 6, 13), d(2024, 6, 16)),  # 12 days, on time
        (d(2024, 7, 1), d(2024, 7, 16), d(2024, 7, 16)),  # 15 days, on the deadline itself: on time
        (d(2024, 8, 1), None, d(2024, 8, 16)),  # still open: not counted
    ]
    t = step_times("opinion", "受理至出具意见", "15日（第十六条）", 15, spans)
    assert (t.count, t.max_days, t.on_time) == (4, 19, 3)
    assert t.median_days == Decimal("13.5")  # (12 + 15) / 2
    assert t.on_time_share == Decimal("0.7500")


def test_step_times_with_nothing_done():
    t = step_times("payout", "出具意见至拨付", "15日", 15, [(date(2024, 1, 1), None, None)])
    assert (t.count, t.median_days, t.max_days, t.on_time_share) == (0, None, None, None)


def test_trend_starts_ninety_days_back_or_at_the_programme_start():
    assert trend_start(date(2023, 11, 30), date(2025, 3, 10)) == date(2024, 12, 11)
    assert trend_start(date(2025, 2, 1), date(2025, 3, 10)) == date(2025, 2, 1)


def test_median_of_odd_and_even_counts():
    assert median_days([9, 3, 5]) == Decimal("5.0")
    assert median_days([4, 1, 2, 9]) == Decimal("3.0")  # (2 + 4) / 2
    assert median_days([1, 2]) == Decimal("1.5")
    assert median_days([]) is None
