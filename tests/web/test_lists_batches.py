"""List batches through the pages (第九、十条): screening, a draft, three confirmations, return, issue."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from eloan.models import ListBatch, ListEntry
from eloan.services import enterprises, lists
from tests.fixtures.registry import data, uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def people(reference, today, make_user):
    today("2024-06-03")
    return {
        role: make_user(role, roles=(role,), display_name=name)
        for role, name in (("zone", "李开发"), ("industry", "王工信"), ("fsc", "陈金融"))
    }


def _draft(people, *numbers, amount="1000000.00"):
    for n in numbers:
        enterprises.create(people["zone"], data(n))
    batch = lists.create_batch(people["zone"])
    for n in numbers:
        lists.add_entry(people["zone"], batch.id, uscc(n), amount)
    return batch


def _flash(html: str) -> str:
    return " ".join(re.findall(r'<div class="flash[^"]*"[^>]*>(.*?)</div>', html, re.S))


def test_the_whole_batch_flow_through_the_pages(client, people, as_user):
    enterprises.create(people["zone"], data(1))
    as_user("zone")
    created = client.post("/lists/new", data={"number": "2024年第1批"}, follow_redirects=True).get_data(as_text=True)
    assert "已新建草稿批次“2024年第1批”。下一步" in _flash(created)
    batch_id = lists.list_batches(people["zone"])[0].id

    added = client.post(
        f"/lists/candidates?batch={batch_id}",
        data={"batch_id": batch_id, "uscc": uscc(1), "recommended_amount": "300"},
        follow_redirects=True,
    )
    assert "已将“枣庄测试1号科技有限公司”加入批次“2024年第1批”，推荐额度 300 万元" in _flash(
        added.get_data(as_text=True)
    )

    confirmed = client.post(f"/lists/{batch_id}/confirm", data={"confirm-role": "zone"}, follow_redirects=True)
    assert "经济开发区已确认批次“2024年第1批”。尚待行业主管部门、区金融服务中心确认" in _flash(
        confirmed.get_data(as_text=True)
    )
    as_user("industry")
    client.post(f"/lists/{batch_id}/confirm", data={"confirm-role": "industry"})
    as_user("fsc")
    returned = client.post(
        f"/lists/{batch_id}/return",
        data={"return-role": "fsc", "return-comment": "请补充企业联系人"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已以区金融服务中心名义退回批次“2024年第1批”" in _flash(returned)

    as_user("zone")
    page = client.get(f"/lists/{batch_id}").get_data(as_text=True)
    assert "本批次已被区金融服务中心退回" in page and "请补充企业联系人" in page and "陈金融" in page
    for role in ("zone", "industry", "fsc"):
        as_user(role)
        done = client.post(f"/lists/{batch_id}/confirm", data={"confirm-role": role}, follow_redirects=True)
    assert "三个单位均已确认，名单确认完成；下一步：由经济开发区填写生效日期并发布" in _flash(
        done.get_data(as_text=True)
    )

    as_user("zone")
    issued = client.post(f"/lists/{batch_id}/issue", data={"effective_from": "2024-06-03"}, follow_redirects=True)
    assert "批次“2024年第1批”已发布并下发各合作银行，自2024年6月3日起施行" in _flash(issued.get_data(as_text=True))
    assert lists.batch_in_force(date(2024, 6, 3)).id == batch_id


def test_candidates_come_a_before_b_before_c_then_by_tax_sales(client, people, as_user, page):
    for n, cls, sales in ((1, "C", "90000000"), (2, "A", "10000000"), (3, "B", "50000000"), (4, "A", "20000000")):
        enterprises.create(people["zone"], data(n, name=f"企业{n}", mu_class=cls, tax_sales=sales))
    as_user("industry")

    html = page("/lists/candidates")

    order = [html.index(f"企业{n}<") for n in (4, 2, 3, 1)]
    assert order == sorted(order)
    assert "加入</button>" not in html  # industry looks on, only zone adds


def test_candidates_already_in_the_draft_are_marked(client, people, as_user, page):
    batch = _draft(people, 1)
    enterprises.create(people["zone"], data(2))
    as_user("zone")

    html = page(f"/lists/candidates?batch={batch.id}")

    assert html.count("已加入本批次") == 1 and f"已在 {batch.number}（草稿）" in html
    assert f'id="amount-{uscc(2)}"' in html and f'id="amount-{uscc(1)}"' not in html


def test_an_amount_typed_in_wan_is_stored_in_yuan(client, people, as_user, db):
    enterprises.create(people["zone"], data(1))
    batch = lists.create_batch(people["zone"])
    as_user("zone")

    client.post("/lists/candidates", data={"batch_id": batch.id, "uscc": uscc(1), "recommended_amount": "12.5"})

    assert db.session.query(ListEntry).one().recommended_amount == Decimal("125000.00")


def test_an_amount_over_the_cap_comes_back_in_its_row_with_the_typed_value(client, people, as_user):
    enterprises.create(people["zone"], data(1))
    batch = lists.create_batch(people["zone"])
    as_user("zone")

    html = client.post(
        f"/lists/candidates?batch={batch.id}", data={"batch_id": batch.id, "uscc": uscc(1), "recommended_amount": "600"}
    ).get_data(as_text=True)

    row = html[html.index(f'id="c-{uscc(1)}"') :]
    row = row[: row.index("</tr>")]
    assert "推荐额度须大于零且不超过单户上限 ¥5,000,000.00" in row and 'value="600"' in row


def test_an_ineligible_enterprise_typed_by_code_is_refused_with_the_reasons(client, people, as_user):
    enterprises.create(people["zone"], data(1, mu_class="D"))
    batch = lists.create_batch(people["zone"])
    as_user("zone")

    html = client.post(f"/lists/{batch.id}/entries", data={"uscc": uscc(1), "recommended_amount": "100"}).get_data(
        as_text=True
    )

    assert "未能保存" in html and "D" in html and 'value="100"' in html


def test_a_return_without_a_comment_is_refused_beside_the_comment(client, people, as_user, db, beside):
    batch = _draft(people, 1)
    as_user("industry")

    html = client.post(f"/lists/{batch.id}/return", data={"return-role": "industry", "return-comment": ""}).get_data(
        as_text=True
    )

    assert beside(html, "return-comment") == ["退回须写明理由，以便开发区修改。"]
    assert db.session.get(ListBatch, batch.id).confirmations == []


def test_a_user_of_two_confirming_units_chooses_which_one_acts(client, people, make_user, as_user):
    batch = _draft(people, 1)
    make_user("both", roles=("industry", "fsc"))
    as_user("both")
    page = client.get(f"/lists/{batch.id}").get_data(as_text=True)
    assert '<select class="input" id="confirm-role" name="confirm-role"' in page

    response = client.post(f"/lists/{batch.id}/confirm", data={"confirm-role": "fsc"}, follow_redirects=True)

    assert "区金融服务中心已确认" in response.get_data(as_text=True)
    assert set(lists.active_confirmations(batch)) == {"fsc"}


def test_the_batch_page_shows_who_confirmed_and_when(client, people, as_user, page):
    batch = _draft(people, 1)
    lists.confirm(people["industry"], batch.id)
    as_user("fsc")

    html = page(f"/lists/{batch.id}")

    assert "王工信" in html and "已有 1 / 3 个单位确认" in html and "尚待经济开发区、区金融服务中心确认" in html
    assert "以<strong>区金融服务中心</strong>的名义确认本批次名单" in html
    assert '<input type="hidden" name="confirm-role" value="fsc">' in html


def test_changing_an_amount_clears_the_confirmations_given(client, people, as_user, db):
    batch = _draft(people, 1)
    lists.confirm(people["industry"], batch.id)
    entry = batch.entries[0]
    as_user("zone")
    form = client.get(f"/lists/{batch.id}/entries/{entry.id}").get_data(as_text=True)
    assert 'value="100"' in form

    response = client.post(
        f"/lists/{batch.id}/entries/{entry.id}",
        data={"recommended_amount": "200", "note": "扩产"},
        follow_redirects=True,
    )

    assert "此前的确认已失效" in response.get_data(as_text=True)
    assert (entry.recommended_amount, entry.note) == (Decimal("2000000.00"), "扩产")
    assert lists.active_confirmations(batch) == {}


def test_zone_removes_an_entry_from_a_draft(client, people, as_user, db):
    batch = _draft(people, 1, 2)
    as_user("zone")

    response = client.post(f"/lists/{batch.id}/entries/{batch.entries[0].id}/remove", follow_redirects=True)

    assert "已将“枣庄测试1号科技有限公司”移出批次" in response.get_data(as_text=True)
    assert [e.enterprise.uscc for e in db.session.get(ListBatch, batch.id).entries] == [uscc(2)]


def test_issuing_explains_the_date_and_defaults_to_today(client, people, as_user, page):
    batch = _draft(people, 1)
    for role in ("zone", "industry", "fsc"):
        lists.confirm(people[role], batch.id)
    as_user("zone")

    html = page(f"/lists/{batch.id}")

    assert 'type="date" value="2024-06-03"' in html and "纸质文件印发" in html


def test_an_issued_batch_offers_no_editing(client, people, as_user, page):
    batch = _draft(people, 1)
    for role in ("zone", "industry", "fsc"):
        lists.confirm(people[role], batch.id)
    lists.issue(people["zone"], batch.id)
    as_user("zone")

    html = page(f"/lists/{batch.id}")

    assert "已下发" in html and "移出</button>" not in html and "加入本批次" not in html


def test_the_attachment_1_pdf_downloads_as_pdf(client, people, as_user):
    batch = _draft(people, 1)
    as_user("industry")

    response = client.get(f"/lists/{batch.id}/attachment-1.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data[:5] == b"%PDF-"


def test_the_batch_downloads_as_xlsx(client, people, as_user):
    batch = _draft(people, 1)
    as_user("fsc")

    response = client.get(f"/lists/{batch.id}/list.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX and response.data[:2] == b"PK"


def test_the_batch_list_shows_status_dates_and_counts(client, people, as_user, page):
    _draft(people, 1, 2)
    as_user("industry")

    html = page("/lists/")

    assert "2024年第1批" in html and "草稿" in html and '<td class="num">2</td>' in html


def test_the_enterprise_page_lists_the_batches_it_is_in(client, people, as_user, page):
    batch = _draft(people, 1, amount="1500000.00")
    as_user("industry")

    html = page(f"/registry/enterprises/{uscc(1)}")

    assert "列入的名单批次" in html and batch.number in html and f"/lists/{batch.id}" in html and "150" in html
