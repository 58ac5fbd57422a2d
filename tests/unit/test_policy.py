from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.errors import NoPolicyInForce, RuleViolation, Violation
from eloan.domain.policy import (
    INDUSTRIES,
    TZ_2023_9,
    covers,
    overlapping,
    policy_in_force,
    validate_params,
)

RENEWAL = replace(TZ_2023_9, code="TZ-2025-R", effective_from=date(2025, 11, 30), effective_to=None)


def test_shipped_version_has_the_numbers_of_the_policy():
    p = TZ_2023_9
    assert p.code == "TZ-2023-9"
    assert p.name == "台儿庄区“园区E贷”实施办法（试行）"
    assert (p.effective_from, p.effective_to) == (date(2023, 11, 30), date(2025, 11, 29))
    assert p.max_compensation_ratio == Decimal("0.8000")
    assert p.min_bank_share == Decimal("0.2000")
    assert p.rate_spread_bp == 60
    assert p.max_term_months == 12
    assert p.max_outstanding_per_enterprise == Decimal("5000000.00")
    assert (p.filing_working_days, p.opinion_days, p.payout_days) == (5, 15, 15)
    assert p.npl_ratio_threshold == Decimal("0.0300")
    assert p.overdue_ratio_threshold == Decimal("0.0500")
    assert p.fund_scale == Decimal("100000000.00")
    assert p.first_tranche == Decimal("10000000.00")


def test_the_five_eligible_industries_of_article_4():
    assert set(TZ_2023_9.eligible_industries) == {
        "high_end_equipment",
        "new_materials",
        "new_energy",
        "new_medicine",
        "next_gen_it",
    }
    assert INDUSTRIES["other"] == "其他"
    assert INDUSTRIES["next_gen_it"] == "新一代信息技术"
    assert len(INDUSTRIES) == 6


def test_shipped_version_is_valid():
    assert validate_params(TZ_2023_9) == []


def test_version_covers_both_ends_inclusive():
    assert covers(TZ_2023_9, date(2023, 11, 30))
    assert covers(TZ_2023_9, date(2025, 11, 29))
    assert not covers(TZ_2023_9, date(2023, 11, 29))
    assert not covers(TZ_2023_9, date(2025, 11, 30))


def test_open_ended_version_covers_every_later_date():
    assert covers(RENEWAL, date(2040, 1, 1))


def test_policy_in_force_is_looked_up_by_date():
    versions = [TZ_2023_9, RENEWAL]
    assert policy_in_force(versions, date(2025, 11, 29)) is TZ_2023_9
    assert policy_in_force(versions, date(2025, 11, 30)) is RENEWAL


def test_date_after_the_trial_with_no_renewal_has_no_policy_in_force():
    with pytest.raises(NoPolicyInForce) as exc:
        policy_in_force([TZ_2023_9], date(2025, 11, 30))
    assert exc.value.violations[0].code == "no_policy_in_force"
    assert str(exc.value) == "2025-11-30 没有有效的政策版本（no policy in force on 2025-11-30）"
    assert isinstance(exc.value, RuleViolation)


def test_consecutive_versions_do_not_overlap():
    assert overlapping([TZ_2023_9, RENEWAL]) == []


def test_versions_sharing_a_day_overlap():
    early = replace(RENEWAL, effective_from=date(2025, 11, 29))
    assert overlapping([early, TZ_2023_9]) == [("TZ-2023-9", "TZ-2025-R")]


def test_two_open_ended_versions_overlap():
    a = replace(RENEWAL, code="A")
    b = replace(RENEWAL, code="B", effective_from=date(2030, 1, 1))
    assert overlapping([a, b]) == [("A", "B")]


def test_end_before_start_is_refused():
    bad = replace(TZ_2023_9, effective_to=date(2023, 1, 1))
    assert [v.field for v in validate_params(bad)] == ["effective_to"]


def test_ratio_above_one_is_refused():
    bad = replace(TZ_2023_9, max_compensation_ratio=Decimal("1.2"))
    (v,) = validate_params(bad)
    assert v.field == "max_compensation_ratio"
    assert "0 与 1 之间" in v.message


def test_non_positive_amounts_and_days_are_refused():
    bad = replace(TZ_2023_9, fund_scale=Decimal("0.00"), payout_days=0, max_term_months=-1)
    fields = {v.field for v in validate_params(bad)}
    assert {"fund_scale", "payout_days", "max_term_months"} <= fields


def test_first_tranche_above_fund_scale_is_refused():
    bad = replace(TZ_2023_9, first_tranche=Decimal("200000000.00"))
    assert [v.field for v in validate_params(bad)] == ["first_tranche"]


def test_unknown_industry_is_refused():
    bad = replace(TZ_2023_9, eligible_industries=("steel",))
    assert [v.field for v in validate_params(bad)] == ["eligible_industries"]


def test_float_in_a_version_is_refused():
    bad = replace(TZ_2023_9, min_bank_share=0.2)
    assert [v.field for v in validate_params(bad)] == ["min_bank_share"]


def test_should_versions_overlap_the_one_that_started_last_is_in_force():
    later = replace(TZ_2023_9, code="TZ-2024-X", effective_from=date(2024, 6, 1))
    assert policy_in_force([later, TZ_2023_9], date(2024, 7, 1)) is later
    assert policy_in_force([TZ_2023_9, later], date(2024, 7, 1)) is later
    assert policy_in_force([TZ_2023_9, later], date(2024, 5, 31)) is TZ_2023_9


