"""The home pages warn of the policy version and the bank agreements ending within 60 days (POLICY.md §16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import event

from eloan.domain.policy import TZ_2023_9
from eloan.extensions import db
from eloan.services import reference as reference_data
from tests.fixtures.web import page_text

# 2025-10-15 is 45 days before TZ-2023-9 and the agreements below end (2025-11-29).
DEMO_DAY = "2025-10-15"


@pytest.fixture()
def banks_ending(reference, today, make_bank, make_user):
    today(DEMO_DAY)
    make_bank(
        "B1",
        name="甲银行台儿庄支行",
        agreement_no="协议-B1",
        agreement_from=date(2023, 12, 1),
        agreement_to=date(2025, 11, 29),
    )
    make_bank("B2", name="乙银行台儿庄支行", agreement_from=date(2024, 1, 1), agreement_to=date(2025, 10, 20))
    make_bank("B3", name="丙银行台儿庄支行", agreement_from=date(2024, 1, 1), agreement_to=date(2026, 6, 30))
    make_bank(
        "B4",
        name="丁银行台儿庄支行",
        agreement_from=date(2024, 1, 1),
        agreement_to=date(2025, 11, 1),
        status="disqualified",
    )
    for role in ("finance", "fsc", "zone", "admin"):
        make_user(role, roles=(role,))
    make_user("teller1", roles=("bank",), bank_code="B1")
    make_user("teller3", roles=("bank",), bank_code="B3")


def _home(as_user, page, username):
    as_user(username)
    return page_text(page("/"))


@pytest.mark.parametrize("username", ["finance", "fsc"])
def test_finance_and_fsc_see_the_policy_and_the_agreements_ending(banks_ending, as_user, page, username):
    text = _home(as_user, page, username)

    assert "政策版本 TZ-2023-9 将于2025年11月29日到期，还剩 45 天。" in text
    assert "第二十二条" in text and "系统管理 → 政策版本" in text
    assert "2 家合作银行的合作协议将在60日内到期" in text
    # Nearest end first: B2 in 5 days, then B1 in 45; B3 (258 days) and the disqualified B4 are not listed.
    assert text.index("乙银行台儿庄支行（B2）") < text.index("甲银行台儿庄支行（B1）")
    assert "2025年10月20日 还剩 5 天" in text and "协议-B1 2025年11月29日 还剩 45 天" in text
    assert "丙银行台儿庄支行（B3）" not in text and "丁银行" not in text


def test_the_agreement_rows_link_to_the_bank_pages(banks_ending, as_user, page):
    as_user("finance")

    html = page("/")

    assert 'href="/banks/B1"' in html and 'href="/banks/B2"' in html


def test_the_admin_sees_the_policy_ending_with_a_link_to_the_versions_but_no_agreements(banks_ending, as_user, page):
    as_user("admin")
    html = page("/")

    assert "政策版本 TZ-2023-9 将于2025年11月29日到期" in page_text(html)
    assert '<a href="/admin/policies">系统管理 → 政策版本</a>' in html
    assert "合作协议将在60日内到期" not in page_text(html)


def test_a_bank_user_sees_its_own_agreement_ending_and_nothing_of_other_banks(banks_ending, as_user, page):
    text = _home(as_user, page, "teller1")

    assert "本行合作协议将于2025年11月29日到期，还剩 45 天。" in text
    assert "甲银行台儿庄支行的合作协议（协议-B1）" in text
    assert "乙银行" not in text and "政策版本 TZ-2023-9 将于" not in text


def test_a_bank_whose_agreement_runs_on_sees_no_warning(banks_ending, as_user, page):
    text = _home(as_user, page, "teller3")

    assert "合作协议将于" not in text and "乙银行" not in text and "甲银行" not in text


def test_zone_sees_no_expiry_warning(banks_ending, as_user, page):
    text = _home(as_user, page, "zone")

    assert "将于2025年11月29日到期" not in text and "合作协议" not in text


def test_nothing_is_said_sixty_one_days_before(banks_ending, as_user, page, today):
    today("2025-08-20")  # B2 61 days before its end; the rest further off

    text = _home(as_user, page, "finance")

    assert "合作协议将在60日内到期" not in text and "政策版本 TZ-2023-9 将于" not in text


def test_on_the_last_day_the_warning_says_so(banks_ending, as_user, page, today):
    today("2025-11-29")

    text = _home(as_user, page, "teller1")

    assert "本行合作协议将于2025年11月29日到期，今天是最后一天。" in text


def test_once_the_next_version_is_entered_the_policy_warning_goes(banks_ending, as_user, page):
    reference_data.save_policy_version(
        None, replace(TZ_2023_9, code="TZ-2025-11", effective_from=date(2025, 11, 30), effective_to=None)
    )
    db.session.commit()

    text = _home(as_user, page, "finance")

    assert "政策版本 TZ-2023-9 将于" not in text
    assert "2 家合作银行的合作协议将在60日内到期" in text  # the agreements still need renewing


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


def test_the_finance_home_runs_as_many_statements_for_four_agreements_ending_as_for_two(
    banks_ending, make_bank, as_user, client
):
    as_user("finance")
    two = _statements(client, "/")
    for code in ("B5", "B6"):
        make_bank(code, name=f"{code}银行", agreement_from=date(2024, 1, 1), agreement_to=date(2025, 11, 10))

    text_html = client.get("/").get_data(as_text=True)
    assert "4 家合作银行的合作协议将在60日内到期" in page_text(text_html)
    assert _statements(client, "/") == two


def test_the_admin_policy_card_marks_the_end_date_with_the_days_left(banks_ending, as_user, page):
    as_user("admin")

    html = page("/")

    assert '<div class="figure figure--warning"><dt>有效期至</dt><dd>2025年11月29日（还剩 45 天）</dd></div>' in html
