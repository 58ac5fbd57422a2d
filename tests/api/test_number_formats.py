"""The API writes money and rates one way everywhere (API.md: amounts are strings with two decimals)."""

from decimal import Decimal

import pytest

from eloan.api.formats import rate, two_places


def test_money_has_two_decimals_and_no_exponent():
    assert two_places(Decimal("1234567.89")) == "1234567.89"
    assert two_places(Decimal("864197.5")) == "864197.50"
    assert two_places(Decimal("0")) == "0.00"
    assert two_places(Decimal("1E+3")) == "1000.00"


def test_money_rounds_half_up_like_the_policy():
    assert two_places(Decimal("0.005")) == "0.01"
    assert two_places(Decimal("2.675")) == "2.68"


def test_missing_money_stays_null():
    assert two_places(None) is None


def test_money_refuses_float():
    with pytest.raises(TypeError):
        two_places(0.1)


def test_rates_keep_the_places_they_were_typed_with():
    assert rate(Decimal("3.6")) == "3.60"
    assert rate(Decimal("3.4550")) == "3.455"
    assert rate(Decimal("3.1234")) == "3.1234"
    assert rate(None) is None
