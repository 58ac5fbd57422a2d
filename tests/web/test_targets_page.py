"""The 年度目标 page (POLICY.md §15): the government's seven columns with 完成情况 as at the chosen date,
finance's set form keeping what was typed on error, the responsible unit's form, downloads, and who sees it."""

from __future__ import annotations

import html as htmlmod
import re

import pytest

from eloan.extensions import db
from eloan.models import TargetItem
from eloan.services import targets
from tests.fixtures.targets import TABLE


@pytest.fixture()
def table(targets_programme):
    targets.set_targets(targets_programme["finance"], 2024, TABLE)
    return targets_programme


def _text(response) -> str:
    return htmlmod.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_table_in_the_governments_columns_at_a_date(client, login, table):
    login("auditor")
    page = client.get("/targets/2024?as_of=2024-03-31")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    heads = re.findall(r"<th[^>]*>([^<]+)</th>", body.split('<table class="table targets">')[1])
    assert heads[:7] == ["序号", "年度奋斗目标", "年度工作目标", "责任单位", "完成情况", "存在问题", "下步打算"]
    text = _text(page)
    assert "新增贷款 180 万元，完成目标 300 万元的 60.0%（截至2024年3月31日）" in text
    assert "年度目标" in text and "设定2024年度目标" not in text  # the auditor reads only
    assert "本单位填写" not in text


def test_a_bad_as_of_date_is_said_and_kept(client, login, table):
    login("finance")
    page = client.get("/targets/2024?as_of=2025-02-30")
    assert "截至日期“2025-02-30”不是有效日期" in _text(page)
    assert 'value="2025-02-30"' in page.get_data(as_text=True)
    outside = client.get("/targets/2024?as_of=2025-01-01")
    assert "截至日期须在2024年内" in _text(outside)


def test_finance_sets_targets_and_a_bad_row_keeps_everything_typed(client, login, targets_programme):
    login("finance")
    form = client.get("/targets/2024/set")
    assert form.status_code == 200 and 'name="rows-2-goal_text"' in form.get_data(as_text=True)
    data = {
        "rows-0-metric": "new_loan_amount",
        "rows-0-target": "1.5",
        "rows-0-unit": "亿元",
        "rows-0-goal_text": "新增贷款1.5亿元",
        "rows-0-responsible": "fsc",
        "rows-1-metric": "new_loan_count",
        "rows-1-target": "12.5",
        "rows-1-goal_text": "新增贷款笔数",
        "rows-1-work_text": "走访企业",
        "rows-1-responsible": "zone",
        "rows-2-metric": "",
        "rows-2-goal_text": "",
    }
    refused = client.post("/targets/2024/set", data=data)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "第2行：目标笔数须为整数，“12.5”不是。" in _text(refused)
    assert 'value="12.5"' in body and "走访企业</textarea>" in body and 'value="1.5"' in body
    assert '<option value="亿元" selected>' in body and '<option value="new_loan_count" selected>' in body
    assert '<option value="zone" selected>' in body
    assert db.session.scalar(db.select(db.func.count(TargetItem.id))) == 0
    data["rows-1-target"] = "12"
    saved = client.post("/targets/2024/set", data=data, follow_redirects=True)
    assert "2024年度目标已保存，共 2 项。" in _text(saved)
    items = db.session.scalars(db.select(TargetItem).order_by(TargetItem.position)).all()
    assert [(i.metric, i.target) for i in items] == [("new_loan_amount", 150000000), ("new_loan_count", 12)]
    # Removing the first line with its 删除 box leaves the second as 序号 1.
    again = {
        f"rows-0-{k}": v
        for k, v in {
            "id": items[0].id,
            "metric": "new_loan_amount",
            "target": "150000000",
            "unit": "元",
            "goal_text": "x",
            "responsible": "fsc",
            "delete": "1",
        }.items()
    }
    again |= {
        f"rows-1-{k}": v
        for k, v in {
            "id": items[1].id,
            "metric": "new_loan_count",
            "target": "12",
            "goal_text": "新增贷款笔数",
            "responsible": "zone",
        }.items()
    }
    client.post("/targets/2024/set", data=again)
    left = db.session.scalars(db.select(TargetItem)).all()
    assert [(i.id, i.position) for i in left] == [(items[1].id, 1)]


def test_the_responsible_unit_fills_its_lines_and_sees_no_form_for_others(client, login, table):
    login("zone")
    page = _text(client.get("/targets/2024?as_of=2024-12-31"))
    assert "第 3 项：服务企业4户（经济开发区）" in page
    assert "第 1 项" not in page  # fsc's line
    item = db.session.scalars(db.select(TargetItem).where(TargetItem.metric == "enterprises_served")).one()
    done = client.post(
        f"/targets/2024/items/{item.id}/progress",
        data={"problems": "需求不足", "next_steps": "走访园区"},
        follow_redirects=True,
    )
    assert "存在问题和下步打算已保存。" in _text(done)
    other = db.session.scalars(db.select(TargetItem).where(TargetItem.metric == "new_loan_amount")).one()
    refused = client.post(f"/targets/2024/items/{other.id}/progress", data={"problems": "越权"})
    assert refused.status_code == 403 and "只有区金融服务中心的用户可以填写" in _text(refused)
    db.session.expire_all()
    assert (item.problems, other.problems) == ("需求不足", None)


def test_a_too_long_note_is_refused_keeping_it(client, login, table):
    login("zone")
    item = db.session.scalars(db.select(TargetItem).where(TargetItem.metric == "enterprises_served")).one()
    refused = client.post(
        f"/targets/2024/items/{item.id}/progress", data={"problems": "问" * 2001, "next_steps": "走访"}
    )
    assert refused.status_code == 422
    assert "存在问题不超过 2000 字（现 2001 字）" in _text(refused) and "走访</textarea>" in refused.get_data(
        as_text=True
    )


def test_downloads(client, login, table):
    login("fsc")
    xlsx = client.get("/targets/2024.xlsx?as_of=2024-12-31")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = client.get("/targets/2024.pdf?as_of=2024-12-31")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"


def test_menu_and_banks(client, login, as_user, table):
    login("industry")
    assert ">年度目标<" in client.get("/").get_data(as_text=True)
    as_user("teller")
    assert ">年度目标<" not in client.get("/").get_data(as_text=True)
    assert client.get("/targets/2024").status_code == 403
    as_user("zone")
    assert client.get("/targets/2024/set").status_code == 403


def test_the_set_form_shows_the_saved_targets_as_officials_write_them(client, login, table):
    login("fsc")
    body = client.get("/targets/2024/set").get_data(as_text=True)
    # 300 万元 back as 300 万元, 3 % as 3 %, ¥5,000,000 as 500 万元; the text line without a target.
    assert re.search(r'name="rows-0-target" value="300"', body)
    assert re.search(r'name="rows-4-target" value="500"', body)
    assert re.search(r'name="rows-5-target" value="3"', body)
    assert re.search(r'name="rows-7-target" value=""', body)
    assert 'name="rows-10-goal_text"' in body  # three blank lines to add to
