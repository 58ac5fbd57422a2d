"""The daily job's lock dies with its process: a date left `running` by a killed process is retried at once,
a run held by a live process is refused (and `run-daily` exits non-zero), and catch-up says what it skipped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from eloan import clock
from eloan.cli import EXIT_RUNNING_ELSEWHERE
from eloan.extensions import db
from eloan.jobs import lock
from eloan.jobs.daily import catch_up, run_daily
from eloan.models import DailyRun, Notification, RatioSnapshot, User

DAY = date(2025, 3, 10)


def _left_running(day: date = DAY, minutes_ago: int = 5) -> None:
    """What `kill -9` mid-run leaves: the date's row says running, and no process holds the lock."""
    db.session.add(
        DailyRun(
            run_date=day,
            status="running",
            started_at=clock.now() - timedelta(minutes=minutes_ago),
            host="web-1",
            summary={},
        )
    )
    db.session.commit()


@pytest.fixture()
def other_process(app):
    """A second connection to the database, as another process would have (closing it really closes it)."""
    engine = create_engine(db.engine.url, poolclass=NullPool)
    conn = engine.connect()
    yield conn
    conn.close()
    engine.dispose()


def _take_lock(conn) -> None:
    assert conn.execute(text("SELECT pg_try_advisory_lock(:c, :o)"), {"c": lock._CLASS, "o": lock._OBJECT}).scalar()
    conn.commit()


def test_a_date_left_running_by_a_killed_process_is_retried_at_once(monitored):
    _left_running()

    result = run_daily(DAY)

    assert result.outcome == "done"
    db.session.expire_all()
    assert db.session.get(DailyRun, DAY).status == "done" and db.session.query(RatioSnapshot).count() > 0


def test_catch_up_is_not_blocked_by_a_date_whose_process_died(monitored, today):
    today("2025-03-08")
    run_daily(date(2025, 3, 8))
    today("2025-03-10")
    _left_running(date(2025, 3, 9))

    done = catch_up()

    assert [(r.run_date, r.outcome) for r in done.runs] == [(date(2025, 3, 9), "done"), (date(2025, 3, 10), "done")]


@pytest.mark.postgres_only
def test_a_run_whose_process_took_the_lock_and_died_is_retried_at_once(monitored, other_process):
    _take_lock(other_process)
    _left_running()
    other_process.close()  # the process dies: the server drops its connection and its lock

    assert run_daily(DAY).outcome == "done"


@pytest.mark.postgres_only
def test_while_a_live_process_runs_the_job_run_daily_does_nothing_and_exits_non_zero(app, monitored, other_process):
    _take_lock(other_process)
    _left_running()

    outcome = app.test_cli_runner().invoke(args=["eloan", "run-daily", "--date", "2025-03-10"])

    assert outcome.exit_code == EXIT_RUNNING_ELSEWHERE, outcome.output
    assert "另一进程正在运行每日任务" in outcome.output and "未做任何改动" in outcome.output
    db.session.expire_all()
    assert db.session.get(DailyRun, DAY).status == "running" and db.session.query(RatioSnapshot).count() == 0
    assert lock.lock_is_held()

    other_process.close()
    again = app.test_cli_runner().invoke(args=["eloan", "run-daily", "--date", "2025-03-10"])
    assert again.exit_code == 0 and "每日任务完成" in again.output


@pytest.mark.postgres_only
def test_a_live_run_is_not_reported_as_abandoned_but_an_older_running_row_is(monitored, other_process):
    from eloan.jobs.daily import abandoned, recent_runs

    _left_running(date(2025, 3, 9), minutes_ago=60)
    _left_running(DAY, minutes_ago=1)
    assert abandoned(recent_runs()) == {date(2025, 3, 9), DAY}

    _take_lock(other_process)
    assert abandoned(recent_runs()) == {date(2025, 3, 9)}


def test_catch_up_beyond_its_window_reports_the_dates_it_skipped(app, monitored, today):
    today("2025-01-01")
    run_daily(date(2025, 1, 1))
    today("2025-03-10")

    outcome = app.test_cli_runner().invoke(args=["eloan", "run-daily", "--catch-up"])

    assert outcome.exit_code == 0, outcome.output
    assert "2025-01-02 至 2025-02-07 共 37 天超过补跑上限（31 天），未运行" in outcome.output
    db.session.expire_all()
    assert db.session.query(DailyRun).filter_by(status="done").count() == 1 + 31
    finance = db.session.query(User).filter_by(username="finance").one()
    told = db.session.query(Notification).filter_by(user_id=finance.id, kind="daily_run_skipped").one()
    assert "2025-01-02 至 2025-02-07" in told.body
    assert catch_up().skipped is None  # caught up: nothing more is skipped, and nobody is told twice
