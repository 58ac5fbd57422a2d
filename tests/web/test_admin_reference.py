"""Policy versions, the LPR table and the calendar, kept by the administrator through the forms."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from eloan.extensions import db
from eloan.models import CalendarDay, CalendarYear, LprRate
from eloan.services import reference as refdata

RENEWAL = {
    "code": "TZ-2025-1",
    "name": "台儿庄区“园区E贷”实施办法（续期）",
    "effective_from": "2025-11-30",
    "effective_to": "2027-11-29",
    "max_compensation_ratio": "80",
    "min_bank_share": "20",
    "rate_spread_bp": "60",
    "max_term_months": "12",
    "max_outstanding_per_enterprise": "5000000",
    "filing_working_days": "5",
    "opinion_days": "15",
    "payout_days": "15",
    "npl_ratio_threshold": "3",
    "overdue_ratio_threshold": "5.5",
    "fund_scale": "100000000",
    "first_tranche": "10000000",
    "eligible_industries": ["high_end_equipment", "new_materials", "next_gen_it"],
    "note": "续期",
}


def test_policy_version_is_created_with_percentages_read_as_ratios(client, admin, reference):
    response = client.post("/admin/policies/new", data=RENEWAL, follow_redirects=True)

    assert "已保存政策版本 TZ-2025-1" in response.get_data(as_text=True)
    version = refdata.policy_on(date(2026, 6, 1))
    assert version.max_compensation_ratio == Decimal("0.8")
    assert version.overdue_ratio_threshold == Decimal("0.055")
    assert version.eligible_industries == ("high_end_equipment", "new_materials", "next_gen_it")


def test_policy_version_overlapping_another_is_refused_beside_its_dates(client, admin, reference, beside):
    data = dict(RENEWAL, effective_from="2025-01-01")

    response = client.post("/admin/policies/new", data=data)

    html = response.get_data(as_text=True)
    assert beside(html, "effective_from") == ["有效期与版本 TZ-2023-9 重叠：同一日期只能有一个有效版本。（第二十二条）"]
    assert 'value="TZ-2025-1"' in html
    assert len(reference_versions()) == 1


def test_policy_form_shows_an_unreadable_number_beside_its_field(client, admin, reference, beside):
    response = client.post("/admin/policies/new", data=dict(RENEWAL, min_bank_share="二十"))

    assert beside(response.get_data(as_text=True), "min_bank_share") == ["不是有效的小数。"]


def test_policy_version_edit_page_shows_ratios_as_percentages(client, admin, reference, page):
    version = reference_versions()[0]

    html = page(f"/admin/policies/{version.id}")

    assert re.search(r'id="max_compensation_ratio"[^>]*value="80"', html)
    assert re.search(r'id="min_bank_share"[^>]*value="20"', html)


def test_admin_adds_an_lpr_row(client, admin):
    response = client.post(
        "/admin/lpr",
        data={"effective_from": "2025-12-22", "rate_1y_percent": "2.95", "note": "测试"},
        follow_redirects=True,
    )

    assert "已保存 2025-12-22 起执行的 1 年期 LPR" in response.get_data(as_text=True)
    assert refdata.lpr_on(date(2026, 1, 5)).rate_1y_percent == Decimal("2.95")


def test_lpr_with_a_bad_rate_is_refused_beside_the_rate(client, admin, beside):
    response = client.post("/admin/lpr", data={"effective_from": "2025-12-22", "rate_1y_percent": "abc"})

    html = response.get_data(as_text=True)
    [message] = beside(html, "rate_1y_percent")
    assert message.startswith("利率“abc”不是有效的数字") and "例如 3.45" in message
    assert 'value="2025-12-22"' in html


def test_admin_changes_an_lpr_row(client, admin, reference):
    row = lpr_row(date(2025, 5, 20))

    client.post(f"/admin/lpr/{row.id}", data={"rate_1y_percent": "3.05", "note": "更正"})

    assert lpr_row(date(2025, 5, 20)).rate_1y_percent == Decimal("3.05")


def test_admin_deletes_an_lpr_row(client, admin, reference):
    row = lpr_row(date(2025, 5, 20))

    client.post(f"/admin/lpr/{row.id}/delete")

    assert lpr_row(date(2025, 5, 20)) is None


def test_lpr_list_is_newest_first(client, admin, reference, page):
    html = page("/admin/lpr")

    assert html.index("2025年5月20日") < html.index("2019年8月20日")


def test_admin_sets_a_calendar_day(client, admin):
    response = client.post(
        "/admin/calendar/day", follow_redirects=True, data={"day": "2030-10-01", "kind": "holiday", "note": "国庆节"}
    )

    assert "已将 2030-10-01 设为放假" in response.get_data(as_text=True)
    assert refdata.work_calendar().is_working_day(date(2030, 10, 1)) is False


def test_calendar_day_without_a_choice_is_refused_beside_it(client, admin, beside):
    response = client.post("/admin/calendar/day", data={"day": "2030-10-01", "note": "国庆节"})

    assert beside(response.get_data(as_text=True), "kind") == ["请选择放假或上班。"]


def test_admin_removes_a_calendar_day(client, admin):
    refdata.set_calendar_day(None, date(2030, 9, 28), True, "调休上班")

    client.post("/admin/calendar/day/2030-09-28/remove")

    assert db.session.get(CalendarDay, date(2030, 9, 28)) is None


def test_admin_marks_a_year_loaded_and_unloaded(client, admin):
    client.post("/admin/calendar/2030/loaded", data={"loaded": "1", "note": "国办发明电"})
    assert db.session.get(CalendarYear, 2030) is not None

    client.post("/admin/calendar/2030/loaded", data={"loaded": "0"})
    assert db.session.get(CalendarYear, 2030) is None


def test_calendar_page_says_deadlines_in_an_unloaded_year_are_provisional(client, admin, page):
    html = page("/admin/calendar?year=2031")

    assert "尚未载入" in html and "临时期限" in html


def test_calendar_page_lists_the_years_overrides(client, admin, reference, page):
    html = page("/admin/calendar?year=2024")

    assert "2024年10月1日" in html and "2024年9月29日" in html


def reference_versions():
    return refdata.policy_versions()


def lpr_row(day: date):
    return db.session.query(LprRate).filter_by(effective_from=day).first()
