"""The evaluation pages as officials use them (第二十条; POLICY.md §11)."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from eloan.extensions import db
from eloan.models import Bank
from eloan.services import evaluations


def _statements(client, url) -> int:
    seen = []
    db.session.expire_all()

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_finance_computes_from_the_page_and_sees_the_table(client, year_2024, as_user):
    as_user("finance")
    page = client.get("/evaluations/").get_data(as_text=True)
    assert "尚无年度评价" in page and "年度绩效评价" in page  # menu entry and empty list
    r = client.post("/evaluations/compute", data={"year": "2024"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "已计算 2024 年度 2 家合作银行的绩效评价" in html
    assert "95.00" in html and "49.00" in html and "限期整改" in html
    assert "¥1,000,000.00" in html


def test_the_current_year_is_refused_beside_the_field(client, year_2024, as_user):
    as_user("finance")
    html = client.post("/evaluations/compute", data={"year": "2025"}).get_data(as_text=True)
    assert "只能评价已结束的年度" in html and 'value="2025"' in html


def test_an_adjustment_without_a_reason_keeps_what_was_typed(client, year_2024, as_user):
    evaluations.compute(year_2024["finance"], 2024)
    as_user("finance")
    data = {"ad-bank": "B2", "ad-area": "rate", "ad-score": "12.5", "ad-reason": ""}
    html = client.post("/evaluations/2024/adjust", data=data).get_data(as_text=True)
    assert "手工调整必须填写理由" in html and 'value="12.5"' in html
    data["ad-reason"] = "第三方评估认定利率优惠"
    html = client.post("/evaluations/2024/adjust", data=data, follow_redirects=True).get_data(as_text=True)
    assert "总分 61.50" in html and "12.50*" in html


def test_the_three_units_confirm_then_finance_decides_and_end_needs_a_date(client, year_2024, as_user):
    evaluations.compute(year_2024["finance"], 2024)
    for who in ("zone", "industry", "fsc"):
        as_user(who)
        html = client.post("/evaluations/2024/confirm", data={"cf-comment": "同意"}, follow_redirects=True).get_data(
            as_text=True
        )
        assert "已确认 2024 年度评价" in html
    as_user("finance")
    b2 = db.session.scalars(select(Bank).where(Bank.code == "B2")).one()
    html = client.post("/evaluations/2024/banks/B2/decide", data={f"d{b2.id}-decision": "end"}).get_data(as_text=True)
    # the form keeps the choice and says both problems
    assert "请填写理由" in html and "终止合作须指定合作协议的终止日期" in html
    assert re.search(r'<input checked[^>]*value="end"', html)
    data = {f"d{b2.id}-decision": "end", f"d{b2.id}-reason": "风险防控不达标", f"d{b2.id}-agreement_end": "2025-03-31"}
    html = client.post("/evaluations/2024/banks/B2/decide", data=data, follow_redirects=True).get_data(as_text=True)
    assert "已对B2银行台儿庄支行作出决定：终止合作" in html and "协议终止日 2025-03-31" in html


def test_banks_get_404_and_the_page_costs_the_same_for_more_banks(client, year_2024, as_user, make_bank):
    evaluations.compute(year_2024["finance"], 2024)
    as_user("teller")
    assert client.get("/evaluations/").status_code == 404
    assert client.get("/evaluations/2024").status_code == 404
    as_user("finance")
    two = _statements(client, "/evaluations/2024")
    for n in range(3, 8):
        make_bank(f"B{n}", name=f"B{n}银行")
    evaluations.compute(year_2024["finance"], 2024)
    as_user("finance")
    seven = _statements(client, "/evaluations/2024")
    assert two == seven


def test_the_list_of_years_costs_the_same_for_two_years_as_for_one(client, year_2024, as_user):
    evaluations.compute(year_2024["finance"], 2024)
    as_user("auditor")
    one = _statements(client, "/evaluations/")
    evaluations.compute(year_2024["finance"], 2023)
    as_user("auditor")
    two = _statements(client, "/evaluations/")
    assert one == two
    html = client.get("/evaluations/").get_data(as_text=True)
    assert "2023 年度" in html and "2024 年度" in html and "计算年度评价" not in html  # the auditor only reads


def test_the_evaluators_report_is_uploaded_and_downloaded_from_the_page(client, year_2024, as_user):
    import io

    evaluations.compute(year_2024["finance"], 2024)
    as_user("finance")
    data = {"rp-file": (io.BytesIO(b"%PDF-1.4 outside report"), "评估报告.pdf")}
    html = client.post(
        "/evaluations/2024/evaluator-report", data=data, content_type="multipart/form-data", follow_redirects=True
    ).get_data(as_text=True)
    assert "已附上第三方评估报告" in html and "第三方评估报告：评估报告.pdf" in html
    as_user("fsc")
    r = client.get("/evaluations/2024/evaluator-report")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 outside report"
