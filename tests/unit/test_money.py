from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eloan.domain.money import (
    CENT,
    format_money,
    format_percent,
    format_rate,
    format_ratio,
    format_wan,
    from_fen,
    parse_ratio,
    rmb_capitals,
    round_money,
    split,
    to_fen,
    to_money,
)

amounts = st.decimals(min_value=0, max_value=Decimal("1000000000"), places=2)
ratios = st.decimals(min_value=0, max_value=1, places=4)


def test_to_money_reads_a_string_with_thousands_separators():
    assert to_money("1,234.50") == Decimal("1234.50")


def test_to_money_pads_to_two_places():
    assert str(to_money("1234.5")) == "1234.50"
    assert str(to_money(7)) == "7.00"


def test_to_money_rounds_half_up_to_the_fen():
    assert to_money("0.005") == Decimal("0.01")
    assert to_money(Decimal("2.345")) == Decimal("2.35")
    assert to_money("-2.345") == Decimal("-2.35")


def test_to_money_refuses_float():
    with pytest.raises(TypeError):
        to_money(1.5)


def test_to_money_refuses_bool():
    with pytest.raises(TypeError):
        to_money(True)


@pytest.mark.parametrize("junk", ["", "abc", "1.2.3", "NaN", "Infinity", "-inf"])
def test_to_money_refuses_junk_nan_and_infinity(junk):
    with pytest.raises(ValueError):
        to_money(junk)


def test_to_money_refuses_decimal_nan():
    with pytest.raises(ValueError):
        to_money(Decimal("NaN"))


def test_round_money_is_half_up():
    assert round_money(Decimal("864197.523")) == Decimal("864197.52")
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert CENT == Decimal("0.01")


def test_split_rounds_the_first_part_and_gives_the_remainder():
    assert split(Decimal("1234567.89"), Decimal("0.70")) == (Decimal("864197.52"), Decimal("370370.37"))


def test_split_refuses_a_ratio_above_one():
    with pytest.raises(ValueError):
        split(Decimal("100.00"), Decimal("1.01"))


@given(amounts, ratios)
def test_split_parts_always_add_up_and_are_never_negative(total, ratio):
    first, second = split(total, ratio)
    assert first + second == total
    assert first >= 0 and second >= 0


def test_fen_round_trip():
    assert to_fen(Decimal("864197.52")) == 86419752
    assert from_fen(86419752) == Decimal("864197.52")
    assert str(from_fen(100)) == "1.00"


def test_from_fen_refuses_a_non_integer():
    with pytest.raises(TypeError):
        from_fen(Decimal("1.5"))


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_round_trip_is_exact(fen):
    assert to_fen(from_fen(fen)) == fen


def test_format_money_has_yuan_sign_and_thousands_separators():
    assert format_money(Decimal("1234567.89")) == "¥1,234,567.89"
    assert format_money(Decimal("0")) == "¥0.00"


def test_format_money_puts_the_minus_before_the_yuan_sign():
    assert format_money(Decimal("-1")) == "-¥1.00"


def test_format_wan_trims_trailing_zeros():
    assert format_wan(Decimal("5000000.00")) == "500"
    assert format_wan(Decimal("125000.00")) == "12.5"
    assert format_wan(Decimal("12345.67")) == "1.2346"
    assert format_wan(Decimal("0")) == "0"


def test_capitals_of_the_policy_example():
    assert rmb_capitals(Decimal("864197.52")) == "捌拾陆万肆仟壹佰玖拾柒元伍角贰分"


def test_capitals_of_whole_yuan_end_in_yuan_zheng():
    assert rmb_capitals(Decimal("5000000.00")) == "伍佰万元整"
    assert rmb_capitals(700000) == "柒拾万元整"


def test_capitals_accept_a_string_amount():
    assert rmb_capitals("1,234.50") == "壹仟贰佰叁拾肆元伍角"


def test_capitals_refuse_negative_amounts():
    with pytest.raises(ValueError):
        rmb_capitals(Decimal("-1.00"))


def test_capitals_refuse_more_than_two_decimals():
    with pytest.raises(ValueError):
        rmb_capitals(Decimal("1.005"))


