"""The bank page's 第十八条 panel: today's NPL and overdue ratios against the thresholds, and the chart of the
figures the daily job stored — for the departments and for the bank's own users on their own page."""

from __future__ import annotations

import re
from datetime import date

from eloan.jobs.daily import run_daily
from tests.fixtures.monitoring import DAY, LATER, loan_book, put_loan
from tests.fixtures.web import page_text


def _panel(html: str) -> str:
    return re.search(r'<section class="panel" id="ratios">(.*?)</section>', html, re.S).group(1)


def test_the_bank_page_shows_todays_ratios_against_the_thresholds(client, monitored, login, page):
    loan_book("B1", npl="400000.00")
    login("fsc")

    panel = page_text(_panel(page("/banks/B1")))

    assert "不良率与逾期率（第十八条）" in panel
    assert "贷款余额 ¥10,000,000.00" in panel and "不良贷款余额 ¥400,000.00" in panel
    assert "不良率（阈值 3.00%） 4.00% 超过 3.00%" in panel
    assert "逾期率（阈值 5.00%） 4.00%" in panel and "超过 5.00%" not in panel
    assert "该行不良率超过阈值" in panel


def test_a_bank_within_both_thresholds_is_said_to_be_so(client, monitored, login, page):
    loan_book("B2", npl="300000.00", enterprise_no=2)  # exactly 3 %: not "超过"
    login("finance")

    panel = page_text(_panel(page("/banks/B2")))

    assert "不良率（阈值 3.00%） 3.00% 逾期贷款余额" in panel and "tag--over" not in _panel(page("/banks/B2"))
    assert "均未超过阈值：不良率不超过 3.00%，逾期率不超过 5.00%" in panel


def test_before_any_daily_run_the_panel_says_where_the_history_will_appear(client, monitored, login, page):
    loan_book("B1")
    login("zone")

    panel = _panel(page("/banks/B1"))

    assert "每日任务运行后将在此显示历史走势" in panel and "<svg" not in panel


def test_after_a_daily_run_the_stored_figures_are_drawn_with_a_table_beside(client, monitored, login, page):
    loan_book("B1", npl="200000.00")
    run_daily(DAY)
    login("auditor")

    panel = _panel(page("/banks/B1"))

    assert '<svg class="chart__svg"' in panel and "<polyline" not in panel  # one day: a dot, not yet a line
    assert 'class="chart__dot chart__dot--npl"' in panel
    assert "2025年3月10日 ¥10,000,000.00 ¥200,000.00 2.00%" in page_text(panel)


def test_the_banks_own_user_sees_the_panel_on_the_own_bank_page(client, monitored, login, page, today):
    loan_book("B1", npl="200000.00")
    run_daily(DAY)
    today("2025-03-11")
    run_daily(date(2025, 3, 11))
    login("teller")

    panel = _panel(page("/banks/own"))

    assert "本行已登记的贷款" in page_text(panel) and "不良率（阈值 3.00%） 2.00%" in page_text(panel)
    assert '<svg class="chart__svg"' in panel and "<polyline" in panel
    assert client.get("/banks/B2").status_code == 404


def test_matured_loans_still_reported_normal_are_pointed_out_to_the_bank(client, monitored, login, page):
    put_loan("B1", "500000.00", maturity=date(2025, 3, 1))
    put_loan("B1", "600000.00", maturity=LATER)
    login("teller")

    panel = _panel(page("/banks/own"))

    assert "本行有 1 笔 贷款已过到期日、仍有本金余额，但仍登记为正常" in page_text(panel)
    assert 'href="/loans/?matured_unreported=1"' in panel


def test_the_bank_home_shows_its_own_ratios_and_the_way_to_its_page(client, monitored, login):
    loan_book("B1", npl="400000.00")

    html = login("teller").get_data(as_text=True)

    card = page_text(re.search(r'<h3 class="card__title">本行合作情况.*?</article>', html, re.S).group(0))
    assert "不良率（阈值 3.00%） 4.00%" in card and "逾期率（阈值 5.00%） 4.00%" in card
    assert "查看本行信息" in card