def test_a_one_day_version_on_the_first_day_of_another_overlaps_it():
    one_day = replace(TZ_2023_9, code="TZ-DAY", effective_to=date(2023, 11, 30))
    assert overlapping([TZ_2023_9, one_day]) == [("TZ-2023-9", "TZ-DAY")]


def test_ratios_of_exactly_zero_and_one_are_allowed():
    assert validate_params(replace(TZ_2023_9, min_bank_share=Decimal("0"), max_compensation_ratio=Decimal("1"))) == []


def test_the_smallest_counts_and_amounts_are_allowed():
    smallest = replace(
        TZ_2023_9,
        rate_spread_bp=0,
        max_term_months=1,
        filing_working_days=1,
        opinion_days=1,
        payout_days=1,
        max_outstanding_per_enterprise=Decimal("0.01"),
        first_tranche=Decimal("0.50"),
        fund_scale=Decimal("1.00"),
    )
    assert validate_params(smallest) == []


def test_every_problem_with_a_version_is_reported_with_its_field():
    bad = replace(
        TZ_2023_9,
        code=" ",
        name="",
        effective_to=date(2023, 11, 29),
        max_compensation_ratio=Decimal("NaN"),
        min_bank_share=Decimal("-0.01"),
        npl_ratio_threshold=0.03,
        overdue_ratio_threshold=Decimal("1.0001"),
        max_outstanding_per_enterprise=Decimal("-1.00"),
        fund_scale=Decimal("Infinity"),
        first_tranche=Decimal("0.001"),
        rate_spread_bp=-1,
        max_term_months=0,
        filing_working_days=True,
        opinion_days=15.0,
        payout_days=Decimal("15"),
        eligible_industries=(),
    )
    assert validate_params(bad) == [
        Violation("invalid_policy", "政策版本编号不能为空", field="code"),
        Violation("invalid_policy", "政策名称不能为空", field="name"),
        Violation("invalid_policy", "失效日期 2023-11-29 早于生效日期 2023-11-30", "第二十二条", "effective_to"),
        Violation("invalid_policy", "最高补偿比例必须是精确小数", field="max_compensation_ratio"),
        Violation("invalid_policy", "银行最低损失承担比例必须在 0 与 1 之间（当前 -0.01）", field="min_bank_share"),
        Violation("invalid_policy", "不良率阈值必须是精确小数", field="npl_ratio_threshold"),
        Violation("invalid_policy", "逾期率阈值必须在 0 与 1 之间（当前 1.0001）", field="overdue_ratio_threshold"),
        Violation("invalid_policy", "单户贷款余额上限必须大于零（当前 -1.00）", field="max_outstanding_per_enterprise"),
        Violation("invalid_policy", "资金池规模必须是精确金额", field="fund_scale"),
        Violation("invalid_policy", "首期资金最多两位小数（当前 0.001）", field="first_tranche"),
        Violation("invalid_policy", "利率上浮基点必须是非负整数（当前 -1）", field="rate_spread_bp"),
        Violation("invalid_policy", "最长贷款期限（月）必须是大于零的整数（当前 0）", field="max_term_months"),
        Violation(
            "invalid_policy", "申请补偿时限（工作日）必须是大于零的整数（当前 True）", field="filing_working_days"
        ),
        Violation("invalid_policy", "出具意见时限（日）必须是大于零的整数（当前 15.0）", field="opinion_days"),
        Violation("invalid_policy", "拨付时限（日）必须是大于零的整数（当前 15）", field="payout_days"),
        Violation("invalid_policy", "至少需要一个支持行业", "第四条", "eligible_industries"),
    ]


def test_a_float_amount_in_a_version_is_refused_not_crashed_on():
    assert validate_params(replace(TZ_2023_9, fund_scale=1e8)) == [
        Violation("invalid_policy", "资金池规模必须是精确金额", field="fund_scale")
    ]


def test_the_first_tranche_may_equal_the_fund_scale_but_not_exceed_it():
    assert validate_params(replace(TZ_2023_9, first_tranche=TZ_2023_9.fund_scale)) == []
    assert validate_params(replace(TZ_2023_9, first_tranche=Decimal("100000000.01"))) == [
        Violation("invalid_policy", "首期资金 100000000.01 超过资金池规模 100000000.00", "第十四条", "first_tranche")
    ]
    # A tranche or scale that is not a finite Decimal is reported once, as such, not compared.
    assert [v.field for v in validate_params(replace(TZ_2023_9, fund_scale=Decimal("NaN")))] == ["fund_scale"]
    assert [v.field for v in validate_params(replace(TZ_2023_9, first_tranche=Decimal("Infinity")))] == [
        "first_tranche"
    ]


def test_each_unknown_industry_is_named():
    assert validate_params(replace(TZ_2023_9, eligible_industries=("new_energy", "steel", "coal"))) == [
        Violation("invalid_policy", "未知的行业代码：steel", "第四条", "eligible_industries"),
        Violation("invalid_policy", "未知的行业代码：coal", "第四条", "eligible_industries"),
    ]


def test_a_version_may_last_a_single_day():
    assert validate_params(replace(TZ_2023_9, effective_to=TZ_2023_9.effective_from)) == []
