"""Users, roles, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import func, select

from eloan import clock
from eloan.domain.errors import NotFound, RuleViolation, Violation
from eloan.domain.roles import validate_roles
from eloan.extensions import db
from eloan.models import ApiToken, Bank, User, UserRole
from eloan.services import audit, login_throttle
from eloan.services.access import require
from eloan.services.passwords import dummy_hash, hash_password, needs_rehash, password_problem, verify_password

TOKEN_PREFIX = "eln_"
UNCHANGED = object()  # update_user: leave the e-mail address as it is


def _bank_by_code(code: str | None) -> Bank | None:
    if not code:
        return None
    bank = db.session.scalars(select(Bank).where(Bank.code == code)).first()
    if bank is None:
        raise RuleViolation([Violation("unknown_bank", f"银行代码 {code} 不存在。", field="bank")])
    return bank


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise RuleViolation([Violation("weak_password", problem, field="password")])


def list_users():
    return db.session.scalars(select(User).order_by(User.username)).all()


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    return user


def find_user(username: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.username) == username.lower())).first()


def _clean_email(email: str | None) -> tuple[str | None, list[Violation]]:
    """An address for e-mail copies of notifications, or None; a plain shape check, the mail server decides."""
    email = (email or "").strip() or None
    if email is not None and (len(email) > 200 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
        return email, [
            Violation(
                "invalid_email",
                f"电子邮箱“{email}”格式不对，应如 zhangsan@example.gov.cn；不需要邮件提醒可留空。",
                field="email",
            )
        ]
    return email, []


def create_user(
    actor,
    username: str,
    *,
    roles: list[str],
    password: str,
    display_name: str | None = None,
    bank_code: str | None = None,
    must_change_password: bool = False,
    email: str | None = None,
) -> User:
    """Create a user. `actor` None means the operator at the command line."""
    if actor is not None:
        require(actor, "system.manage")
    username = (username or "").strip()
    problems = []
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        problems.append(
            Violation("invalid_username", "用户名不能为空、不能含空格，且不超过 64 个字符。", field="username")
        )
    elif find_user(username) is not None:
        problems.append(Violation("username_taken", f"用户名 {username} 已被使用，请换一个。", field="username"))
    problems += validate_roles(roles, bank_code)
    email, email_problems = _clean_email(email)
    problems += email_problems
    problem = password_problem(password, username)
    if problem:
        problems.append(Violation("weak_password", problem, field="password"))
    if problems:
        raise RuleViolation(problems)
    bank = _bank_by_code(bank_code)
    user = User(
        username=username,
        display_name=(display_name or username).strip(),
        password_hash=hash_password(password),
        active=True,
        bank_id=bank.id if bank else None,
        must_change_password=must_change_password,
        email=email,
    )
    user.roles_rel = [UserRole(role=r) for r in sorted(set(roles))]
    db.session.add(user)
    audit.record(actor, "user.create", user, {"username": username, "roles": sorted(set(roles)), "bank": bank_code})
    db.session.commit()
    return user


def update_user(
    actor,
    user_id: int,
    *,
    display_name: str,
    roles: list[str],
    bank_code: str | None,
    email: str | object | None = UNCHANGED,
) -> User:
    require(actor, "system.manage")
    user = get_user(user_id)
    email, email_problems = (user.email, []) if email is UNCHANGED else _clean_email(email)
    problems = validate_roles(roles, bank_code) + email_problems  # every problem at once
    if problems:
        raise RuleViolation(problems)
    bank = _bank_by_code(bank_code)
    before = {
        "display_name": user.display_name,
        "roles": user.roles,
        "bank": user.bank.code if user.bank else None,
        "email": user.email,
    }
    if user.id == actor.id and "admin" not in roles:
        raise RuleViolation(
            [
                Violation(
                    "cannot_remove_own_admin", "不能取消自己的系统管理员角色，请由另一位管理员操作。", field="roles"
                )
            ]
        )
    user.display_name = display_name.strip() or user.username
    user.email = email
    user.bank_id = bank.id if bank else None
    existing = {r.role: r for r in user.roles_rel}
    user.roles_rel = [existing.get(r) or UserRole(role=r) for r in sorted(set(roles))]
    after = {"display_name": user.display_name, "roles": sorted(set(roles)), "bank": bank_code, "email": email}
    audit.record(actor, "user.update", user, audit.diff(before, after))
    db.session.commit()
    return user


def set_active(actor, user_id: int, active: bool) -> User:
    require(actor, "system.manage")
    user = get_user(user_id)
    if user.id == actor.id and not active:
        raise RuleViolation([Violation("cannot_disable_self", "不能停用自己的账户。")])
    user.active = active
    if not active:  # a disabled user's sessions and API tokens stop working at once
        _end_sessions(user)
        for token in db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at = clock.now()
    audit.record(actor, "user.enable" if active else "user.disable", user, {"active": active})
    db.session.commit()
    return user


def reset_password(actor, user_id: int, new_password: str) -> User:
    require(actor, "system.manage")
    user = get_user(user_id)
    _check_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = user.id != actor.id
    _end_sessions(user)  # whoever held the old password is logged out everywhere
    login_throttle.clear_account(user.username)  # and the user may log in at once with the new one
    audit.record(actor, "user.reset_password", user, {"must_change_password": user.must_change_password})
    db.session.commit()
    return user


def change_own_password(user: User, current: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current):
        raise RuleViolation([Violation("wrong_password", "当前密码不正确。", field="current")])
    _check_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    _end_sessions(user)  # a session opened elsewhere (perhaps by whoever knew the old password) ends
    audit.record(user, "user.change_password", user)
    db.session.commit()


def _end_sessions(user: User) -> None:
    """Every session of the user opened before now stops working (models.User.session_version)."""
    user.session_version = (user.session_version or 0) + 1


def end_sessions(user: User) -> None:
    """Logging out: ends this session and every copy of it, and the user's sessions in other browsers."""
    _end_sessions(user)
    db.session.commit()


