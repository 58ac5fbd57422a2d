"""The audit log page lists what the administrator's writes recorded, newest first."""

from __future__ import annotations

from datetime import date

from eloan.services import reference as refdata
from eloan.services import users
from tests.fixtures.people import PASSWORD


def test_audit_page_lists_the_entries_made_by_admin_writes(client, admin, make_user, page):
    user = make_user("zhao", roles=("zone",))
    client.post("/admin/lpr", data={"effective_from": "2025-12-22", "rate_1y_percent": "2.95"})
    client.post("/admin/calendar/day", data={"day": "2030-10-01", "kind": "holiday", "note": "国庆节"})
    client.post("/admin/calendar/2030/loaded", data={"loaded": "1"})
    client.post(f"/admin/users/{user.id}/password", data={"password": "Reset-5678x", "confirm": "Reset-5678x"})

    html = page("/admin/audit")

    for label in ("保存LPR利率", "设置日历安排", "标记年度安排已载入", "重置密码"):
        assert label in html
    assert html.index("重置密码") < html.index("保存LPR利率")  # newest first
    assert "国庆节" in html and "2.95" in html


def test_audit_page_shows_a_change_as_before_and_after(client, admin, make_user, page):
    user = make_user("zhao", roles=("zone",), display_name="赵六")
    client.post(f"/admin/users/{user.id}", data={"display_name": "赵六（开发区）", "roles": ["zone"], "bank": ""})

    html = page("/admin/audit?object_type=users")

    assert "赵六 → 赵六（开发区）" in html


def test_audit_page_filters_by_object(client, admin, page):
    refdata.set_calendar_day(admin, date(2030, 10, 1), False, "国庆节")
    refdata.set_calendar_day(admin, date(2030, 10, 2), False, "国庆节")

    html = page("/admin/audit?object_type=calendar_days&object_id=2030-10-02")

    assert "共 1 条记录" in html and "2030-10-02" in html


def test_audit_page_filters_by_actor(client, admin, make_user, page):
    make_user("zhao", roles=("zone",))
    users.authenticate("zhao", "wrong")  # no entry
    users.authenticate("zhao", PASSWORD)

    html = page("/admin/audit?actor=zhao")

    assert "共 1 条记录" in html and "登录" in html


def test_audit_page_is_paginated(client, admin, page):
    for day in range(1, 29):
        refdata.set_calendar_day(admin, date(2030, 2, day), True)
        refdata.set_calendar_day(admin, date(2030, 3, day), True)

    first = page("/admin/audit")
    second = page("/admin/audit?page=2")

    assert "第 1 / 2 页" in first and "下一页" in first
    assert "2030-02-01" in second and "2030-02-01" not in first
