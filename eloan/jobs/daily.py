"""The daily job: deadlines, reminders, sanctions, ratios, suspensions and resumptions for one date.

It runs exactly once per date, whichever process gets there first: inserting the date's row in
daily_runs is the lock (a primary key both SQLite and PostgreSQL enforce), committed before the
work starts, so a second process — another gunicorn worker, the scheduler, an operator at the
command line — sees the row and does nothing. The work itself is one transaction: it happens
completely or, on an error, not at all, and the date is marked failed so the next attempt retries.
"""
from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from eloan import clock
from eloan.domain.errors import RuleViolation, StateConflict, Violation
from eloan.domain.money import format_ratio
from eloan.extensions import db
from eloan.models import DailyRun
from eloan.services import audit, deadlines, mail, monitoring, ratios, sanctions
from eloan.services.access import require_role
from eloan.services.reference import work_calendar

log = logging.getLogger(__name__)

# A run still "running" after this long belongs to a process that died; another may take it over.
STALE_AFTER = timedelta(hours=2)
# Days missed while the service was down are caught up, at most this many back.
MAX_CATCH_UP_DAYS = 31


@dataclass
class RunResult:
    run_date: date
    outcome: str  # done | already_done | running_elsewhere
    summary: dict = field(default_factory=dict)

    @property
    def ran(self) -> bool:
        return self.outcome == "done"


def _latest_done() -> date | None:
    return db.session.scalar(select(func.max(DailyRun.run_date)).where(DailyRun.status == "done"))


def _check_date(day: date) -> None:
    today = clock.today()
    if day > today:
        raise RuleViolation([Violation("date_in_future", f"{day} 晚于今天 {today}，每日任务不能提前运行。", None, "date")])
    latest = _latest_done()
    if latest is not None and latest > day:
        raise StateConflict("daily_run_out_of_order",
                            f"每日任务已运行到 {latest}，不能再补跑更早的 {day}：暂停和恢复须按日期先后办理。")


def _acquire(day: date) -> bool:
    """Insert the date's row (or take over a failed or abandoned run); False if another process has it."""
    now = clock.now()
    host = socket.gethostname()[:100]
    try:
        db.session.execute(insert(DailyRun).values(run_date=day, status="running", started_at=now, host=host,
                                                   summary={}))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    except OperationalError:  # SQLite: another process holds the write lock for its run
        db.session.rollback()
        return False
    taken = db.session.execute(
        update(DailyRun).where(DailyRun.run_date == day, or_(
            DailyRun.status == "failed",
            (DailyRun.status == "running") & (DailyRun.started_at < now - STALE_AFTER)))
        .values(status="running", started_at=now, host=host, finished_at=None))
    db.session.commit()
    return taken.rowcount == 1


def _ratio_text(value) -> str | None:
    return None if value is None else format_ratio(value)


def _work(day: date, trigger: str) -> dict:
    cal = work_calendar()
    summary: dict = {"date": day.isoformat(), "trigger": trigger}
    summary["deadlines_recomputed"] = deadlines.recompute_provisional(None, cal)
    by_bank, programme = ratios.all_ratios_on(day)
    summary["snapshots"] = ratios.store_snapshots(day, by_bank, programme)
    summary["programme"] = {"outstanding": str(programme.outstanding),
                            "npl_ratio": _ratio_text(programme.npl_ratio),
                            "overdue_ratio": _ratio_text(programme.overdue_ratio)}
    policy = monitoring.thresholds_on(day).policy  # None: no thresholds to apply; the figures are still kept
    summary["policy"] = policy.code if policy else None
    decisions = monitoring.apply_thresholds(day, policy, by_bank, programme) if policy else []
    for action in ("suspended", "resumed", "manual_hold"):
        summary[action] = [d.bank_code for d in decisions if d.action == action]
    summary["sanctions_flagged"] = sanctions.sweep(day)
    summary.update(deadlines.send_reminders(day, cal))
    summary["matured_unreported"] = monitoring.remind_matured_unreported(day)
    audit.record(None, "job.daily", None, summary, object_type="daily_runs", object_id=day.isoformat())
    return summary


def run_daily(day: date | None = None, *, trigger: str = "manual") -> RunResult:
    """Run the job for `day` (default today) unless it has run; idempotent for a date."""
    day = day or clock.today()
    existing = db.session.get(DailyRun, day)
    if existing is not None and existing.status == "done":
        return RunResult(day, "already_done", existing.summary)
    _check_date(day)
    db.session.rollback()  # end the read transaction before taking the lock
    if not _acquire(day):
        db.session.expire_all()
        existing = db.session.get(DailyRun, day)
        outcome = "already_done" if existing is not None and existing.status == "done" else "running_elsewhere"
        return RunResult(day, outcome, existing.summary if existing is not None else {})
    try:
        summary = _work(day, trigger)
        run = db.session.get(DailyRun, day)
        run.status, run.finished_at, run.summary = "done", clock.now(), summary
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        db.session.execute(update(DailyRun).where(DailyRun.run_date == day).values(
            status="failed", finished_at=clock.now(), summary={"error": f"{type(exc).__name__}: {exc}"[:1000]}))
        db.session.commit()
        log.exception("daily job for %s failed", day)
        raise
    log.info("daily job for %s done: %s", day, summary)
    mail.deliver_pending()
    return RunResult(day, "done", summary)


RUN_ROLES = ("admin", "finance")


def run_by(actor, day: date | None = None, *, trigger: str = "web") -> RunResult:
    """An operator starts the job for a date from a page or the API (admin or 区财政局 only)."""
    require_role(actor, *RUN_ROLES)
    result = run_daily(day, trigger=f"{trigger}:{actor.username}")
    if result.ran:
        audit.record(actor, "job.daily_started", None, {"date": result.run_date}, object_type="daily_runs",
                     object_id=result.run_date.isoformat())
        db.session.commit()
    return result


def dates_to_catch_up(today: date) -> list[date]:
    """The dates from the day after the last completed run to today (just today if it never ran)."""
    latest = _latest_done()
    start = today if latest is None else max(latest + timedelta(days=1), today - timedelta(days=MAX_CATCH_UP_DAYS - 1))
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def catch_up(trigger: str = "scheduler") -> list[RunResult]:
    """Run every date missed up to today, in order; stops at the first that another process holds."""
    results = []
    for day in dates_to_catch_up(clock.today()):
        result = run_daily(day, trigger=trigger)
        results.append(result)
        if result.outcome == "running_elsewhere":
            break
    return results


def recent_runs(limit: int = 30) -> list[DailyRun]:
    return db.session.scalars(select(DailyRun).order_by(DailyRun.run_date.desc()).limit(limit)).all()
