"""APScheduler 3.x wiring for the daily job and the mail queue.

Two ways to run it (README "Scheduler"):
- one dedicated process, `flask --app wsgi eloan scheduler` (recommended in production);
- or ELOAN_SCHEDULER=1 in the web processes: each gunicorn worker starts its own scheduler on its
  first request, and the daily job's lock (jobs/lock.py) lets only one of them run at a time.

Either way the job catches up: on start, and every hour, it runs every date from the last
completed run to today, so a day missed while the service was down is done when it comes back.
"""

from __future__ import annotations

import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from eloan.domain.calendar import TZ

log = logging.getLogger(__name__)
_started: dict[int, BaseScheduler] = {}
_start_lock = threading.Lock()


def parse_daily_at(text: str) -> tuple[int, int]:
    """ "01:30" → (1, 30); a bad setting stops the start-up with a clear message."""
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"ELOAN_DAILY_AT must be HH:MM in Beijing time, e.g. 01:30 (got {text!r})") from None
    return hour, minute


def _catch_up(app: Flask) -> None:
    from eloan.jobs.daily import catch_up

    with app.app_context():
        try:
            done = catch_up(trigger="scheduler")
            for result in done.runs:
                log.info("daily job %s: %s", result.run_date, result.outcome)
        except Exception:  # logged; the date is marked failed and retried at the next trigger
            log.exception("scheduled daily job failed")


def _deliver_mail(app: Flask) -> None:
    from eloan.services.mail import deliver_pending

    with app.app_context():
        try:
            deliver_pending()
        except Exception:
            log.exception("mail delivery failed")


def configure(scheduler: BaseScheduler, app: Flask) -> BaseScheduler:
    hour, minute = parse_daily_at(app.config["ELOAN_DAILY_AT"])
    common = {"args": (app,), "coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(_catch_up, "cron", hour=hour, minute=minute, id="daily", **common)
    scheduler.add_job(_catch_up, "interval", hours=1, id="catch_up", **common)
    scheduler.add_job(_catch_up, "date", id="catch_up_on_start", **common)  # now: a missed day is done at once
    scheduler.add_job(_deliver_mail, "interval", minutes=5, id="mail", **common)
    return scheduler


def start_scheduler(app: Flask) -> None:
    """Start a background scheduler in this process, on its first request (not in CLI commands)."""

    @app.before_request
    def _start_once():
        with _start_lock:
            if id(app) not in _started:
                scheduler = configure(BackgroundScheduler(timezone=TZ, daemon=True), app)
                scheduler.start()
                _started[id(app)] = scheduler
                log.info("scheduler started in this process: daily job at %s", app.config["ELOAN_DAILY_AT"])


def run_blocking(app: Flask) -> None:
    """The dedicated scheduler process: runs until stopped."""
    scheduler = configure(BlockingScheduler(timezone=TZ), app)
    log.info("scheduler process started: daily job at %s Beijing time, catch-up hourly", app.config["ELOAN_DAILY_AT"])
    scheduler.start()
