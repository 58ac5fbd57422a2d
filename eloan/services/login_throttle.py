"""Slowing down password guessing at the web login.

After too many wrong passwords for one username, or from one address, within a window, further attempts
are refused without looking at the password, until the oldest of those failures leaves the window: the
lock ends by itself, nobody can shut a user out for good. The failures are rows in the database, so
every gunicorn worker counts the same ones. The API takes bearer tokens, not passwords, so only the web
login passes here.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from eloan import clock
from eloan.domain.calendar import in_shanghai
from eloan.extensions import db
from eloan.models import LoginFailure, User
from eloan.services import audit

# 15 minutes: long enough that guessing runs at a few tries per quarter hour, short enough that a
# colleague who mistyped need not call the administrator.
WINDOW = timedelta(minutes=15)
# 5 per username: nobody mistypes their own password more often than that in a row; 5 guesses per
# 15 minutes is about 500 a day, hopeless against a password that passes passwords.password_problem.
ACCOUNT_LIMIT = 5
# 20 per address: one person trying several usernames, or a few people behind one office gateway,
# still get in; a guesser going through many usernames from one machine is stopped.
ADDRESS_LIMIT = 20


class LoginThrottled(Exception):
    """Too many failed logins: try again in `minutes`."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes

    @property
    def message(self) -> str:
        return f"登录失败次数过多，已暂时锁定。请 {self.minutes} 分钟后再试；如忘记密码，请联系系统管理员重置。"


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:64]


def _address(address: str | None) -> str:
    return (address or "-")[:64]


def _minutes_until_free(column, value: str, limit: int, now: datetime) -> int:
    """0 if fewer than `limit` failures for `value` in the window; else the minutes until one drops out."""
    times = db.session.scalars(
        select(LoginFailure.at)
        .where(column == value, LoginFailure.at > now - WINDOW)
        .order_by(LoginFailure.at.desc())
        .limit(limit)
    ).all()
    if len(times) < limit:
        return 0
    free_at = in_shanghai(times[-1]) + WINDOW
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def check(username: str | None, address: str) -> None:
    """Raise LoginThrottled if this username or this address has failed too often lately."""
    now = clock.now()
    minutes = max(
        _minutes_until_free(LoginFailure.username, _key(username), ACCOUNT_LIMIT, now),
        _minutes_until_free(LoginFailure.address, _address(address), ADDRESS_LIMIT, now),
    )
    if minutes:
        raise LoginThrottled(minutes)


def _count(column, value: str, now: datetime) -> int:
    return db.session.scalar(select(func.count()).where(column == value, LoginFailure.at > now - WINDOW))


def record_failure(username: str | None, address: str) -> None:
    """Count a failed login; the failure that reaches a limit is written to the audit log."""
    now = clock.now()
    key, address = _key(username), _address(address)
    # Rows past the window count for nothing: pruned here, so the table stays a few rows long.
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    db.session.add(LoginFailure(username=key, address=address, at=now))
    db.session.flush()
    if _count(LoginFailure.username, key, now) == ACCOUNT_LIMIT:
        user = db.session.scalars(select(User).where(func.lower(User.username) == key)).first()
        audit.record(
            None,
            "user.login_throttled",
            user,
            {
                "username": key,
                "address": address,
                "failures": ACCOUNT_LIMIT,
                "minutes": int(WINDOW.total_seconds() // 60),
            },
            object_type="users",
            object_id=None if user else key,
        )
    if _count(LoginFailure.address, address, now) == ADDRESS_LIMIT:
        audit.record(
            None,
            "login.address_throttled",
            None,
            {"address": address, "failures": ADDRESS_LIMIT, "minutes": int(WINDOW.total_seconds() // 60)},
            object_type="address",
            object_id=address,
        )
    db.session.commit()


def clear_account(username: str | None) -> None:
    """Forget the username's failures (after a successful login or a reset by the administrator).
    The caller commits."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username)))
