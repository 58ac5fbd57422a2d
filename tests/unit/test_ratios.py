from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eloan.domain.policy import TZ_2023_9
from eloan.domain.ratios import (
    LoanPosition,
    Ratios,
    breaches,
    compute_ratios,
    ratios_from_sums,
    threshold_decision,
)

L = Decimal("1000000.00")


def at(npl="0.00", overdue="0.00", outstanding=L):
    return ratios_from_sums(outstanding, Decimal(npl), Decimal(overdue))


def test_repaid_and_written_off_loans_are_not_outstanding():
    r = compute_ratios(
        [
            LoanPosition(Decimal("900000.00"), "normal"),
            LoanPosition(Decimal("50000.00"), "repaid"),
            LoanPosition(Decimal("70000.00"), "written_off"),
            LoanPosition(Decimal("100000.00"), "npl"),
        ]
    )
    assert r.outstanding == Decimal("1000000.00")
    assert r.npl_ratio == Decimal("0.100000")


def test_overdue_balance_includes_npl():
    r = compute_ratios(
        [
            LoanPosition(Decimal("900000.00"), "normal"),
            LoanPosition(Decimal("40000.00"), "overdue"),
            LoanPosition(Decimal("60000.00"), "npl"),
        ]
    )
    assert (r.npl_balance, r.overdue_balance) == (Decimal("60000.00"), Decimal("100000.00"))
    assert (r.npl_ratio, r.overdue_ratio) == (Decimal("0.060000"), Decimal("0.100000"))


def test_ratios_are_undefined_with_nothing_outstanding():
    r = compute_ratios([LoanPosition(Decimal("0.00"), "repaid")])
    assert r == Ratios(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), None, None)
    assert breaches(r, TZ_2023_9) == []


def test_ratios_are_rounded_to_six_places_half_up():
    r = at(npl="1.00", outstanding=Decimal("3.00"))
    assert r.npl_ratio == Decimal("0.333333")
    assert at(npl="1.00", outstanding=Decimal("1.60")).npl_ratio == Decimal("0.625000")


def test_unknown_loan_status_is_refused():
    with pytest.raises(ValueError):
        compute_ratios([LoanPosition(Decimal("1.00"), "lost")])


def test_npl_ratio_of_exactly_three_percent_does_not_suspend():
    r = at(npl="30000.00", overdue="30000.00")
    assert breaches(r, TZ_2023_9) == []
    assert threshold_decision(r, TZ_2023_9, "active") is None


def test_npl_ratio_one_fen_above_three_percent_suspends():
    r = at(npl="30000.01", overdue="30000.01")
    assert breaches(r, TZ_2023_9) == ["npl_ratio"]
    assert threshold_decision(r, TZ_2023_9, "active") == "suspend"


def test_overdue_ratio_of_exactly_five_percent_does_not_suspend():
    r = at(overdue="50000.00")
    assert threshold_decision(r, TZ_2023_9, "active") is None


def test_overdue_ratio_one_fen_above_five_percent_suspends():
    r = at(overdue="50000.01")
    assert breaches(r, TZ_2023_9) == ["overdue_ratio"]
    assert threshold_decision(r, TZ_2023_9, "active") == "suspend"


def test_threshold_uses_the_exact_fraction_not_the_rounded_ratio():
    # 3,000,000.01 / 100,000,000.00 rounds to 0.030000 yet is above 3 %.
    r = at(npl="3000000.01", overdue="3000000.01", outstanding=Decimal("100000000.00"))
    assert r.npl_ratio == Decimal("0.030000")
    assert breaches(r, TZ_2023_9) == ["npl_ratio"]


def test_suspended_bank_back_under_both_thresholds_is_resumed():
    assert threshold_decision(at(npl="30000.00", overdue="50000.00"), TZ_2023_9, "suspended") == "resume"


def test_suspended_bank_with_nothing_outstanding_is_resumed():
    assert threshold_decision(at(outstanding=Decimal("0.00")), TZ_2023_9, "suspended") == "resume"


def test_suspended_bank_still_over_a_threshold_stays_suspended():
    assert threshold_decision(at(overdue="60000.00"), TZ_2023_9, "suspended") is None


def test_disqualified_bank_is_never_touched():
    assert threshold_decision(at(npl="500000.00", overdue="500000.00"), TZ_2023_9, "disqualified") is None
    assert threshold_decision(at(), TZ_2023_9, "disqualified") is None


def test_ratios_from_sums_refuses_float():
    with pytest.raises(TypeError):
        ratios_from_sums(1.0, Decimal("0"), Decimal("0"))


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=Decimal("5000000"), places=2),
            st.sampled_from(["normal", "overdue", "npl", "repaid", "written_off"]),
        ),
        max_size=30,
    )
)
def test_npl_never_exceeds_overdue_which_never_exceeds_outstanding(rows):
    r = compute_ratios([LoanPosition(a, s) for a, s in rows])
    assert r.npl_balance <= r.overdue_balance <= r.outstanding


def test_every_npl_loan_counts_in_the_bank_ratio_not_only_the_last():
    r = compute_ratios(
        [
            LoanPosition(Decimal("900000.00"), "normal"),
            LoanPosition(Decimal("30000.00"), "npl"),
            LoanPosition(Decimal("20000.00"), "npl"),
            LoanPosition(Decimal("50000.00"), "overdue"),
        ]
    )
    assert (r.outstanding, r.npl_balance, r.overdue_balance) == (
        Decimal("1000000.00"),
        Decimal("50000.00"),
        Decimal("100000.00"),
    )
    assert breaches(r, TZ_2023_9) == ["npl_ratio", "overdue_ratio"]


def test_a_bank_with_no_npl_or_overdue_loan_has_ratios_of_zero_not_undefined():
    r = at()
    assert (r.npl_ratio, r.overdue_ratio) == (Decimal("0.000000"), Decimal("0.000000"))
    assert breaches(r, TZ_2023_9) == []


def test_a_ratio_halfway_between_two_millionths_is_rounded_up():
    assert at(npl="1.00", overdue="1.00", outstanding=Decimal("2000000.00")).npl_ratio == Decimal("0.000001")


def test_a_bank_with_one_yuan_outstanding_and_all_of_it_npl_is_over_both_thresholds():
    assert breaches(at(npl="1.00", overdue="1.00", outstanding=Decimal("1.00")), TZ_2023_9) == [
        "npl_ratio",
        "overdue_ratio",
    ]


def test_a_sum_that_is_not_a_decimal_or_is_negative_is_named():
    with pytest.raises(TypeError, match="^outstanding must be a Decimal$"):
        ratios_from_sums(1000, Decimal("0"), Decimal("0"))
    with pytest.raises(TypeError, match="^npl_balance must be a Decimal$"):
        ratios_from_sums(L, 0.0, Decimal("0"))
    with pytest.raises(ValueError, match="^overdue_balance must not be negative"):
        ratios_from_sums(L, Decimal("0"), Decimal("-0.01"))
