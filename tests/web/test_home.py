"""The home page: a section for every role the user holds, with the figures known today."""

from __future__ import annotations

import pytest

from eloan.domain.roles import ROLES


def test_home_warns_when_no_policy_is_in_force_today(client, admin, reference, today, page):
    today("2026-06-01")

    html = page("/")

    assert "今天没有有效的政策版本" in html
    assert "2026年6月1日不在任何政策版本的有效期内" in html


def test_home_shows_the_version_in_force_without_warning(client, admin, reference, today, page):
    today("2024-09-27")

    html = page("/")

    assert "今天没有有效的政策版本" not in html
    assert "TZ-2023-9" in html


def test_admin_home_shows_latest_lpr_and_calendar_years(client, admin, reference, today, page):
    today("2024-09-27")

    html = page("/")

    assert "3.00%" in html and "2025年5月20日" in html
    assert "2024年安排" in html and "已载入" in html


def test_admin_home_warns_that_next_year_is_provisional_when_not_loaded(client, admin, today, page):
    today("2031-03-01")

    html = page("/")

    assert "2032年安排" in html and "跨年期限为临时期限" in html


@pytest.mark.parametrize("role", [r for r in ROLES if r != "bank"])
def test_each_government_role_home_page_renders(client, make_user, login, role):
    make_user("someone", roles=(role,))

    response = login("someone")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="role-{role}"' in html and ROLES[role] in html


def test_bank_home_page_shows_own_bank_name_and_status(client, make_bank, make_user, login):
    make_bank(code="B001", name="台儿庄农商银行", status="suspended")
    make_bank(code="B002", name="另一家银行")
    make_user("teller", roles=("bank",), bank_code="B001")

    html = login("teller").get_data(as_text=True)

    assert "台儿庄农商银行" in html and "暂停" in html
    assert "另一家银行" not in html


def test_user_with_several_roles_sees_a_section_for_each(client, make_user, login):
    make_user("multi", roles=("zone", "industry", "finance"))

    html = login("multi").get_data(as_text=True)

    assert 'id="role-zone"' in html and 'id="role-industry"' in html and 'id="role-finance"' in html
    assert 'id="role-admin"' not in html


def test_auditor_home_lists_recent_audit_entries(client, make_user, login):
    make_user("inspector", roles=("auditor",))

    html = login("inspector").get_data(as_text=True)

    assert "最近的操作记录" in html and "登录" in html
