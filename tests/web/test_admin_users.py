"""Administrators manage users through the forms; every write goes through services.users."""

from __future__ import annotations

from eloan.services.users import find_user, tokens_of
from tests.fixtures.people import PASSWORD

NEW_USER = {
    "username": "zhao",
    "display_name": "赵六（工信局）",
    "roles": ["industry"],
    "bank": "",
    "password": "Start-1234x",
    "must_change_password": "y",
}


def test_admin_creates_a_user_and_sees_it_listed(client, admin):
    response = client.post("/admin/users/new", data=NEW_USER, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert response.request.path == "/admin/users"
    assert "已创建用户 zhao" in html
    assert "赵六（工信局）" in html and "行业主管部门" in html
    assert find_user("zhao").roles == ["industry"]


def test_bank_role_without_a_bank_comes_back_with_the_message_beside_bank(client, admin, beside):
    data = dict(NEW_USER, roles=["bank"], bank="")

    response = client.post("/admin/users/new", data=data)

    html = response.get_data(as_text=True)
    assert beside(html, "bank") == ["合作银行用户必须指定所属银行"]
    assert 'value="zhao"' in html and 'value="赵六（工信局）"' in html
    assert 'checked id="roles-4" name="roles" type="checkbox" value="bank"' in html
    assert find_user("zhao") is None


def test_duplicate_username_comes_back_with_the_message_beside_username(client, admin, make_user, beside):
    make_user("zhao", roles=("zone",))

    response = client.post("/admin/users/new", data=NEW_USER)

    html = response.get_data(as_text=True)
    assert beside(html, "username") == ["用户名 zhao 已被使用，请换一个。"]
    assert 'value="赵六（工信局）"' in html


def test_user_without_any_role_is_refused_beside_roles(client, admin, beside):
    response = client.post("/admin/users/new", data=dict(NEW_USER, roles=[]))

    assert beside(response.get_data(as_text=True), "roles") == ["至少需要一个角色"]


def test_admin_creates_a_bank_user_of_a_bank(client, admin, make_bank):
    make_bank(code="B001", name="台儿庄农商银行")

    client.post("/admin/users/new", data=dict(NEW_USER, roles=["bank"], bank="B001"))

    assert find_user("zhao").bank.name == "台儿庄农商银行"


def test_admin_changes_a_users_roles(client, admin, make_user):
    user = make_user("zhao", roles=("zone",))

    response = client.post(
        f"/admin/users/{user.id}",
        data={"display_name": "赵六", "roles": ["zone", "fsc"], "bank": ""},
        follow_redirects=True,
    )

    assert "已保存用户 zhao 的信息" in response.get_data(as_text=True)
    assert find_user("zhao").roles == ["fsc", "zone"]


def test_admin_gives_a_user_an_email_address_for_notices_and_can_clear_it(client, admin, make_user, page):
    client.post("/admin/users/new", data=dict(NEW_USER, email="zhao@example.gov.cn"))
    user = find_user("zhao")
    assert user.email == "zhao@example.gov.cn"
    assert 'value="zhao@example.gov.cn"' in page(f"/admin/users/{user.id}")

    client.post(
        f"/admin/users/{user.id}", data={"display_name": "赵六", "roles": ["industry"], "bank": "", "email": ""}
    )

    assert find_user("zhao").email is None


def test_a_malformed_email_is_refused_beside_the_field_with_the_form_kept(client, admin, make_user, beside):
    response = client.post("/admin/users/new", data=dict(NEW_USER, email="zhao@example"))

    html = response.get_data(as_text=True)
    assert "格式不对" in " ".join(beside(html, "email"))
    assert 'value="zhao@example"' in html and 'value="赵六（工信局）"' in html
    assert find_user("zhao") is None
    user = make_user("qian", roles=("zone",), email="qian@example.gov.cn")

    html = client.post(
        f"/admin/users/{user.id}",
        data={"display_name": "钱七", "roles": ["zone"], "bank": "", "email": "qian at example"},
    ).get_data(as_text=True)

    assert "格式不对" in " ".join(beside(html, "email")) and 'value="qian at example"' in html
    assert find_user("qian").email == "qian@example.gov.cn"


def test_admin_resets_a_password_and_the_user_must_change_it(client, admin, make_user, login, logout):
    user = make_user("zhao", roles=("zone",))

    response = client.post(
        f"/admin/users/{user.id}/password",
        data={"password": "Reset-5678x", "confirm": "Reset-5678x"},
        follow_redirects=True,
    )
    assert "已重置 zhao 的密码" in response.get_data(as_text=True)
    logout()

    assert login("zhao", password="Reset-5678x").request.path == "/account/password"


def test_weak_reset_password_is_shown_beside_the_field(client, admin, make_user, beside):
    user = make_user("zhao", roles=("zone",))

    response = client.post(f"/admin/users/{user.id}/password", data={"password": "short", "confirm": "short"})

    assert beside(response.get_data(as_text=True), "password") == ["密码至少需要 10 个字符（现在 5 个），请加长。"]


def test_disabled_user_cannot_log_in_afterwards(client, admin, make_user, login, logout):
    user = make_user("zhao", roles=("zone",))

    response = client.post(f"/admin/users/{user.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "已停用用户 zhao" in response.get_data(as_text=True)
    logout()

    assert "用户名或密码不正确" in login("zhao").get_data(as_text=True)


def test_admin_cannot_disable_own_account(client, admin):
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)

    assert "不能停用自己的账户" in response.get_data(as_text=True)
    assert find_user("admin").active


def test_new_api_token_is_shown_once(client, admin, make_user):
    user = make_user("core", roles=("zone",))

    response = client.post(f"/admin/users/{user.id}/tokens", data={"name": "核心系统对接"})

    html = response.get_data(as_text=True)
    token = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert token.startswith("eln_")
    assert "不会再显示" in html
    assert response.headers["Cache-Control"] == "no-store"
    later = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert token not in later and "核心系统对接" in later


def test_admin_revokes_an_api_token(client, admin, make_user, token_for):
    user = make_user("core", roles=("zone",))
    token_for("core")
    token = tokens_of(user.id)[0]

    response = client.post(f"/admin/users/{user.id}/tokens/{token.id}/revoke", follow_redirects=True)

    assert "令牌已吊销" in response.get_data(as_text=True)
    assert tokens_of(user.id)[0].revoked_at is not None


def test_user_list_shows_roles_bank_state_and_last_login(client, admin, make_bank, make_user, page):
    make_bank(code="B001", name="台儿庄农商银行")
    make_user("teller", roles=("bank",), bank_code="B001")

    html = page("/admin/users")

    assert "台儿庄农商银行" in html and "合作银行" in html and "系统管理员" in html
    assert "正常" in html


def test_password_is_never_echoed_back_in_a_failed_form(client, admin):
    response = client.post("/admin/users/new", data=dict(NEW_USER, roles=[], password=PASSWORD))

    assert PASSWORD not in response.get_data(as_text=True)
