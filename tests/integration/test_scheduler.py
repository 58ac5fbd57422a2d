"""The scheduler's wiring: the configured time, catch-up on start and hourly, and the weekly matured-loan nudge."""

from __future__ import annotations

from datetime import date

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from eloan.domain.calendar import TZ
from eloan.extensions import db
from eloan.jobs import scheduler
from eloan.jobs.daily import run_daily
from eloan.models import DailyRun, Notification, User
from tests.fixtures.monitoring import put_loan


def test_the_daily_time_is_read_as_beijing_time_and_a_bad_one_is_explained():
    assert scheduler.parse_daily_at("01:30") == (1, 30) and scheduler.parse_daily_at(" 23:05 ") == (23, 5)
    for bad in ("25:00", "1.30", "noon"):
        with pytest.raises(ValueError, match="HH:MM"):
            scheduler.parse_daily_at(bad)


def test_the_job_is_scheduled_daily_at_the_configured_time_and_catches_up(app, monkeypatch):
    monkeypatch.setitem(app.config, "ELOAN_DAILY_AT", "02:15")
    configured = scheduler.configure(BackgroundScheduler(timezone=TZ), app)
    jobs = {job.id: job for job in configured.get_jobs()}
    assert set(jobs) == {"daily", "catch_up", "catch_up_on_start", "mail"}
    daily = jobs["daily"].trigger
    assert str(daily.fields[daily.FIELD_NAMES.index("hour")]) == "2"
    assert str(daily.fields[daily.FIELD_NAMES.index("minute")]) == "15" and daily.timezone == TZ


def test_the_scheduled_catch_up_runs_the_days_missed_while_down(monitored, app, today):
    today("2025-03-07")
    run_daily(date(2025, 3, 7))
    today("2025-03-10")
    scheduler._catch_up(app)  # what the scheduler calls on start, hourly and at the daily time
    db.session.expire_all()
    done = sorted(r.run_date for r in db.session.query(DailyRun).filter_by(status="done"))
    assert done == [date(2025, 3, 7), date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 10)]


def test_a_bank_is_nudged_weekly_about_matured_loans_it_still_reports_normal(monitored, today):
    put_loan("B1", "500000.00", maturity=date(2025, 3, 7))
    teller = db.session.query(User).filter_by(username="teller").one()
    for day in (date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 17)):  # Monday, Tuesday, next Monday
        today(day.isoformat())
        run_daily(day)
    notices = db.session.query(Notification).filter_by(user_id=teller.id, kind="loans_matured_unreported").all()
    assert len(notices) == 2 and "1 笔贷款已到期" in notices[0].title
    assert notices[0].link == "/loans?matured_unreported=1"


def test_with_eloan_scheduler_a_web_process_starts_one_scheduler_on_its_first_request(monkeypatch, tmp_path):
    from eloan import create_app
    from tests.fixtures.app import TEST_DB_URL

    started = []

    class FakeScheduler:
        def __init__(self, **kw):
            self.jobs = []

        def add_job(self, func, trigger, **kw):
            self.jobs.append(kw["id"])

        def start(self):
            started.append(sorted(self.jobs))

    monkeypatch.setattr(scheduler, "BackgroundScheduler", FakeScheduler)
    web = create_app({"ELOAN_SCHEDULER": True, "SQLALCHEMY_DATABASE_URI": TEST_DB_URL, "TESTING": True})
    assert started == []  # creating the app (as every CLI command does) starts nothing
    client = web.test_client()
    client.get("/login")
    client.get("/login")
    assert started == [["catch_up", "catch_up_on_start", "daily", "mail"]]
