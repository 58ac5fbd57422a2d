"""Logging in and out (web/auth.py)."""

from __future__ import annotations

import pytest

from eloan.services.users import find_user
from tests.fixtures.people import PASSWORD


def test_login_with_right_password_opens_home_page(client, make_user, login):
    make_user("zhang", roles=("zone",), display_name="张三")

    response = login("zhang")

    assert response.status_code == 200
    assert response.request.path == "/"
    assert "张三" in response.get_data(as_text=True)


def test_login_with_wrong_password_shows_one_message_and_keeps_username(client, make_user):
    make_user("zhang", roles=("zone",))

    response = client.post("/login", data={"username": "zhang", "password": "wrong-pass1"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "用户名或密码不正确" in html
    assert "未能登录" in html and "未能保存" not in html  # a login saves nothing: the heading says what failed
    assert 'value="zhang"' in html
    assert "wrong-pass1" not in html


def test_login_with_unknown_username_shows_the_same_message(client, make_user):
    response = client.post("/login", data={"username": "nobody", "password": PASSWORD})

    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_disabled_user_cannot_log_in(client, make_user, db):
    user = make_user("li", roles=("finance",))
    user.active = False
    db.session.commit()

    response = client.post("/login", data={"username": "li", "password": PASSWORD})

    assert "用户名或密码不正确" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(client, make_user, login, logout):
    make_user("zhang", roles=("zone",))
    login("zhang")

    response = logout()

    assert response.request.path == "/login"
    assert "您已安全退出系统" in response.get_data(as_text=True)
    home = client.get("/")
    assert home.status_code == 302 and "/login" in home.headers["Location"]


def test_logout_by_get_is_not_allowed(client, make_user, login):
    make_user("zhang", roles=("zone",))
    login("zhang")

    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_login_post_without_csrf_token_is_refused_and_changes_nothing(csrf_client, make_user):
    make_user("zhang", roles=("zone",))

    response = csrf_client.post("/login", data={"username": "zhang", "password": PASSWORD})

    assert response.status_code == 400
    assert "请求无效" in response.get_data(as_text=True)
    assert find_user("zhang").last_login_at is None
    assert csrf_client.get("/").status_code == 302


def test_login_with_csrf_token_from_the_form_works(csrf_client, make_user):
    make_user("zhang", roles=("zone",))
    html = csrf_client.get("/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]

    response = csrf_client.post("/login", data={"username": "zhang", "password": PASSWORD, "csrf_token": token})

    assert response.status_code == 302
    assert csrf_client.get("/").status_code == 200


def test_anonymous_visitor_is_sent_to_login_with_chinese_message(client):
    response = client.get("/admin/users", follow_redirects=True)

    assert response.request.path == "/login"
    assert "请先登录系统" in response.get_data(as_text=True)


def test_login_returns_to_the_page_asked_for(client, make_user):
    make_user("admin", roles=("admin",))

    response = client.post("/login?next=/admin/users", data={"username": "admin", "password": PASSWORD})

    assert response.headers["Location"] == "/admin/users"


def test_login_never_redirects_to_another_site(client, make_user):
    make_user("admin", roles=("admin",))

    response = client.post("/login?next=//evil.example/x", data={"username": "admin", "password": PASSWORD})

    assert response.headers["Location"] == "/"


def test_user_whose_password_was_reset_is_sent_to_change_it(client, make_user, login):
    make_user("zhang", roles=("zone",), must_change_password=True)

    response = login("zhang")

    assert response.request.path == "/account/password"
    assert client.get("/").headers["Location"].endswith("/account/password")


def test_changing_own_password_lets_the_user_in_with_the_new_one(client, make_user, login, logout):
    make_user("zhang", roles=("zone",), must_change_password=True)
    login("zhang")

    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "NewPassw0rd", "confirm": "NewPassw0rd"},
        follow_redirects=True,
    )
    assert response.request.path == "/"
    logout()
    assert login("zhang", password="NewPassw0rd").request.path == "/"


def test_wrong_current_password_is_shown_beside_its_field(client, make_user, login, beside):
    make_user("zhang", roles=("zone",))
    login("zhang")

    response = client.post(
        "/account/password", data={"current": "nope-nope1", "password": "NewPassw0rd", "confirm": "NewPassw0rd"}
    )

    assert beside(response.get_data(as_text=True), "current") == ["当前密码不正确。"]


def test_session_cookie_is_http_only_and_not_sent_cross_site(client, make_user):
    make_user("alice", roles=("zone",))
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_setting_marks_the_session_cookie_secure(app, client, make_user):
    make_user("alice", roles=("zone",))
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie


@pytest.mark.parametrize(
    "next_url",
    [
        "/%09/evil.example",  # browsers drop the tab: //evil.example
        "/%0a/evil.example",
        "/%0d%0a/x",
        "/%0a/x",
        "/%5Cevil.example",  # a backslash is read as a slash
        "/%20/evil.example",
        "%2F%2Fevil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/x%00y",
        "evil.example",
    ],
)
def test_login_never_redirects_to_another_site_however_the_address_is_disguised(client, make_user, next_url):
    make_user("admin", roles=("admin",))

    response = client.post(f"/login?next={next_url}", data={"username": "admin", "password": PASSWORD})

    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_keeps_the_query_of_the_page_asked_for(client, make_user):
    make_user("admin", roles=("admin",))

    response = client.post(
        "/login?next=%2Floans%3Fstatus%3Dnpl%26page%3D2", data={"username": "admin", "password": PASSWORD}
    )

    assert response.headers["Location"] == "/loans?status=npl&page=2"