def test_capitals_refuse_float():
    with pytest.raises(TypeError):
        rmb_capitals(1.5)


def test_parse_ratio_quantises_to_four_places():
    assert str(parse_ratio("0.3")) == "0.3000"
    assert parse_ratio(Decimal("0.7")) == Decimal("0.7000")
    assert parse_ratio(1) == Decimal("1.0000")


@pytest.mark.parametrize("bad", ["-0.0001", "1.0001", "abc"])
def test_parse_ratio_refuses_values_outside_zero_to_one(bad):
    with pytest.raises(ValueError):
        parse_ratio(bad)


def test_parse_ratio_refuses_float():
    with pytest.raises(TypeError):
        parse_ratio(0.3)


def test_format_ratio_and_percent():
    assert format_ratio(Decimal("0.3")) == "0.3000"
    assert format_percent(Decimal("0.3")) == "30.00%"
    assert format_percent(Decimal("0.03")) == "3.00%"


def test_format_rate_keeps_two_to_four_places():
    assert format_rate(Decimal("3.6")) == "3.60%"
    assert format_rate(Decimal("3.455")) == "3.455%"
    assert format_rate(Decimal("3")) == "3.00%"


# ---- what a person or client types: refused, never rounded (issue 10) ----------------------------------

from eloan.domain.money import AMOUNT_PATTERN, RATE_PATTERN, RATIO_PATTERN, AmountError, parse_amount, parse_rate  # noqa: E402


@pytest.mark.parametrize("typed", ["1.005", "１００", "1_000", ".5", "1.", "1e3", "1e309", "inf", "NaN", "-1", "+1",
                                   "1" * 40, "1 000", "0x10", "", "   "])
def test_an_amount_not_written_as_yuan_to_the_fen_is_refused(typed):
    with pytest.raises(AmountError):
        parse_amount(typed)


@pytest.mark.parametrize("typed, expected", [("1234.56", "1234.56"), ("1,234.5", "1234.50"), ("0", "0.00"),
                                             ("999999999999999.99", "999999999999999.99"), (" 12 ", "12.00")])
def test_an_amount_written_plainly_is_read_exactly(typed, expected):
    assert str(parse_amount(typed)) == expected


def test_the_api_takes_no_thousands_separators():
    with pytest.raises(AmountError):
        parse_amount("1,234.50", grouping=False)


def test_each_refusal_says_what_to_change():
    with pytest.raises(AmountError, match="最多 2 位小数"):
        parse_amount("1.005")
    with pytest.raises(AmountError, match="半角数字"):
        parse_amount("１００")
    with pytest.raises(AmountError, match="整数部分最多 15 位") as too_big:
        parse_amount("1" * 16)
    assert too_big.value.out_of_range


def test_a_decimal_from_a_form_or_sheet_is_judged_by_its_value():
    assert parse_amount(Decimal("2.500")) == Decimal("2.50")
    with pytest.raises(AmountError):
        parse_amount(Decimal("2.505"))


@pytest.mark.parametrize("pattern, parse, good, bad", [
    (AMOUNT_PATTERN, lambda t: parse_amount(t, grouping=False), ["0.5", "12", "864197.52"], ["1.005", ".5", "1e3", "１"]),
    (RATE_PATTERN, parse_rate, ["3.45", "3", "99.9999"], ["3.45678", ".5", "100", "３"]),
    (RATIO_PATTERN, parse_ratio, ["0.3", "1", "1.0000", "0"], ["0.30005", "1.1", ".3", "2"]),
])
def test_the_published_pattern_and_the_parser_agree(pattern, parse, good, bad):
    import re

    for text in good:
        assert re.fullmatch(pattern, text)
        parse(text)
    for text in bad:
        assert not re.fullmatch(pattern, text)
        with pytest.raises(AmountError):
            parse(text)


def test_a_rate_is_refused_rather_than_rounded():
    with pytest.raises(AmountError, match="最多 4 位小数"):
        parse_rate("3.45678")
    assert parse_rate("3.6%") == Decimal("3.6")


def test_a_ratio_is_refused_rather_than_rounded():
    with pytest.raises(AmountError, match="最多 4 位小数"):
        parse_ratio("0.30005")
