from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eloan.domain.compensation import (
    Compensation,
    clawback_amount,
    compute_compensation,
    fund_ratio,
    recovery_split,
    reduced_compensation,
)
from eloan.domain.errors import RuleViolation

MAX = Decimal("0.8000")
amounts = st.decimals(min_value=0, max_value=Decimal("5000000"), places=2)
shares = st.decimals(min_value=0, max_value=1, places=4)


def test_fund_covers_what_the_bank_does_not():
    assert fund_ratio(Decimal("0.30"), MAX) == Decimal("0.70")


def test_fund_never_covers_more_than_eighty_percent():
    assert fund_ratio(Decimal("0.10"), MAX) == MAX


def test_compensation_of_the_policy_example():
    c = compute_compensation(Decimal("1234567.89"), Decimal("0.30"), MAX)
    assert c == Compensation(
        principal=Decimal("1234567.89"),
        bank_share=Decimal("0.30"),
        fund_ratio=Decimal("0.70"),
        compensation=Decimal("864197.52"),
        bank_loss=Decimal("370370.37"),
    )


def test_compensation_refuses_float_principal():
    with pytest.raises(TypeError):
        compute_compensation(1000.0, Decimal("0.3"), MAX)


def test_compensation_refuses_negative_principal():
    with pytest.raises(ValueError):
        compute_compensation(Decimal("-1.00"), Decimal("0.3"), MAX)


@given(amounts, shares)
def test_compensation_and_bank_loss_add_up_to_the_principal(principal, share):
    c = compute_compensation(principal, share, MAX)
    assert c.compensation + c.bank_loss == principal
    assert c.compensation >= 0 and c.bank_loss >= 0
    assert c.compensation <= principal * MAX + Decimal("0.005")


def test_recovery_of_the_policy_example():
    assert recovery_split(Decimal("100000.00"), Decimal("0.70"), Decimal("700000.00"), Decimal("0.00")) == (
        Decimal("70000.00"),
        Decimal("30000.00"),
    )


def test_recovery_fund_part_stops_at_the_compensation_paid():
    fund, bank = recovery_split(Decimal("100000.00"), Decimal("0.70"), Decimal("700000.00"), Decimal("650000.00"))
    assert (fund, bank) == (Decimal("50000.00"), Decimal("50000.00"))


def test_recovery_after_the_fund_is_whole_goes_to_the_bank():
    assert recovery_split(Decimal("10.00"), Decimal("0.70"), Decimal("700.00"), Decimal("700.00")) == (
        Decimal("0.00"),
        Decimal("10.00"),
    )


def test_recovery_fund_part_is_rounded_half_up():
    assert recovery_split(Decimal("0.05"), Decimal("0.70"), Decimal("100.00"), Decimal("0.00")) == (
        Decimal("0.04"),
        Decimal("0.01"),
    )


@given(amounts, shares, st.lists(amounts, max_size=20))
def test_fund_parts_over_any_recoveries_never_exceed_the_compensation(principal, share, recoveries):
    c = compute_compensation(principal, share, MAX)
    so_far = Decimal("0.00")
    for r in recoveries:
        fund, bank = recovery_split(r, c.fund_ratio, c.compensation, so_far)
        assert fund + bank == r
        assert fund >= 0 and bank >= 0
        so_far += fund
        assert so_far <= c.compensation


def test_reduced_compensation_keeps_the_ratio_and_moves_the_loss_to_the_bank():
    c = compute_compensation(Decimal("1000000.00"), Decimal("0.30"), MAX)
    r = reduced_compensation(c, Decimal("500000.00"))
    assert (r.compensation, r.bank_loss, r.fund_ratio) == (Decimal("500000.00"), Decimal("500000.00"), c.fund_ratio)


def test_reduced_compensation_may_equal_the_computed_amount():
    c = compute_compensation(Decimal("1000000.00"), Decimal("0.30"), MAX)
    assert reduced_compensation(c, Decimal("700000.00")).compensation == Decimal("700000.00")


