"""风险监测 (第十八条): every bank's ratios against the thresholds, the deadlines missed or near, the programme's
history, and the daily job started by 区财政局 or the administrator — never by a bank or the auditor."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from eloan.extensions import db
from eloan.jobs.daily import run_daily
from eloan.models import Bank, DailyRun
from tests.fixtures.monitoring import DAY, LATER, loan_book, put_loan
from tests.fixtures.web import flash_text, page_text


def _bank_row(html: str, code: str) -> tuple[str, str]:
    """(classes, text) of the bank's row in the table of banks."""
    found = re.search(rf'<tr class="([^"]*)" id="bank-{code}">(.*?)</tr>', html, re.S)
    return found.group(1), page_text(found.group(2))


def _section(html: str, section_id: str) -> str:
    return re.search(rf'<section class="panel[^"]*" id="{section_id}">(.*?)</section>', html, re.S).group(1)


def _status(code: str) -> str:
    db.session.expire_all()
    return db.session.query(Bank).filter_by(code=code).one().status


def test_a_bank_user_cannot_open_the_monitoring_page_nor_find_it_in_the_menu(client, monitored, login):
    html = login("teller").get_data(as_text=True)

    assert client.get("/monitoring").status_code == 403
    assert "风险监测" not in html


@pytest.mark.parametrize("role", ["zone", "industry", "fsc", "finance", "auditor", "admin"])
def test_the_departments_the_auditor_and_the_administrator_reach_it_from_the_menu(client, monitored, login, role):
    home = login(role).get_data(as_text=True)

    assert 'href="/monitoring">风险监测</a>' in home
    assert client.get("/monitoring").status_code == 200


def test_a_bank_over_the_npl_threshold_is_highlighted_with_the_threshold(client, monitored, login, page):
    loan_book("B1", npl="400000.00")
    loan_book("B2", total="20000000.00", enterprise_no=2)
    login("fsc")

    html = page("/monitoring")

    b1_classes, b1 = _bank_row(html, "B1")
    b2_classes, b2 = _bank_row(html, "B2")
    assert "row--over" in b1_classes and "4.00% 超过 3.00%" in b1 and "¥10,000,000.00" in b1
    assert "row--over" not in b2_classes and "超过" not in b2 and "0.00%" in b2
    assert "不良率超过 3.00%" in page_text(html) and "逾期率超过 5.00%" in page_text(html)


def test_without_a_policy_in_force_the_ratios_are_shown_with_the_reason_nothing_is_judged(
    client, monitored, login, page, today
):
    loan_book("B1", npl="400000.00")
    today("2026-01-05")
    login("finance")

    html = page("/monitoring")

    assert "2026年1月5日没有有效的政策版本，无法判断是否超过第十八条的不良率、逾期率阈值" in html
    classes, b1 = _bank_row(html, "B1")
    assert "4.00%" in b1 and "超过" not in b1 and "row--over" not in classes


def test_missed_and_upcoming_deadlines_are_listed_with_the_days_left(client, monitored, login, page):
    missed = put_loan(
        "B2",
        "200000.00",
        maturity=LATER,
        enterprise_no=2,
        events=(("overdue", date(2025, 1, 20)), ("npl", date(2025, 2, 20))),
    )
    upcoming = put_loan(
        "B1", "300000.00", maturity=LATER, events=(("overdue", date(2025, 2, 3)), ("npl", date(2025, 3, 7)))
    )
    login("finance")

    html = page("/monitoring")

    deadlines = _section(html, "deadlines")
    late, soon = deadlines.split("即将到期", 1)
    assert "已逾期未办（1 件）" in page_text(late)
    assert f'href="/loans/{missed.id}"' in late and "2025年2月27日 已逾期 11 天" in page_text(late)
    assert "提交补偿申请 合作银行" in page_text(late)
    assert f'href="/loans/{upcoming.id}"' in soon and "2025年3月14日 还剩 4 天" in page_text(soon)
    assert f"/loans/{upcoming.id}" not in late


def test_matured_loans_still_reported_normal_are_counted_and_lead_to_the_filtered_list(client, monitored, login, page):
    put_loan("B1", "500000.00", maturity=date(2025, 3, 1))
    put_loan("B1", "600000.00", maturity=date(2025, 2, 1))
    put_loan("B2", "700000.00", maturity=LATER, enterprise_no=2)
    login("industry")

    html = page("/monitoring")

    assert _bank_row(html, "B1")[1].endswith("2 笔") and _bank_row(html, "B2")[1].endswith("0")
    link = re.search(r'<a class="matured" href="([^"]+)">2 笔</a>', html).group(1).replace("&amp;", "&")
    listing = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "已到期未报" in listing and "贷款 <strong>2</strong> 笔" in listing


def test_finance_runs_the_daily_job_and_a_second_run_of_the_date_changes_nothing(client, monitored, login):
    loan_book("B1", npl="400000.00")
    loan_book("B2", total="20000000.00", enterprise_no=2)
    login("finance")

    first = client.post("/monitoring/run", data={"run_date": "2025-03-10"}, follow_redirects=True)

    html = first.get_data(as_text=True)
    assert "已运行2025年3月10日的每日任务：自动暂停合作：B1银行台儿庄支行" in flash_text(html)
    assert _status("B1") == "suspended" and _status("B2") == "active"
    assert "已完成" in _section(html, "runs") and "页面（finance）" in _section(html, "runs")

    second = client.post("/monitoring/run", data={"run_date": "2025-03-10"}, follow_redirects=True)

    assert "2025年3月10日：该日任务此前已运行，未做改动" in flash_text(second.get_data(as_text=True))
    assert db.session.query(DailyRun).count() == 1