def authenticate(username: str, password: str) -> User | None:
    """The user if the password is right and the account active; None otherwise (no hint which).

    One password check in every case, against a dummy hash for an unknown name: a disabled account or an
    unknown name answers as slowly as a wrong password, so timing reveals neither."""
    user = find_user((username or "").strip())
    right = verify_password(user.password_hash if user is not None else dummy_hash(), password or "")
    if user is None or not user.active or not right:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = clock.now()
    login_throttle.clear_account(user.username)
    audit.record(user, "user.login", user)
    db.session.commit()
    return user


def log_in(username: str, password: str, address: str) -> User | None:
    """The web login: authenticate, unless this username or address failed too often lately — then
    LoginThrottled, without looking at the password (the right one is refused too until the lock ends)."""
    login_throttle.check(username, address)
    user = authenticate(username, password)
    if user is None:
        login_throttle.record_failure(username, address)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, username: str, name: str | None = None) -> str:
    """A new API token for `username`; returns the token, which is never stored."""
    if actor is not None:
        require(actor, "system.manage")
    user = find_user(username)
    if user is None:
        raise RuleViolation([Violation("unknown_user", f"用户 {username} 不存在。", field="username")])
    if not user.active:
        raise RuleViolation([Violation("user_disabled", f"用户 {username} 已停用，不能发放令牌。")])
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    name = name or f"token-{clock.now():%Y%m%d%H%M%S}-{secrets.token_hex(2)}"
    record = ApiToken(user_id=user.id, name=name, token_hash=_token_hash(token), prefix=token[:10])
    db.session.add(record)
    audit.record(actor, "token.create", record, {"user": user.username, "name": name})
    db.session.commit()
    return token


def revoke_token(actor, token_id: int) -> None:
    require(actor, "system.manage")
    record = db.session.get(ApiToken, token_id)
    if record is None:
        raise NotFound("令牌不存在。")
    record.revoked_at = clock.now()
    audit.record(actor, "token.revoke", record)
    db.session.commit()


def user_for_token(token: str) -> User | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    record = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == _token_hash(token))).first()
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    return record.user


def tokens_of(user_id: int):
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())).all()
