"""附件4 writes amounts in 万元 with two decimals (ROUND_HALF_UP) and ratios as percentages (POLICY.md §12.4)."""

from decimal import Decimal

import pytest

from eloan.pdf.attachment4 import percent, wan


@pytest.mark.parametrize(
    ("yuan", "text"),
    [
        ("0.00", "0.00"),
        ("49.99", "0.00"),  # 0.004999 万元
        ("50.00", "0.01"),  # half a hundredth rounds up
        ("12345678.90", "1,234.57"),
        ("2600000.00", "260.00"),
    ],
)
def test_amounts_in_wan(yuan, text):
    assert wan(Decimal(yuan)) == text


def test_ratios_as_percentages_and_undefined_as_a_dash():
    assert percent(Decimal("0.277778")) == "27.78%"
    assert percent(None) == "—"
