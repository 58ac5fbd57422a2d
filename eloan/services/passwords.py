"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106), and what a password must be."""

from __future__ import annotations

import secrets
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# 10 rather than the common 8: the accounts move public money and a login is a password alone (no second
# factor), so each extra character multiplies an offline guesser's work; the login throttle
# (login_throttle.py) caps online guessing. Not more, so that people can still type it from memory.
MIN_LENGTH = 10
# A username this short (e.g. "li") appears by chance inside good passwords; only equality is refused then.
_MIN_USERNAME_TO_SEARCH = 3
_COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


_dummy: tuple[PasswordHasher, str] | None = None


def dummy_hash() -> str:
    """A hash of a random secret, made with the hasher in use: checking an unknown or disabled account's
    password against it costs what a real check costs, so the answer's timing tells nothing."""
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
    return _dummy[1]


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_common(password: str) -> bool:
    lowered = password.lower()
    # "Password1!" is as guessable as "password1": also try it without the symbols around it.
    return lowered in common_passwords() or lowered.strip(string.punctuation + " ") in common_passwords()


def password_problem(password: str, username: str | None = None) -> str | None:
    """What is wrong with a new password, in words the user can act on; None if it may be used."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符（现在 {len(password)} 个），请加长。"
    if password.isdigit() or password.isalpha():
        return "密码不能只有数字或只有字母，请同时使用字母和数字（或其他符号）。"
    name = (username or "").strip().lower()
    if name and (password.lower() == name or (len(name) >= _MIN_USERNAME_TO_SEARCH and name in password.lower())):
        return "密码不能包含用户名，请换一个。"
    if _is_common(password):
        return "这是常见密码，很容易被猜中，请换一个不常见的密码。"
    return None


def generate(prefix: str, usernames: tuple[str, ...] = ()) -> str:
    """A random initial password that passes password_problem for each of `usernames` (shown once, changed at
    first login); drawn again in the rare case that the random part spells one of the usernames."""
    while True:
        password = f"{prefix}-{secrets.token_urlsafe(9)}"
        if all(password_problem(password, name) is None for name in usernames or (None,)):
            return password
