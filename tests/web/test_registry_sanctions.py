"""The sanctions list page (第十四条第二款、第十七条): read by the departments, cleared with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.models import Enterprise
from eloan.services import enterprises, sanctions
from tests.fixtures.registry import data, uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def flagged(reference, today, make_user, db):
    """One enterprise flagged for an overdue loan; a zone user to keep the registry."""
    today("2024-06-03")
    keeper = make_user("zone", roles=("zone",), display_name="李开发")
    enterprise = enterprises.create(keeper, data(1))
    sanctions.flag(None, enterprise, "贷款 HT-001 逾期", date(2024, 5, 20))
    db.session.commit()
    return enterprise


def _as(make_user, login, role):
    make_user(role, roles=(role,), display_name="赵财政" if role == "finance" else role)
    login(role)


def test_the_list_shows_reason_since_when_and_measures(client, flagged, make_user, login, page):
    _as(make_user, login, "industry")

    html = page("/registry/sanctions")

    assert "枣庄测试1号科技有限公司" in html and uscc(1) in html
    assert "贷款 HT-001 逾期" in html and "2024年5月20日" in html
    for measure in sanctions.MEASURES.split("；"):
        assert measure in html
    assert "解除惩戒</button>" not in html


def test_clearing_a_sanction_needs_a_reason(client, flagged, make_user, login, db):
    _as(make_user, login, "finance")

    response = client.post("/registry/sanctions", data={"uscc": uscc(1), "reason": "  "})

    html = response.get_data(as_text=True)
    assert "解除惩戒须填写理由。" in html
    assert db.session.get(Enterprise, flagged.id).sanctioned is True


def test_finance_clears_a_sanction_with_a_reason(client, flagged, make_user, login, db):
    _as(make_user, login, "finance")

    response = client.post(
        "/registry/sanctions", data={"uscc": uscc(1), "reason": "逾期贷款已结清"}, follow_redirects=True
    )

    assert "已解除对“枣庄测试1号科技有限公司”的惩戒" in response.get_data(as_text=True)
    assert db.session.get(Enterprise, flagged.id).sanctioned is False


def test_the_include_cleared_view_shows_who_cleared_and_why(client, flagged, make_user, login, page):
    _as(make_user, login, "finance")
    client.post("/registry/sanctions", data={"uscc": uscc(1), "reason": "逾期贷款已结清"})

    open_only, everything = page("/registry/sanctions"), page("/registry/sanctions?all=1")

    assert "目前没有受惩戒的企业" in open_only
    assert "已解除" in everything and "赵财政" in everything and "逾期贷款已结清" in everything


def test_an_industry_user_cannot_clear_a_sanction(client, flagged, make_user, login, db):
    _as(make_user, login, "industry")

    response = client.post("/registry/sanctions", data={"uscc": uscc(1), "reason": "想解除"})

    assert response.status_code == 403
    assert db.session.get(Enterprise, flagged.id).sanctioned is True


def test_the_auditor_reads_the_sanctions_list(client, flagged, make_user, login, page):
    _as(make_user, login, "auditor")

    assert "贷款 HT-001 逾期" in page("/registry/sanctions")


def test_the_sanctions_export_is_an_xlsx(client, flagged, make_user, login):
    _as(make_user, login, "fsc")

    response = client.get("/registry/sanctions/export.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX and response.data[:2] == b"PK"


def test_the_enterprise_page_shows_its_sanction(client, flagged, make_user, login, page):
    _as(make_user, login, "fsc")

    html = page(f"/registry/enterprises/{uscc(1)}")

    assert "惩戒情况" in html and "贷款 HT-001 逾期" in html and "受惩戒" in html
