"""Two processes start the daily job for the same date — two gunicorn workers, or the scheduler and an
operator — and it runs once: one suspension record, one set of figures, one notice each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from eloan.extensions import db
from eloan.models import BankStatusChange, DailyRun, Notification, RatioSnapshot, User
from tests.fixtures.monitoring import put_loan

# Each process holds the date for a second before working, so the two surely overlap.
_RUNNER = """
import json, os, sys, time
from eloan import create_app
from eloan.jobs import daily

original = daily._work
def slow_work(day, trigger):
    time.sleep(1.0)
    return original(day, trigger)
daily._work = slow_work

app = create_app()
with app.app_context():
    time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
    result = daily.run_daily(daily.clock.today(), trigger="process")
    print(json.dumps({"outcome": result.outcome}))
"""


def test_two_processes_for_the_same_date_run_it_once(monitored, tmp_path: Path):
    put_loan("B1", "9000000.00")
    put_loan("B1", "1000000.00", events=(("overdue", date(2025, 2, 3)), ("npl", date(2025, 3, 3))))
    put_loan("B2", "40000000.00", enterprise_no=2)
    env = {
        **os.environ,
        "ELOAN_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "ELOAN_TODAY": "2025-03-10",
        "ELOAN_INSTANCE_DIR": str(tmp_path),
        "START_AT": str(time.time() + 3),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RUNNER],
            env=env,
            cwd=Path(__file__).parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outputs]
    outcomes = [json.loads(out.strip().splitlines()[-1])["outcome"] for out, _ in outputs]
    assert outcomes.count("done") == 1, outcomes
    assert set(outcomes) - {"done"} <= {"already_done", "running_elsewhere"}, outcomes
    db.session.expire_all()
    assert db.session.query(DailyRun).filter_by(status="done").count() == 1
    assert db.session.query(BankStatusChange).filter_by(source="daily_job").count() == 1
    assert db.session.query(RatioSnapshot).count() == 3
    finance = db.session.query(User).filter_by(username="finance").one()
    assert db.session.query(Notification).filter_by(user_id=finance.id, kind="bank_status").count() == 1
