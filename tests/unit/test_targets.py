"""年度目标 (POLICY.md §15): reading a typed target, achieved or not, and the 完成情况 sentence."""

from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.targets import achieved, parse_target, progress_text

DAY = date(2025, 10, 15)


def test_the_amount_sentence_of_the_brief():
    text = progress_text("new_loan_amount", Decimal("123000000.00"), Decimal("150000000.00"), DAY)
    assert text == "新增贷款 1.23 亿元，完成目标 1.5 亿元的 82.0%（截至2025年10月15日）"


def test_small_amounts_are_written_in_wan():
    # ¥2,345,600 of ¥5,000,000: 46.912% → 46.9%.
    text = progress_text("fund_appropriated", Decimal("2345600.00"), Decimal("5000000.00"), DAY)
    assert text == "财政拨入风险补偿资金 234.56 万元，完成目标 500 万元的 46.9%（截至2025年10月15日）"


def test_counts_and_a_target_passed():
    assert (
        progress_text("active_banks", 7, Decimal(6), DAY)
        == "合作银行 7 家，完成目标 6 家的 116.7%（截至2025年10月15日）"
    )
    assert achieved("active_banks", 7, Decimal(6)) is True
    assert achieved("new_loan_count", 149, Decimal(150)) is False
    assert achieved("new_loan_count", 150, Decimal(150)) is True


def test_the_npl_ceiling_is_achieved_at_or_below_it():
    assert achieved("npl_ratio_max", Decimal("0.030000"), Decimal("0.0300")) is True
    assert achieved("npl_ratio_max", Decimal("0.030001"), Decimal("0.0300")) is False
    text = progress_text("npl_ratio_max", Decimal("0.0125"), Decimal("0.03"), DAY)
    assert text == "不良率 1.25%，目标不高于 3.00%，已达到目标（截至2025年10月15日）"
    assert progress_text("npl_ratio_max", None, Decimal("0.03"), DAY).startswith("尚无在贷余额")
    assert achieved("npl_ratio_max", None, Decimal("0.03")) is None


def test_on_time_share_is_a_floor():
    assert achieved("claims_on_time_share", Decimal("0.9"), Decimal("0.95")) is False
    text = progress_text("claims_on_time_share", Decimal("0.9"), Decimal("0.95"), DAY)
    assert text == "按期出具补偿意见比例 90.00%，目标不低于 95.00%，未达到目标（截至2025年10月15日）"


def test_a_text_item_has_no_measure():
    assert achieved("text", None, None) is None
    assert progress_text("text", None, None, DAY) == ""
    assert parse_target("text", "") == (None, [])
    assert [v.code for v in parse_target("text", "5")[1]] == ["target_not_allowed"]


@pytest.mark.parametrize(
    ("metric", "typed", "unit", "value"),
    [
        ("new_loan_amount", "150,000,000", None, Decimal("150000000.00")),
        ("new_loan_amount", "1.5", "亿元", Decimal("150000000.00")),
        ("fund_appropriated", "2345.67", "万元", Decimal("23456700.00")),
        ("new_loan_count", "120", None, Decimal(120)),
        ("active_banks", "6", "家", Decimal(6)),
        ("npl_ratio_max", "0.03", None, Decimal("0.0300")),
        ("npl_ratio_max", "3", "%", Decimal("0.0300")),
        ("claims_on_time_share", "97.5", "%", Decimal("0.9750")),
    ],
)
def test_targets_are_read_in_the_metric_unit(metric, typed, unit, value):
    assert parse_target(metric, typed, unit) == (value, [])


@pytest.mark.parametrize(
    ("metric", "typed", "unit", "code"),
    [
        ("loans_galore", "1", None, "unknown_metric"),
        ("", "1", None, "metric_required"),
        ("new_loan_amount", "", None, "target_required"),
        ("new_loan_amount", None, None, "target_required"),
        ("new_loan_count", "12.5", None, "invalid_target"),
        ("active_banks", "-1", None, "invalid_target"),
        ("npl_ratio_max", "3", None, "invalid_target"),
        ("npl_ratio_max", "0.033333", None, "invalid_target"),
        ("new_loan_amount", "1e8", None, "invalid_target"),
        ("new_loan_amount", "0.001", None, "invalid_target"),
        ("new_loan_amount", "1.5", "千元", "invalid_unit"),
        ("new_loan_count", "5", "%", "invalid_unit"),
    ],
)
def test_bad_targets_are_refused_with_a_code(metric, typed, unit, code):
    value, problems = parse_target(metric, typed, unit)
    assert value is None
    assert [v.code for v in problems] == [code]
