"""Only administrators reach /admin (the auditor reads the audit log); others get the 403 page."""

from __future__ import annotations

import pytest

ADMIN_PAGES = [
    "/admin/users",
    "/admin/users/new",
    "/admin/policies",
    "/admin/policies/new",
    "/admin/lpr",
    "/admin/calendar",
    "/admin/audit",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_bank_user_gets_403_on_admin_pages(client, make_bank, make_user, login, url):
    make_bank(code="B001")
    make_user("teller", roles=("bank",), bank_code="B001")
    login("teller")

    response = client.get(url)

    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)


def test_bank_user_cannot_create_a_user_by_posting_the_form(client, make_bank, make_user, login):
    make_bank(code="B001")
    make_user("teller", roles=("bank",), bank_code="B001")
    login("teller")

    response = client.post(
        "/admin/users/new",
        data={"username": "intruder", "display_name": "x", "roles": ["admin"], "password": "Passw0rd!x"},
    )

    assert response.status_code == 403
    from eloan.services.users import find_user

    assert find_user("intruder") is None


def test_auditor_reads_the_audit_log_but_not_the_user_list(client, make_user, login):
    make_user("inspector", roles=("auditor",))
    login("inspector")

    assert client.get("/admin/audit").status_code == 200
    assert client.get("/admin/users").status_code == 403


def test_unknown_page_shows_chinese_404(client, admin):
    response = client.get("/admin/users/9999")

    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_api_paths_do_not_get_the_html_error_page(client, admin):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert "页面不存在" not in response.get_data(as_text=True)


def test_pages_carry_security_headers(client):
    response = client.get("/login")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_menu_shows_only_the_pages_of_the_users_roles(client, make_user, login):
    make_user("inspector", roles=("auditor",))

    html = login("inspector").get_data(as_text=True)

    assert "审计日志" in html
    assert "用户管理" not in html


def test_unexpected_error_on_a_page_shows_the_chinese_500_page(app, db):
    from werkzeug.exceptions import InternalServerError

    from eloan.web.errors import _http_error

    with app.test_request_context("/admin/users"):
        body, status = _http_error(InternalServerError())

    assert status == 500 and "系统出现错误" in body


def test_unexpected_error_on_an_api_path_is_left_to_the_api(app, db):
    from werkzeug.exceptions import InternalServerError

    from eloan.web.errors import _http_error

    with app.test_request_context("/api/v1/me"):
        response = _http_error(InternalServerError())

    assert "系统出现错误" not in str(getattr(response, "data", response))
