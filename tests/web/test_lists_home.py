"""The home page lists what waits on the user in the recommended list (第十条)."""

from __future__ import annotations

import pytest

from eloan.services import enterprises, lists
from tests.fixtures.registry import data, uscc


@pytest.fixture()
def draft(reference, today, make_user):
    today("2024-06-03")
    people = {r: make_user(r, roles=(r,)) for r in ("zone", "industry", "fsc")}
    enterprises.create(people["zone"], data(1))
    batch = lists.create_batch(people["zone"], number="2024年第1批")
    lists.add_entry(people["zone"], batch.id, uscc(1), "1000000.00")
    return people, batch


def test_a_department_sees_a_batch_waiting_for_its_confirmation(client, draft, login):
    html = login("industry").get_data(as_text=True)

    assert "推荐名单“2024年第1批”待行业主管部门确认" in html


def test_a_confirmed_unit_no_longer_sees_the_batch_as_waiting(client, draft, login):
    people, batch = draft
    lists.confirm(people["fsc"], batch.id)

    html = login("fsc").get_data(as_text=True)

    assert "待区金融服务中心确认" not in html


def test_the_zone_sees_a_returned_batch_with_the_reason(client, draft, login):
    people, batch = draft
    lists.return_batch(people["industry"], batch.id, "请核实企业规模")

    html = login("zone").get_data(as_text=True)

    assert "推荐名单“2024年第1批”被行业主管部门退回，待修改" in html and "请核实企业规模" in html


def test_the_zone_sees_a_confirmed_batch_waiting_to_be_issued(client, draft, login):
    people, batch = draft
    for role in ("zone", "industry", "fsc"):
        lists.confirm(people[role], batch.id)

    html = login("zone").get_data(as_text=True)

    assert "推荐名单“2024年第1批”已经三方确认，待发布" in html and "今天没有有效的推荐企业名单" in html
