"""The daily job notifies once at 60, 30 and 7 days before the policy version and each agreement end
(POLICY.md §16), by its run date, also when runs were missed."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.extensions import db
from eloan.jobs.daily import catch_up, run_daily
from eloan.models import Bank, Notification, User
from tests.fixtures.web import flash_text, page_text

END = date(2025, 11, 29)  # TZ-2023-9 and B1's agreement end; B2's ends 2025-12-31


@pytest.fixture()
def people(reference, today, make_bank, make_user):
    today("2025-12-31")  # the job may run any date up to today
    make_bank("B1", name="甲银行台儿庄支行", agreement_from=date(2023, 12, 1), agreement_to=END)
    make_bank("B2", name="乙银行台儿庄支行", agreement_from=date(2024, 1, 1), agreement_to=date(2025, 12, 31))
    for role in ("finance", "fsc", "admin", "zone", "industry", "auditor"):
        make_user(role, roles=(role,))
    make_user("teller1", roles=("bank",), bank_code="B1")
    make_user("teller2", roles=("bank",), bank_code="B2")


def _notices(username: str) -> list[str]:
    """The titles of the expiry notices `username` has received, oldest first."""
    db.session.expire_all()
    user = db.session.query(User).filter_by(username=username).one()
    rows = (
        db.session.query(Notification)
        .filter(Notification.user_id == user.id, Notification.kind.in_(("policy_expiring", "agreement_expiring")))
        .order_by(Notification.id)
        .all()
    )
    return [n.title for n in rows]


POLICY = "政策版本 TZ-2023-9 将于2025年11月29日到期"
B1 = "甲银行台儿庄支行的合作协议将于2025年11月29日到期"
B2 = "乙银行台儿庄支行的合作协议将于2025年12月31日到期"


def test_nothing_is_sent_sixty_one_days_before(people):
    result = run_daily(date(2025, 9, 29))

    assert result.summary["expiry_notices"] == {"policy": [], "agreements": []}
    assert _notices("finance") == []


def test_the_sixtieth_day_notifies_the_policy_to_finance_fsc_and_admin_and_the_agreement_to_its_bank(people):
    result = run_daily(date(2025, 9, 30))

    assert result.summary["expiry_notices"] == {"policy": ["TZ-2023-9:60"], "agreements": ["B1:60"]}
    assert _notices("finance") == _notices("fsc") == [POLICY, B1]
    assert _notices("admin") == [POLICY]
    assert _notices("teller1") == [B1]
    assert _notices("teller2") == [] and _notices("zone") == [] and _notices("industry") == []
    assert _notices("auditor") == []


def test_the_notice_says_the_days_left_and_what_to_do(people):
    run_daily(date(2025, 10, 1))

    teller = db.session.query(User).filter_by(username="teller1").one()
    notice = db.session.query(Notification).filter_by(user_id=teller.id).one()
    assert "有效期至2025年11月29日，还剩 59 天。" in notice.body and "续签协议" in notice.body
    assert notice.link == "/banks/B1"
    admin = db.session.query(User).filter_by(username="admin").one()
    assert db.session.query(Notification).filter_by(user_id=admin.id).one().link == "/admin/policies"
    finance = db.session.query(User).filter_by(username="finance").one()
    policy_notice = db.session.query(Notification).filter_by(user_id=finance.id, kind="policy_expiring").one()
    assert "第二十二条" in policy_notice.body and policy_notice.link is None  # finance cannot open 系统管理


def test_each_step_is_sent_once_and_a_missed_step_day_is_caught_up(people):
    run_daily(date(2025, 9, 29))  # 61 days left: nothing
    run_daily(date(2025, 10, 2))  # 58 days: the runs of 60 and 59 were missed; the 60-day notice goes now
    assert _notices("teller1") == [B1]
    assert run_daily(date(2025, 10, 2)).outcome == "already_done"
    assert run_daily(date(2025, 10, 3)).summary["expiry_notices"] == {"policy": [], "agreements": []}
    assert _notices("teller1") == [B1]

    run_daily(date(2025, 10, 30))  # 30 days left
    run_daily(date(2025, 10, 31))
    run_daily(date(2025, 11, 24))  # 5 days: the 7-day step's day was missed
    run_daily(date(2025, 11, 29))  # the last day: the 7-day notice was sent already
    assert _notices("teller1") == [B1, B1, B1]
    assert _notices("admin") == [POLICY, POLICY, POLICY]
    # B2's agreement ends 2025-12-31: 60 days before is 2025-11-01, when the job did not run; the
    # 2025-11-24 run (37 days left) sends its 60-day notice, the 2025-11-29 run (32 days) nothing new.
    assert _notices("teller2") == [B2]
    assert _notices("finance") == [POLICY, B1, POLICY, B1, POLICY, B1, B2]


def test_a_catch_up_of_several_days_sends_each_step_once(people, today):
    run_daily(date(2025, 9, 28))
    today("2025-10-03")

    runs = catch_up(trigger="test")

    assert [r.run_date for r in runs.runs] == [date(2025, 9, d) for d in (29, 30)] + [
        date(2025, 10, d) for d in (1, 2, 3)
    ]
    assert [r.summary["expiry_notices"]["agreements"] for r in runs.runs] == [[], ["B1:60"], [], [], []]
    assert _notices("teller1") == [B1]


def test_a_changed_end_date_is_warned_of_afresh(people):
    run_daily(date(2025, 10, 1))
    bank = db.session.query(Bank).filter_by(code="B1").one()
    bank.agreement_to = date(2026, 11, 29)  # renewed for a year
    db.session.commit()

    run_daily(date(2025, 10, 2))
    assert _notices("teller1") == [B1]  # nothing new: 423 days left

    bank.agreement_to = date(2025, 11, 30)  # corrected to a day later: its 60-day notice is owed again
    db.session.commit()
    run_daily(date(2025, 10, 3))
    assert _notices("teller1") == [B1, "甲银行台儿庄支行的合作协议将于2025年11月30日到期"]


def test_the_run_on_the_monitoring_page_reads_out_the_notices_and_the_inbox_tags_them(people, client, login):
    login("finance")

    response = client.post("/monitoring/run", data={"run_date": "2025-09-30"}, follow_redirects=True)

    assert "到期提醒：政策版本 TZ-2023-9（60天）、甲银行台儿庄支行合作协议（60天）" in flash_text(
        response.get_data(as_text=True)
    )
    inbox = page_text(client.get("/notifications").get_data(as_text=True))
    assert "政策到期" in inbox and "协议到期" in inbox
    assert "甲银行台儿庄支行的合作协议将于2025年11月29日到期" in inbox
