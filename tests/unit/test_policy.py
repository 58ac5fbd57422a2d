from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.errors import NoPolicyInForce, RuleViolation
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
        "high_end_equipment", "new_materials", "new_energy", "new_medicine", "next_gen_it",
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
