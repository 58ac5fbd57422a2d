from decimal import Decimal

import pytest

from eloan.domain.sme import INDUSTRY_2011, SIZE_LABELS, SizeBand, SizeStandard, size_class

WAN = Decimal(10000)


def test_large_needs_1000_employees_and_40000_wan():
    assert size_class(1000, 40000 * WAN) == "large"


def test_one_employee_short_of_large_is_medium():
    assert size_class(999, 40000 * WAN) == "medium"


def test_one_fen_short_of_large_revenue_is_medium():
    assert size_class(5000, 40000 * WAN - Decimal("0.01")) == "medium"


def test_medium_at_300_employees_and_2000_wan():
    assert size_class(300, 2000 * WAN) == "medium"
    assert size_class(299, 2000 * WAN) == "small"
    assert size_class(300, 2000 * WAN - Decimal("0.01")) == "small"


def test_small_at_20_employees_and_300_wan():
    assert size_class(20, 300 * WAN) == "small"
    assert size_class(19, 300 * WAN) == "micro"
    assert size_class(20, 300 * WAN - Decimal("0.01")) == "micro"


def test_many_employees_but_tiny_revenue_is_micro():
    assert size_class(2000, Decimal("100000.00")) == "micro"


def test_labels():
    assert SIZE_LABELS == {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


def test_a_new_standard_is_a_data_change():
    stricter = SizeStandard("test", (SizeBand("small", 10, Decimal("1.00")),), "micro")
    assert size_class(10, Decimal("1.00"), stricter) == "small"
    assert INDUSTRY_2011.fallback == "micro"


def test_negative_figures_are_refused():
    with pytest.raises(ValueError):
        size_class(-1, Decimal("0"))


def test_float_revenue_is_refused():
    with pytest.raises(TypeError):
        size_class(10, 1.5)


def test_a_new_enterprise_with_no_staff_or_revenue_yet_is_micro():
    assert size_class(0, Decimal("0.00")) == "micro"


def test_employees_are_counted_in_whole_people():
    for employees in (10.5, True, "10"):
        with pytest.raises(TypeError):
            size_class(employees, Decimal("1.00"))
