"""A session ends at logout and when the password changes, copies of its cookie included (User.session_version)."""

from __future__ import annotations

import pytest
from flask import g, request_started
from flask_login.utils import encode_cookie

from eloan.services import users
from tests.fixtures.people import PASSWORD


@pytest.fixture()
def own_requests(app):
    """Each request loads its user afresh, as in production where every request has its own app context
    (the tests hold one app context, where Flask-Login would keep the first user it loaded)."""

    def forget_user(sender, **extra):
        g.pop("_login_user", None)

    request_started.connect(forget_user, app)
    yield
    request_started.disconnect(forget_user, app)


@pytest.fixture()
def copy_of(app):
    """Another browser holding a copy of `client`'s session cookie (stolen, or left on a shared computer)."""

    def copy(client):
        other = app.test_client()
        other.set_cookie("session", client.get_cookie("session").value)
        return other

    return copy


def logged_in(client) -> bool:
    """The own-password page opens for anyone logged in, even a user who must change the password."""
    return client.get("/account/password").status_code == 200


def test_a_copied_session_cookie_stops_working_at_logout(own_requests, client, copy_of, make_user, login, logout):
    make_user("zhang", roles=("zone",))
    login("zhang")
    thief = copy_of(client)
    assert logged_in(thief)

    response = logout()

    assert "所有浏览器和设备上的登录均已结束" in response.get_data(as_text=True)
    assert not logged_in(thief) and not logged_in(client)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(own_requests, client, copy_of, make_user, login):
    make_user("zhang", roles=("zone",))
    login("zhang")
    elsewhere = copy_of(client)

    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "NewPassw0rd-1", "confirm": "NewPassw0rd-1"},
        follow_redirects=True,
    )

    assert "其他浏览器和设备上的登录均已结束" in response.get_data(as_text=True)
    assert logged_in(client) and not logged_in(elsewhere)


def test_a_password_reset_by_the_administrator_ends_the_users_sessions(own_requests, client, make_user, login):
    admin = make_user("root", roles=("admin",))
    zhang = make_user("zhang", roles=("zone",))
    login("zhang")

    users.reset_password(admin, zhang.id, "Temp-Passw0rd")

    assert not logged_in(client)


def test_an_administrator_resetting_their_own_password_stays_logged_in(own_requests, client, copy_of, admin):
    elsewhere = copy_of(client)

    response = client.post(
        f"/admin/users/{admin.id}/password",
        data={"password": "Fresh-Keys-42x", "confirm": "Fresh-Keys-42x"},
        follow_redirects=True,
    )

    assert "已重置您自己的密码" in response.get_data(as_text=True)
    assert logged_in(client) and not logged_in(elsewhere)


def test_a_session_ended_by_disabling_the_user_stays_ended_when_the_user_is_enabled_again(
    own_requests, client, make_user, login
):
    admin = make_user("root", roles=("admin",))
    zhang = make_user("zhang", roles=("zone",))
    login("zhang")

    users.set_active(admin, zhang.id, False)
    assert not logged_in(client)
    users.set_active(admin, zhang.id, True)

    assert not logged_in(client)


def test_a_remember_me_cookie_is_bound_to_the_session_version_too(own_requests, app, make_user):
    zhang = make_user("zhang", roles=("zone",))
    browser = app.test_client()
    browser.set_cookie("remember_token", encode_cookie(zhang.get_id()))
    assert logged_in(browser)

    users.end_sessions(zhang)
    browser.delete_cookie("session")

    assert not logged_in(browser)


def test_a_session_from_before_the_upgrade_is_not_accepted(own_requests, app, make_user):
    zhang = make_user("zhang", roles=("zone",))
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(zhang.id)  # what Flask-Login kept before sessions had a version

    assert not logged_in(browser)