def test_a_date_after_today_is_refused_beside_the_field_with_the_date_kept(client, monitored, login, beside):
    login("admin")

    response = client.post("/monitoring/run", data={"run_date": "2025-03-11"})

    html = response.get_data(as_text=True)
    assert beside(html, "run_date") == ["2025-03-11 晚于今天 2025-03-10，每日任务不能提前运行。"]
    assert 'value="2025-03-11"' in html
    assert db.session.query(DailyRun).count() == 0


def test_an_earlier_date_after_a_later_run_is_refused_with_the_reason(client, monitored, login):
    run_daily(DAY)
    login("finance")

    response = client.post("/monitoring/run", data={"run_date": "2025-03-07"})

    html = response.get_data(as_text=True)
    box = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S).group(1)
    assert "未能运行每日任务" in box and "每日任务已运行到 2025-03-10，不能再补跑更早的 2025-03-07" in box
    assert 'value="2025-03-07"' in html
    assert db.session.get(DailyRun, date(2025, 3, 7)) is None


def test_the_auditor_sees_no_run_form_and_cannot_run_the_job(client, monitored, login, page):
    login("auditor")

    html = page("/monitoring")

    assert "运行每日任务</button>" not in html
    assert client.post("/monitoring/run", data={"run_date": "2025-03-10"}).status_code == 403
    assert db.session.query(DailyRun).count() == 0


def test_a_failed_run_is_listed_with_its_reason(client, monitored, login, page, monkeypatch):
    from eloan.services import sanctions

    def broken(day):
        raise RuntimeError("惩戒名单表无法写入")

    monkeypatch.setattr(sanctions, "sweep", broken)
    login("finance")

    response = client.post("/monitoring/run", data={"run_date": "2025-03-10"}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "每日任务运行失败，本次运行的改动已全部撤销" in flash_text(html)
    runs = page_text(_section(html, "runs"))
    assert "失败" in runs and "惩戒名单表无法写入" in runs


def test_the_programme_history_is_drawn_once_the_job_has_stored_figures(client, monitored, login, page):
    loan_book("B1", npl="200000.00")
    login("zone")
    before = _section(page("/monitoring"), "history")
    assert "每日任务运行后将在此显示历史走势" in before and "<svg" not in before

    run_daily(DAY)
    after = _section(page("/monitoring"), "history")

    assert '<svg class="chart__svg"' in after and "chart__threshold--npl" in after
    assert "不良率阈值 3.00%" in after and "最新（2025年3月10日）：不良率 2.00%，逾期率 2.00%" in page_text(after)


def test_the_home_page_of_finance_counts_missed_deadlines_and_suspended_banks(client, monitored, login, db):
    put_loan(
        "B2",
        "200000.00",
        maturity=LATER,
        enterprise_no=2,
        events=(("overdue", date(2025, 1, 20)), ("npl", date(2025, 2, 20))),
    )
    db.session.query(Bank).filter_by(code="B1").one().status = "suspended"
    db.session.commit()

    html = login("finance").get_data(as_text=True)

    card = re.search(r'<h3 class="card__title">风险监测.*?</article>', html, re.S).group(0)
    assert "已逾期未办 1 件" in page_text(card) and "暂停合作的银行 1 家" in page_text(card)
    assert 'href="/monitoring"' in card


def test_a_day_with_nothing_outstanding_breaks_the_line_rather_than_dropping_to_zero():
    from types import SimpleNamespace

    from eloan.web.monitoring.chart import ratio_chart

    ratios = [Decimal("0.02"), Decimal("0.02"), None, Decimal("0.03"), Decimal("0.03")]
    days = [SimpleNamespace(on_date=date(2025, 3, n + 1), npl_ratio=r, overdue_ratio=r) for n, r in enumerate(ratios)]

    chart = ratio_chart(days, date(2025, 3, 1), date(2025, 3, 5), Decimal("0.03"), Decimal("0.05"))

    npl = next(s for s in chart.series if s.key == "npl")
    zero_y = next(t.at for t in chart.y_ticks if t.label == "0%")
    assert len(npl.segments) == 2
    assert all(point.split(",")[1] != zero_y for segment in npl.segments for point in segment.split())


def test_a_run_cut_off_by_a_dead_process_is_shown_as_interrupted_with_a_warning(client, monitored, login, page):
    from eloan import clock

    db.session.add(DailyRun(run_date=DAY, status="running", started_at=clock.now(), host="web-1", summary={}))
    db.session.commit()
    login("finance")

    html = page("/monitoring")
    runs = page_text(_section(html, "runs"))

    assert "已中断" in runs and "运行该日任务的进程已不在" in runs
    assert "正在运行" not in runs
    # Said at the top, before the run form and the figures: that day's suspensions and reminders did not happen.
    alert = html.index("每日任务异常")
    assert alert < html.index('id="run"') and "运行该日任务的进程已不在" in html[alert : html.index('id="run"')]
