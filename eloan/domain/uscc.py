"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

Position 1 is the registration authority (9 = 市场监管/工商), position 2 the entity
type, 3–8 the administrative division, 9–17 the organisation code, 18 the check
character computed modulo 31 over the other 17 (POLICY.md §4 asks us to validate it).
"""

from __future__ import annotations

# I, O, S, V and Z are left out so they cannot be mistaken for 1, 0, 5, U and 2.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def normalise_uscc(s: str) -> str:
    """The stored form: surrounding blanks removed, upper case."""
    return s.strip().upper()


def check_character(first17: str) -> str:
    """The 18th character for the given first 17."""
    if len(first17) != LENGTH - 1:
        raise ValueError(f"need 17 characters, got {len(first17)}")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"invalid character {exc.args[0]!r}") from None
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with the code, in Chinese; None when it is valid.

    The code is normalised first, so a lower-case entry is judged by its content.
    """
    text = normalise_uscc(code)
    if not text:
        return "统一社会信用代码不能为空"
    if len(text) != LENGTH:
        return f"统一社会信用代码应为18位，当前为{len(text)}位"
    for position, ch in enumerate(text, start=1):
        if ch not in _VALUE:
            return f"统一社会信用代码第{position}位字符“{ch}”无效（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
    expected = check_character(text[:17])
    if text[17] != expected:
        return f"统一社会信用代码校验码错误：第18位应为“{expected}”，实际为“{text[17]}”"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None
