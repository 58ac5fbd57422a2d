"""Reminders two working days before the deadlines of 第十五、十六条, escalation once missed, and
provisional deadlines recomputed when a year's arrangement is loaded (POLICY.md §3, §7)."""

from __future__ import annotations

from datetime import date

from eloan.domain.calendar import WorkCalendar
from eloan.domain.reminders import deadline_phase
from eloan.extensions import db
from eloan.jobs.daily import run_daily
from eloan.models import CalendarYear, Notification, User
from eloan.services import calendar_year, claims
from tests.fixtures.claims import complete, reviewed


def _notices(username, kind):
    user = db.session.query(User).filter_by(username=username).one()
    return db.session.query(Notification).filter_by(user_id=user.id, kind=kind).order_by(Notification.id).all()


def test_the_reminder_starts_two_working_days_before_and_spans_a_holiday():
    cal = WorkCalendar({date(2024, 10, d): False for d in range(1, 8)}, {2024})
    # due Thu 2024-10-10: reminded from Tue 10-08; the National Day week does not count
    assert deadline_phase(date(2024, 10, 7), date(2024, 10, 10), cal) is None
    assert deadline_phase(date(2024, 10, 8), date(2024, 10, 10), cal) == "remind"
    assert deadline_phase(date(2024, 10, 10), date(2024, 10, 10), cal) == "remind"
    assert deadline_phase(date(2024, 10, 11), date(2024, 10, 10), cal) == "missed"
    # due Tue 10-08: the two working days before are 09-30 and 09-29 (a make-up Sunday is not loaded here)
    assert WorkCalendar({}, {2024}).working_day_before(date(2024, 10, 8), 2) == date(2024, 10, 4)
    assert cal.working_day_before(date(2024, 10, 8), 2) == date(2024, 9, 27)


def test_the_bank_is_reminded_before_its_filing_deadline_and_finance_hears_when_it_is_missed(npl, today):
    # NPL recognised Fri 2024-09-27 → filing deadline Thu 2024-10-10 (POLICY.md §3's example)
    run_daily(date(2024, 9, 30))
    assert _notices("teller", "deadline_reminder") == []
    today("2024-10-08")
    run_daily(date(2024, 10, 8))
    [reminder] = _notices("teller", "deadline_reminder")
    assert "2024-10-10" in reminder.body and reminder.link == f"/loans/{npl['loan'].id}"
    assert _notices("teller2", "deadline_reminder") == []  # another bank's staff hear nothing
    today("2024-10-09")
    run_daily(date(2024, 10, 9))
    assert len(_notices("teller", "deadline_reminder")) == 1  # once per deadline, not every day
    today("2024-10-11")
    run_daily(date(2024, 10, 11))
    [missed] = _notices("finance", "deadline_missed")
    assert "2024-10-10" in missed.body and "延期" in missed.body
    assert len(_notices("teller", "deadline_missed")) == 1


def test_a_submitted_claim_reminds_finance_and_the_reviewers_still_to_review(npl, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)  # accepted 2024-09-30 → opinion due 2024-10-15
    claims.review(npl["zone"], claim.id, "approve")
    today("2024-10-11")  # the second working day before Tue 10-15 is Sat 10-12, a make-up working day
    run_daily(date(2024, 10, 11))
    assert _notices("finance", "deadline_reminder") == []
    today("2024-10-12")
    run_daily(date(2024, 10, 12))
    assert len(_notices("finance", "deadline_reminder")) == 1
    assert len(_notices("industry", "deadline_reminder")) == 1 and len(_notices("fsc", "deadline_reminder")) == 1
    assert _notices("zone", "deadline_reminder") == []  # already reviewed this round


def test_an_approved_claim_reminds_finance_of_the_payout_deadline(npl, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    reviewed(npl, claim)
    claims.give_opinion(npl["finance"], claim.id, "approve")
    db.session.refresh(claim)
    assert claim.status in ("approved", "awaiting_funds")
    due = claim.payout_deadline
    today(due.isoformat())
    run_daily(due)
    [reminder] = [n for n in _notices("finance2", "deadline_reminder") if "拨付" in n.title]
    assert str(due) in reminder.body


def test_a_provisional_deadline_is_recomputed_when_its_year_is_loaded(npl, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    # as if the claim had been opened before 2024's arrangement was loaded: a Monday–Friday deadline
    claim.filing_deadline, claim.filing_deadline_provisional = date(2024, 10, 4), True
    db.session.commit()
    db.session.delete(db.session.get(CalendarYear, 2024))
    db.session.commit()
    calendar_year.mark_year_loaded(None, 2024, True, "国务院办公厅通知")  # None: the operator at the command line
    db.session.refresh(claim)
    assert (claim.filing_deadline, claim.filing_deadline_provisional) == (date(2024, 10, 10), False)
    [notice] = _notices("teller", "deadline_recomputed")
    assert "2024-10-04 → 2024-10-10" in notice.body
