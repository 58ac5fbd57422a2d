"""统计报表 (附件4, POLICY.md §12.4) as the officials see it: a period, the banks' rows and 合计, the
breakdowns, amounts in 元 with thousands separators, the downloads; a bank sees its own row only."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from sqlalchemy import event

from eloan.extensions import db
from tests.fixtures.monitoring import put_loan

YEAR = "/reports/statistics?from=2024-01-01&to=2024-12-31"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_year_per_bank_with_total_and_breakdowns(client, stats_programme, as_user):
    as_user("finance")
    page = _text(client.get(YEAR))
    assert "统计期间： 2024年1月1日至2024年12月31日" in page
    # B1: 2 loans, 1,500,000.00 to 2 enterprises; 1,000,000.00 outstanding, half overdue and NPL; a claim.
    assert (
        "B1银行台儿庄支行 正常合作 2 1,500,000.00 2 1,000,000.00 500,000.00 50.00% 500,000.00 50.00% "
        "1 350,000.00 0.00 0.00 0.00" in page
    )
    assert (
        "B2银行台儿庄支行 正常合作 2 1,100,000.00 2 0.00 0.00 — 0.00 — 1 225,000.00 225,000.00 48,000.00 30,000.00"
        in page
    )
    assert (
        "合计 4 2,600,000.00 3 1,000,000.00 500,000.00 50.00% 500,000.00 50.00% 2 575,000.00 "
        "225,000.00 48,000.00 30,000.00" in page
    )
    assert "新一代信息技术 1 300,000.00 1 0.00 0.00 — 0.00 — 1 225,000.00 225,000.00 48,000.00 30,000.00" in page
    assert "未评价 1 300,000.00 1" in page
    assert "下载 Excel" in page and "下载 PDF（附件4）" in page


def test_the_period_as_at_its_end_and_the_status_then(client, stats_programme, as_user):
    as_user("fsc")
    page = _text(client.get("/reports/statistics?from=2024-04-01&to=2024-06-30"))
    assert "B2银行台儿庄支行 暂停 1 800,000.00 1 300,000.00 300,000.00 100.00% 300,000.00 100.00% 1 225,000.00" in page


def test_a_bank_sees_its_own_row_only(client, stats_programme, as_user):
    as_user("teller2")
    page = _text(client.get(YEAR))
    assert "B2银行台儿庄支行" in page
    assert "B1银行台儿庄支行" not in page and "B3银行台儿庄支行" not in page
    assert "您只能看到本行的数据" in page


def test_from_after_to_says_what_is_wrong_and_keeps_the_typed_dates(client, stats_programme, as_user):
    as_user("zone")
    response = client.get("/reports/statistics?from=2024-07-01&to=2024-06-30")
    assert response.status_code == 200
    page = _text(response)
    assert "起始日 2024-07-01 晚于截止日 2024-06-30" in page
    html = response.get_data(as_text=True)
    assert 'value="2024-07-01"' in html and 'value="2024-06-30"' in html
    assert "下载 Excel" not in page


def test_a_date_that_is_not_a_date(client, stats_programme, as_user):
    as_user("industry")
    response = client.get("/reports/statistics?from=2024-02-30&to=2024-06-30")
    page = _text(response)
    assert "起始日“2024-02-30”不是有效日期" in page
    assert 'value="2024-02-30"' in response.get_data(as_text=True)


def test_a_preset_fills_the_period(client, stats_programme, as_user):
    as_user("auditor")  # today is 2025-03-10
    html = client.get("/reports/statistics?preset=quarter").get_data(as_text=True)
    assert 'value="2025-01-01"' in html and 'value="2025-03-10"' in html
    html = client.get("/reports/statistics?preset=since_start").get_data(as_text=True)
    assert 'value="2023-11-30"' in html


def test_the_menu_has_it_for_readers_not_for_admin(client, stats_programme, as_user):
    as_user("finance")
    assert "统计报表" in client.get("/").get_data(as_text=True)
    as_user("admin")
    assert "统计报表" not in client.get("/").get_data(as_text=True)
    assert client.get(YEAR).status_code == 403


def test_the_downloads(client, stats_programme, as_user):
    as_user("finance")
    xlsx = client.get("/reports/statistics.xlsx?from=2024-01-01&to=2024-12-31")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data))["按银行"]
    assert [c.value for c in sheet[7]][:5] == ["合计", None, None, 4, 2600000]
    pdf = client.get("/reports/statistics.pdf?from=2024-01-01&to=2024-12-31")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/reports/statistics.pdf?from=2024-12-31&to=2024-01-01").status_code == 422


def test_the_page_runs_as_many_statements_with_more_loans(client, stats_programme, as_user):
    as_user("finance")
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    def statements() -> int:
        seen.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(YEAR).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    statements()
    before = statements()
    for n in range(4):
        put_loan("B3", "10000.00", enterprise_no=2 + n % 2, events=(("overdue", date(2024, 10, 1)),))
    statements()  # the commit above expired the logged-in user: the next request loads it again, once
    assert statements() == before <= 16
