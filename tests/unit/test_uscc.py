import pytest

from eloan.domain.uscc import check_character, is_valid_uscc, normalise_uscc, uscc_problem

# Published codes, checked by the algorithm: the GB 32100-2015 sample and two listed companies.
VALID = ["91350100M000100Y43", "91110108551385082Q", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_are_valid(code):
    assert is_valid_uscc(code)
    assert uscc_problem(code) is None


def test_check_character_of_the_standard_sample():
    assert check_character("91350100M000100Y4") == "3"


def test_check_character_can_be_a_letter():
    assert check_character("91110108551385082") == "Q"


def test_wrong_check_character_names_the_expected_one():
    assert not is_valid_uscc("91350100M000100Y44")
    assert uscc_problem("91350100M000100Y44") == "统一社会信用代码校验码错误：第18位应为“3”，实际为“4”"


def test_wrong_length_is_reported():
    assert uscc_problem("91350100M000100Y4") == "统一社会信用代码应为18位，当前为17位"


def test_empty_code_is_reported():
    assert uscc_problem("  ") == "统一社会信用代码不能为空"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_easily_confused_are_not_allowed(letter):
    code = "91350100M000100Y43".replace("M", letter)
    problem = uscc_problem(code)
    assert problem is not None and "第9位" in problem and letter in problem


def test_lower_case_and_blanks_are_normalised():
    assert normalise_uscc(" 91350100m000100y43\n") == "91350100M000100Y43"
    assert is_valid_uscc(" 91110108551385082q ")


def test_check_character_needs_seventeen_characters():
    with pytest.raises(ValueError):
        check_character("9135")


def test_a_code_whose_check_character_is_zero_is_valid():
    # 31 − (total mod 31) is 31 when the weighted sum is a multiple of 31: the check character is then 0.
    assert check_character("91370405MA000000E") == "0"
    assert is_valid_uscc("91370405MA000000E0")