@pytest.mark.parametrize("amount", ["0.00", "-1.00", "700000.01", "1.001"])
def test_reduced_compensation_must_be_positive_and_not_above_the_computed_amount(amount):
    c = compute_compensation(Decimal("1000000.00"), Decimal("0.30"), MAX)
    with pytest.raises(RuleViolation) as exc:
        reduced_compensation(c, Decimal(amount))
    assert exc.value.violations[0].code == "invalid_reduced_amount"
    assert exc.value.violations[0].field == "amount"


def test_clawback_is_what_was_paid_and_not_yet_returned():
    assert clawback_amount(Decimal("864197.52"), Decimal("100000.00")) == Decimal("764197.52")


def test_clawback_is_never_negative():
    assert clawback_amount(Decimal("100.00"), Decimal("150.00")) == Decimal("0.00")


@given(amounts, amounts)
def test_clawback_plus_returned_covers_what_was_paid(paid, returned):
    owed = clawback_amount(paid, returned)
    assert owed >= 0
    assert owed + returned >= paid


def test_only_decimals_are_taken_as_money_or_ratios():
    for not_decimal in (1000, "1000.00"):
        with pytest.raises(TypeError, match="^principal must be a Decimal$"):
            compute_compensation(not_decimal, Decimal("0.3"), MAX)
    with pytest.raises(TypeError, match="^bank_share must be a Decimal$"):
        fund_ratio(0, MAX)
    with pytest.raises(TypeError, match="^amount must be a Decimal$"):
        reduced_compensation(compute_compensation(Decimal("100.00"), Decimal("0.3"), MAX), 50)


def test_an_amount_with_more_than_two_decimals_is_refused_not_rounded():
    with pytest.raises(ValueError, match="^principal must be a finite amount with at most 2 decimals"):
        compute_compensation(Decimal("1000.005"), Decimal("0.3"), MAX)


def test_each_refused_input_is_named():
    with pytest.raises(ValueError, match="^bank_share must be within 0..1"):
        fund_ratio(Decimal("1.5"), MAX)
    with pytest.raises(ValueError, match="^max_ratio must be within 0..1"):
        fund_ratio(Decimal("0.3"), Decimal("-0.1"))
    with pytest.raises(ValueError, match="^amount must not be negative"):
        recovery_split(Decimal("-1.00"), Decimal("0.7"), Decimal("1.00"), Decimal("0.00"))
    with pytest.raises(ValueError, match="^fund_ratio must be within 0..1"):
        recovery_split(Decimal("1.00"), Decimal("1.1"), Decimal("1.00"), Decimal("0.00"))
    with pytest.raises(ValueError, match="^compensation_cap must not be negative"):
        recovery_split(Decimal("1.00"), Decimal("0.7"), Decimal("-1.00"), Decimal("0.00"))
    with pytest.raises(ValueError, match="^fund_recovered_so_far must not be negative"):
        recovery_split(Decimal("1.00"), Decimal("0.7"), Decimal("1.00"), Decimal("-1.00"))
    with pytest.raises(ValueError, match="^paid must not be negative"):
        clawback_amount(Decimal("-1.00"), Decimal("0.00"))
    with pytest.raises(ValueError, match="^returned must not be negative"):
        clawback_amount(Decimal("1.00"), Decimal("-1.00"))


def test_a_reduced_claim_keeps_its_principal_and_share():
    c = compute_compensation(Decimal("1000000.00"), Decimal("0.30"), MAX)
    assert reduced_compensation(c, Decimal("500000.00")) == Compensation(
        principal=Decimal("1000000.00"),
        bank_share=Decimal("0.30"),
        fund_ratio=Decimal("0.70"),
        compensation=Decimal("500000.00"),
        bank_loss=Decimal("500000.00"),
    )
