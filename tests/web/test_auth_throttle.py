"""Password guessing at the web login is slowed down (services/login_throttle.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from eloan import clock
from eloan.models import AuditEntry, LoginFailure
from eloan.services import login_throttle, users
from tests.fixtures.people import PASSWORD

WRONG = "wrong-Passw0rd"


def attempt(client, username, password=WRONG, address="192.0.2.10"):
    return client.post(
        "/login", data={"username": username, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def fail(client, username, times, address="192.0.2.10"):
    for _ in range(times):
        assert "用户名或密码不正确" in attempt(client, username, address=address).get_data(as_text=True)


@pytest.fixture()
def later(monkeypatch):
    """Move the one clock forward by a timedelta."""

    def move(by: timedelta):
        moved = clock.now() + by
        monkeypatch.setattr(clock, "now", lambda: moved)

    return move


def test_after_five_wrong_passwords_even_the_right_one_is_refused_without_checking_it(client, make_user, monkeypatch):
    make_user("zhang", roles=("zone",))
    fail(client, "zhang", login_throttle.ACCOUNT_LIMIT)
    checks = []
    monkeypatch.setattr(users, "verify_password", lambda *args: checks.append(args) or True)

    response = attempt(client, "zhang", PASSWORD)

    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "登录失败次数过多" in html and "请 15 分钟后再试" in html
    assert checks == [] and users.find_user("zhang").last_login_at is None
    assert client.get("/").status_code == 302


def test_the_lock_ends_by_itself_and_says_how_long_is_left(client, make_user, later):
    make_user("zhang", roles=("zone",))
    fail(client, "zhang", login_throttle.ACCOUNT_LIMIT)

    later(timedelta(minutes=11))
    assert "请 4 分钟后再试" in attempt(client, "zhang", PASSWORD).get_data(as_text=True)
    later(timedelta(minutes=15, seconds=1))
    assert attempt(client, "zhang", PASSWORD).headers["Location"] == "/"


def test_an_unknown_username_is_locked_the_same_way(client, make_user):
    """Otherwise the lock would tell which usernames exist."""
    fail(client, "nobody", login_throttle.ACCOUNT_LIMIT)

    assert "登录失败次数过多" in attempt(client, "NOBODY").get_data(as_text=True)


def test_a_successful_login_clears_the_accounts_failures(client, make_user, logout):
    make_user("zhang", roles=("zone",))
    fail(client, "zhang", login_throttle.ACCOUNT_LIMIT - 1)
    assert attempt(client, "zhang", PASSWORD).status_code == 302
    logout()

    fail(client, "zhang", login_throttle.ACCOUNT_LIMIT - 1)
    assert attempt(client, "zhang", PASSWORD).status_code == 302


def test_an_administrators_password_reset_lifts_the_lock(client, make_user):
    admin = make_user("root", roles=("admin",))
    zhang = make_user("zhang", roles=("zone",))
    fail(client, "zhang", login_throttle.ACCOUNT_LIMIT)

    users.reset_password(admin, zhang.id, "Temp-Passw0rd")

    assert attempt(client, "zhang", "Temp-Passw0rd").status_code == 302


def test_one_address_trying_many_usernames_is_stopped_but_others_still_log_in(client, make_user):
    make_user("zhang", roles=("zone",))
    for n in range(login_throttle.ADDRESS_LIMIT):
        fail(client, f"guess{n}", 1, address="198.51.100.7")

    assert "登录失败次数过多" in attempt(client, "zhang", PASSWORD, address="198.51.100.7").get_data(as_text=True)
    assert attempt(client, "zhang", PASSWORD, address="192.0.2.55").status_code == 302


def test_reaching_a_limit_is_written_to_the_audit_log_once(db, client, make_user):
    zhang = make_user("zhang", roles=("zone",))
    fail(client, "zhang", login_throttle.ACCOUNT_LIMIT)
    attempt(client, "zhang", PASSWORD)  # refused while locked: no new failure, no new entry

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.login_throttled")).all()
    assert [(e.object_type, e.object_id) for e in entries] == [("users", str(zhang.id))]
    assert entries[0].changes["address"] == "192.0.2.10"


def test_failures_older_than_the_window_are_pruned(db, client, make_user, later):
    fail(client, "zhang", 3)
    later(login_throttle.WINDOW + timedelta(seconds=1))
    fail(client, "zhang", 1)

    assert len(db.session.scalars(select(LoginFailure)).all()) == 1


def test_behind_a_proxy_the_forwarded_client_address_is_counted(app, db, client):
    from eloan import create_app

    behind_nginx = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "ELOAN_PROXIES": 1,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    behind_nginx.test_client().post(
        "/login", data={"username": "x", "password": WRONG}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    with behind_nginx.app_context():
        db.engine.dispose()
    # Without ELOAN_PROXIES the header is anybody's to forge and is ignored.
    client.post("/login", data={"username": "y", "password": WRONG}, headers={"X-Forwarded-For": "203.0.113.9"})

    addresses = dict(db.session.execute(select(LoginFailure.username, LoginFailure.address)).all())
    assert addresses == {"x": "203.0.113.9", "y": "127.0.0.1"}
