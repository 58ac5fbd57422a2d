"""The 数据看板 page (/dashboard) over tests/fixtures/dashboard.py: the figures the API gives, the two charts
with their sentences and tables, who reaches it, and a fixed number of statements."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event

from eloan.extensions import db
from tests.fixtures.monitoring import put_loan
from tests.fixtures.web import page_text


def _card(html: str, label: str) -> str:
    """The figure shown under a card's label."""
    m = re.search(r"<dt>" + re.escape(label) + r"</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert m, label
    return page_text(m.group(1))


def test_the_figures(dashboard_programme, as_user, page):
    as_user("finance")
    html = page("/dashboard")
    assert _card(html, "资金池规模") == "¥100,000,000.00"
    assert _card(html, "专户余额") == "¥9,810,000.00"
    assert _card(html, "资金使用率（累计拨付补偿 ÷ 累计拨入）") == "2.25%"
    assert _card(html, "放大倍数（在保贷款余额 ÷ 专户余额）") == "0.10 倍"
    assert _card(html, "发放笔数") == "5 笔"
    assert _card(html, "发放金额") == "¥2,800,000.00"
    assert _card(html, "服务企业") == "4 家"
    assert _card(html, "平均低于利率上限（LPR + 60个基点，按金额加权）") == "0.3607 个百分点"
    assert _card(html, "受理补偿申请") == "2 件"
    assert _card(html, "净损失（拨付 − 返还 − 追缴）") == "¥190,000.00"


def test_the_charts_say_in_words_what_they_draw(dashboard_programme, as_user, page):
    as_user("zone")
    text = page_text(page("/dashboard"))
    assert "共 2 天的记录（2025年1月15日起）" in text
    assert "最新（2025年3月10日）：不良率 25.00%，逾期率 30.00%" in text
    assert "认定不良至提交申请：2 件，中位 3.0 日，最长 3 日，按期 50.00%" in text
    assert "受理至出具审核意见：1 件，中位 10.0 日，最长 10 日，按期 100.00%" in text
    assert "出具意见至拨付补偿：1 件，中位 8.0 日，最长 8 日，按期 100.00%。" in text
    # The data tables behind the charts.
    assert "认定不良至提交申请 5个工作日（第十五条） 2 3.0 3 1 50.00%" in text


def test_the_cycle_bars_are_drawn_to_scale(dashboard_programme, as_user, page):
    as_user("fsc")
    html = page("/dashboard")
    # Axis to 20 days (longest 10 days or the 15-day limit, ×1.1, rounded up to the 5-day step) over
    # 150..720 px: the 10-day median of 受理至出具审核意见 is 285 px wide.
    widths = re.findall(r'class="chart__bar chart__bar--median"[^>]*width="([0-9.]+)"', html)
    assert widths == ["85.5", "285.0", "228.0"]  # 3.0, 10.0 and 8.0 days


def test_the_menu_and_who_may_open_it(dashboard_programme, as_user, client):
    as_user("auditor")
    assert 'href="/dashboard"' in client.get("/").get_data(as_text=True)
    for who in ("teller", "admin"):
        as_user(who)
        assert 'href="/dashboard"' not in client.get("/").get_data(as_text=True)
        assert client.get("/dashboard").status_code == 403


def test_an_empty_programme_says_so(monitored, as_user, page):
    as_user("finance")
    text = page_text(page("/dashboard"))
    assert "每日任务运行后将在此显示历史走势。" in text
    assert "尚无补偿申请办结任何环节" in text
    assert "—（尚无贷款）" in text


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


@pytest.mark.parametrize("more", [5])
def test_the_page_runs_a_fixed_number_of_statements(dashboard_programme, as_user, client, more):
    as_user("finance")
    before = _statements(client, "/dashboard")
    for n in range(more):
        put_loan("B3", "10000.00", drawdown=date(2024, 5, 1 + n), maturity=date(2025, 4, 1), enterprise_no=2)
    as_user("finance")
    after = _statements(client, "/dashboard")
    assert before == after


def test_the_page_shows_what_the_api_gives(dashboard_programme, as_user, page, client, token_for):
    from decimal import Decimal

    from eloan.domain.money import format_money, format_percent

    body = client.get("/api/v1/dashboard", headers=token_for("finance")).json
    as_user("finance")
    html = page("/dashboard")
    for label, value in (
        ("资金池规模", body["fund"]["scale"]),
        ("累计拨入", body["fund"]["appropriated"]),
        ("专户余额", body["fund"]["balance"]),
        ("发放金额", body["loans"]["amount"]),
        ("在保贷款余额", body["fund"]["outstanding_loans"]),
        ("申请补偿金额", body["claims"]["amount"]),
        ("追偿款返还专户", body["claims"]["recovered"]),
        ("追缴款收回", body["claims"]["clawed_back"]),
        ("净损失（拨付 − 返还 − 追缴）", body["claims"]["net_loss"]),
    ):
        assert _card(html, label) == format_money(Decimal(value)), label
    assert _card(html, "资金使用率（累计拨付补偿 ÷ 累计拨入）") == format_percent(Decimal(body["fund"]["utilisation"]))
    assert _card(html, "服务企业") == f"{body['loans']['enterprises_served']} 家"
    assert _card(html, "受理补偿申请") == f"{body['claims']['count']} 件"
