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
    assert Decimal("0.01") == CENT


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


@pytest.mark.parametrize(
    "typed",
    [
        "1.005",
        "１００",
        "1_000",
        ".5",
        "1.",
        "1e3",
        "1e309",
        "inf",
        "NaN",
        "-1",
        "+1",
        "1" * 40,
        "1 000",
        "0x10",
        "",
        "   ",
    ],
)
def test_an_amount_not_written_as_yuan_to_the_fen_is_refused(typed):
    with pytest.raises(AmountError):
        parse_amount(typed)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1234.56", "1234.56"),
        ("1,234.5", "1234.50"),
        ("0", "0.00"),
        ("999999999999999.99", "999999999999999.99"),
        (" 12 ", "12.00"),
    ],
)
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


@pytest.mark.parametrize(
    "pattern, parse, good, bad",
    [
        (
            AMOUNT_PATTERN,
            lambda t: parse_amount(t, grouping=False),
            ["0.5", "12", "864197.52"],
            ["1.005", ".5", "1e3", "１"],
        ),
        (RATE_PATTERN, parse_rate, ["3.45", "3", "99.9999"], ["3.45678", ".5", "100", "３"]),
        (RATIO_PATTERN, parse_ratio, ["0.3", "1", "1.0000", "0"], ["0.30005", "1.1", ".3", "2"]),
    ],
)
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


# ---- halfway values, zero, and what each refusal says (POLICY.md §3) -----------------------------------------

from eloan.domain.money import format_percent_precise, is_plain_number  # noqa: E402


def test_halfway_values_are_rounded_up_when_shown():
    assert format_wan(Decimal("0.50")) == "0.0001"  # 0.00005 万元
    assert format_ratio(Decimal("0.00005")) == "0.0001"
    assert format_percent(Decimal("0.00005")) == "0.01%"
    assert format_percent_precise(Decimal("0.0000005")) == "0.0001%"
    assert format_rate(Decimal("3.45665")) == "3.4567%"


def test_a_computed_ratio_just_above_three_percent_is_not_shown_as_three_percent():
    assert format_percent_precise(Decimal("0.030001")) == "3.0001%"
    assert format_percent_precise(Decimal("0.03")) == "3.0000%"


def test_a_tiny_negative_amount_in_wan_is_shown_as_zero_not_minus_zero():
    assert format_wan(Decimal("-0.40")) == "0"


def test_zero_yuan_and_amounts_under_one_yuan_in_capitals():
    assert rmb_capitals(Decimal("0.00")) == "零元整"
    assert rmb_capitals(Decimal("0.50")) == "伍角"


def test_the_full_width_comma_is_a_thousands_separator_too():
    assert to_money("1，234.50") == Decimal("1234.50")


def test_a_refused_value_is_named_in_the_error():
    with pytest.raises(TypeError, match="^amount must not be a float"):
        to_money(1.5)
    with pytest.raises(TypeError, match="^amount must not be a float"):
        rmb_capitals(1.5)
    with pytest.raises(TypeError, match="^total must not be a float"):
        split(1.5, Decimal("0.5"))
    with pytest.raises(TypeError, match="^ratio must not be a float"):
        split(Decimal("1.00"), 0.5)
    with pytest.raises(TypeError, match="^ratio must not be a float"):
        format_ratio(0.5)
    with pytest.raises(TypeError, match="^ratio must not be a float"):
        format_percent(0.5)
    with pytest.raises(TypeError, match="^ratio must not be a float"):
        format_percent_precise(0.5)
    with pytest.raises(TypeError, match="^rate must not be a float"):
        format_rate(3.5)


def test_a_decimal_from_a_sheet_is_read_by_its_value_whatever_its_exponent():
    assert parse_amount(Decimal("1000")) == Decimal("1000.00")
    assert parse_amount(Decimal("1E+3")) == Decimal("1000.00")
    assert parse_amount(Decimal("2.000")) == Decimal("2.00")


