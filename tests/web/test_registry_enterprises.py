"""The enterprise registry pages (第三、四条): the zone registers and edits, the departments read."""

from __future__ import annotations

import pytest

from eloan.models import Enterprise
from eloan.services import enterprises
from tests.fixtures.registry import data, uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def zone(reference, today, make_user, login):
    today("2024-06-03")
    user = make_user("zone", roles=("zone",), display_name="李开发")
    login("zone")
    return user


@pytest.fixture()
def reader(reference, today, make_user, login):
    """An industry-department user, logged in, and a zone user who keeps the registry."""
    today("2024-06-03")
    keeper = make_user("zone", roles=("zone",))
    make_user("industry", roles=("industry",))
    login("industry")
    return keeper


def _form(n=1, **overrides):
    values = {
        "uscc": uscc(n),
        "name": f"枣庄测试{n}号科技有限公司",
        "industry": "new_materials",
        "in_zone": "1",
        "employees": "80",
        "revenue": "30000000",
        "tax_sales": "28000000",
        "mu_class": "A",
        "mu_year": "2023",
        "legal_rep": "王五",
        "phone": "13906320000",
    }
    values.update(overrides)
    return values


def test_zone_registers_an_enterprise_through_the_form(client, zone, db):
    response = client.post("/registry/enterprises/new", data=_form(), follow_redirects=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已登记企业“枣庄测试1号科技有限公司”" in html
    enterprise = db.session.query(Enterprise).one()
    assert (enterprise.uscc, enterprise.size_class, enterprise.mu_class) == (uscc(1), "small", "A")


def test_a_bad_credit_code_comes_back_beside_the_field_with_the_typed_values_kept(client, zone, db, beside):
    bad = uscc(1)[:-1] + ("0" if uscc(1)[-1] != "0" else "1")

    response = client.post("/registry/enterprises/new", data=_form(uscc=bad, name="台儿庄新材料有限公司"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any("校验码错误" in e for e in beside(html, "uscc"))
    assert f'value="{bad}"' in html and 'value="台儿庄新材料有限公司"' in html
    assert db.session.query(Enterprise).count() == 0


def test_a_credit_code_already_registered_is_refused_beside_the_field(client, zone, beside):
    enterprises.create(zone, data(1))

    html = client.post("/registry/enterprises/new", data=_form(1)).get_data(as_text=True)

    assert any("已登记，不能重复登记" in e for e in beside(html, "uscc"))


def test_every_problem_of_the_form_shows_beside_its_own_field(client, zone, beside):
    html = client.post("/registry/enterprises/new", data=_form(name="", employees="八十")).get_data(as_text=True)

    assert beside(html, "name") == ["企业名称：不能为空"]
    assert beside(html, "employees") == ["从业人员（人）：须为不小于零的整数"]


def test_an_enterprise_outside_the_zone_without_approval_note_is_saved_with_a_warning(client, zone):
    response = client.post("/registry/enterprises/new", data=_form(in_zone="0"), follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "已登记企业" in html
    assert "该企业目前不能列入推荐名单" in html and "特别优质" in html


def test_zone_edits_an_enterprise_and_history_says_what_changed_in_chinese(client, zone, page):
    enterprises.create(zone, data(1))

    response = client.post(
        f"/registry/enterprises/{uscc(1)}/edit",
        data={**_form(1), "industry": "new_energy", "tax_sales": "35000000"},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "已保存“枣庄测试1号科技有限公司”的修改" in html
    assert "修改企业信息" in html and "李开发（zone）" in html
    assert "<del>新材料</del> → <strong>新能源</strong>" in html
    assert "<del>¥28,000,000.00</del> → <strong>¥35,000,000.00</strong>" in html


def test_the_edit_form_shows_the_stored_values(client, zone, page):
    enterprises.create(zone, data(1, in_zone=False, special_approval_note="区政府认定特别优质"))

    html = page(f"/registry/enterprises/{uscc(1)}/edit")

    assert 'value="枣庄测试1号科技有限公司"' in html
    assert 'checked id="in_zone-1" name="in_zone" type="radio" value="0"' in html and "区政府认定特别优质" in html
    assert 'value="30000000.00"' in html


def test_detail_page_shows_fields_with_chinese_labels_and_mu_classes_by_year(client, zone, page):
    enterprises.create(zone, data(1))
    enterprises.set_mu_rating(zone, uscc(1), 2022, "B")

    html = page(f"/registry/enterprises/{uscc(1)}")

    for label in ("统一社会信用代码", "所属行业", "企业规模", "纳税销售收入", "法定代表人"):
        assert label in html
    assert "新材料" in html and "小型（按从业人员和营业收入计算）" in html
    assert html.index("2023年度") < html.index("2022年度")
    assert "符合列入推荐名单的条件" in html


def test_zone_adds_a_year_of_mu_class_on_the_detail_page(client, zone, db):
    enterprises.create(zone, data(1))

    response = client.post(
        f"/registry/enterprises/{uscc(1)}/mu", data={"mu_year": "2024", "mu_class": "D"}, follow_redirects=True
    )

    html = response.get_data(as_text=True)
    assert "已保存“枣庄测试1号科技有限公司”2024年度亩产效益类别：D类" in html
    assert "2024年度亩产效益类别" in html  # in the history
    assert db.session.query(Enterprise).one().mu_class == "D"
    assert "该企业目前不能列入推荐名单" in html


def test_a_mu_class_without_a_year_comes_back_beside_the_year(client, zone, beside):
    enterprises.create(zone, data(1))

    response = client.post(f"/registry/enterprises/{uscc(1)}/mu", data={"mu_year": "", "mu_class": "B"})

    html = response.get_data(as_text=True)

    assert beside(html, "mu_year") == ["评价年度无效。"]


def test_search_filters_by_name_and_by_mu_class(client, zone, page):
    enterprises.create(zone, data(1, name="甲公司", mu_class="A"))
    enterprises.create(zone, data(2, name="乙公司", mu_class="C"))

    by_class = page("/registry/enterprises?mu_class=C")
    by_name = page("/registry/enterprises?q=甲")

    assert "乙公司" in by_class and "甲公司" not in by_class
    assert "甲公司" in by_name and "乙公司" not in by_name


def test_the_list_pages_through_many_enterprises(client, zone, page):
    for n in range(1, 53):
        enterprises.create(zone, data(n, name=f"企业{n:03d}"))

    html = page("/registry/enterprises?page=2")

    assert "第 2 / 2 页" in html and "企业051" in html and "企业001" not in html


def test_export_of_the_current_search_is_an_xlsx(client, zone):
    enterprises.create(zone, data(1))

    response = client.get("/registry/enterprises/export.xlsx?mu_class=A")

    assert response.status_code == 200
    assert response.mimetype == XLSX and response.data[:2] == b"PK"
    assert ".xlsx" in response.headers["Content-Disposition"]


def test_industry_user_reads_the_registry_without_write_buttons(client, reader, page):
    enterprises.create(reader, data(1))

    listing = page("/registry/enterprises")
    detail = page(f"/registry/enterprises/{uscc(1)}")

    assert "枣庄测试1号科技有限公司" in listing and "登记企业</a>" not in listing
    assert "修改企业信息" not in detail and "保存该年度类别" not in detail


@pytest.mark.parametrize(
    "url", ["/registry/enterprises/new", "/registry/enterprises/registry-import", "/registry/enterprises/mu-import"]
)
def test_industry_user_gets_403_on_the_write_pages(client, reader, url):
    assert client.get(url).status_code == 403


def test_industry_user_cannot_change_an_enterprise_by_posting(client, reader, db):
    enterprises.create(reader, data(1))

    response = client.post(f"/registry/enterprises/{uscc(1)}/edit", data=_form(1, name="改名"))

    assert response.status_code == 403
    assert db.session.query(Enterprise).one().name == "枣庄测试1号科技有限公司"


def test_an_unknown_credit_code_shows_the_404_page(client, zone):
    assert client.get(f"/registry/enterprises/{uscc(9)}").status_code == 404