def test_an_amount_refusal_says_exactly_what_to_change():
    def message(typed, what="贷款金额"):
        with pytest.raises(AmountError) as exc:
            parse_amount(typed, what)
        return str(exc.value), exc.value.out_of_range

    generic = "贷款金额“{}”不是有效的数字：只能用数字 0–9 和一个小数点，小数点前后都要有数字，最多 2 位小数。"
    assert message(None) == ("贷款金额不能为空。", False)
    assert message("  ") == ("贷款金额不能为空。", False)
    assert message("-1") == ("贷款金额不能为负数。", False)
    assert message("1.005") == ("贷款金额“1.005”最多 2 位小数，请改正后再提交（系统不会自动四舍五入）。", False)
    assert message("1.") == (generic.format("1."), False)
    assert message("1.2x3") == (generic.format("1.2x3"), False)
    assert message("１００") == ("贷款金额“１００”含全角或其他非半角字符，请用半角数字 0–9 和小数点填写。", False)
    assert message("1234567890123456.5") == ("贷款金额超出范围：整数部分最多 15 位。", True)
    # Fifteen integer digits fit; the three decimals are what is wrong.
    assert message("123456789012345.678") == (
        "贷款金额“123456789012345.678”最多 2 位小数，请改正后再提交（系统不会自动四舍五入）。",
        False,
    )


def test_a_rate_is_above_zero_and_below_one_hundred_percent():
    assert parse_rate("0.5") == Decimal("0.5")
    assert str(parse_rate(Decimal("2.90"))) == "2.90"  # as given, trailing zero kept
    for typed in ("0", "0.0000"):
        with pytest.raises(AmountError, match="^年利率须大于 0。$") as exc:
            parse_rate(typed, "年利率")
        assert exc.value.out_of_range
    for typed in ("100", "100.5", "250"):
        with pytest.raises(AmountError, match="^年利率须小于 100（单位：%）。$") as exc:
            parse_rate(typed, "年利率")
        assert exc.value.out_of_range
    with pytest.raises(AmountError, match="^年利率“3,45”不是有效的数字") as exc:
        parse_rate("3,45", "年利率")  # a comma is not a decimal point
    assert not exc.value.out_of_range
    with pytest.raises(AmountError, match="^年利率“007.1234”不是有效的数字"):
        parse_rate("007.1234", "年利率")


def test_a_ratio_over_one_says_so_and_other_refusals_say_what_is_wrong():
    for typed in ("2", "1.5"):
        with pytest.raises(
            AmountError, match=f"^损失承担比例必须在 0 与 1 之间（如 0.3000 表示 30%），“{typed}”超出范围。$"
        ) as exc:
            parse_ratio(typed, "损失承担比例")
        assert exc.value.out_of_range
    with pytest.raises(AmountError, match="^损失承担比例“1.00000”最多 4 位小数") as exc:
        parse_ratio("1.00000", "损失承担比例")
    assert not exc.value.out_of_range
    with pytest.raises(AmountError, match="^损失承担比例“00.3000”不是有效的数字"):
        parse_ratio("00.3000", "损失承担比例")
    with pytest.raises(AmountError, match="^损失承担比例“0,3”不是有效的数字"):
        parse_ratio("0,3", "损失承担比例")


def test_an_amount_error_is_a_format_error_unless_said_otherwise():
    assert AmountError("x").out_of_range is False


@pytest.mark.parametrize(
    "typed, plain",
    [
        ("1234", True),
        ("-12.5", True),
        ("1,234.50", True),
        (" 7 ", True),
        ("1_000", False),
        ("１００", False),
        (".5", False),
        ("1e3", False),
        ("1.", False),
        ("", False),
    ],
)
def test_a_plain_number_is_digits_with_at_most_one_dot_between_them(typed, plain):
    assert is_plain_number(typed) is plain


def test_an_empty_rate_or_ratio_names_the_field():
    with pytest.raises(AmountError, match="^年利率不能为空。$"):
        parse_rate(None, "年利率")
    with pytest.raises(AmountError, match="^损失承担比例不能为空。$"):
        parse_ratio(None, "损失承担比例")


def test_split_by_the_whole_and_by_nothing_are_allowed():
    # A bank bearing 100 % (the fund nothing) or 0 % are the ends of the range, not errors.
    assert split(Decimal("100.00"), Decimal("1")) == (Decimal("100.00"), Decimal("0.00"))
    assert split(Decimal("100.00"), Decimal("0")) == (Decimal("0.00"), Decimal("100.00"))
