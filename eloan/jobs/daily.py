"""The daily job: deadlines, reminders, sanctions, ratios, suspensions and resumptions for one date.

It runs exactly once per date, whichever process gets there first — another gunicorn worker, the
scheduler, an operator at the command line. The run holds the lock of jobs/lock.py for its whole
length, a lock that dies with its process: a second process is told the job is running elsewhere,
and a date whose process was killed mid-run is retried at once by the next trigger. The work itself
is one transaction: it happens completely or, on an error, not at all, and the date is marked failed
so the next attempt retries.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import OperationalError

from eloan import clock
from eloan.domain.errors import RuleViolation, StateConflict, Violation
from eloan.domain.money import format_ratio
from eloan.extensions import db
from eloan.jobs.lock import daily_run_lock, lock_is_held, separate_lock
from eloan.models import DailyRun
from eloan.services import (
    audit,
    deadlines,
    expiry,
    idempotency_keys,
    mail,
    monitoring,
    notifications,
    ratios,
    sanctions,
)
from eloan.services.access import require
from eloan.services.reference import work_calendar

log = logging.getLogger(__name__)

# A run still going after this long is shown as a warning on 风险监测 (it usually takes seconds).
LONG_RUN = timedelta(hours=2)
# Days missed while the service was down are caught up, at most this many back; older ones are reported.
MAX_CATCH_UP_DAYS = 31


@dataclass
class RunResult:
    run_date: date
    outcome: str  # done | already_done | running_elsewhere
    summary: dict = field(default_factory=dict)

    @property
    def ran(self) -> bool:
        return self.outcome == "done"


@dataclass
class CatchUp:
    runs: list[RunResult]
    skipped: tuple[date, date] | None = None  # missed dates older than MAX_CATCH_UP_DAYS: not run, reported

    @property
    def blocked(self) -> bool:
        """Stopped because another process is running the job."""
        return any(r.outcome == "running_elsewhere" for r in self.runs)


def _latest_done() -> date | None:
    return db.session.scalar(select(func.max(DailyRun.run_date)).where(DailyRun.status == "done"))


def _check_date(day: date) -> None:
    today = clock.today()
    if day > today:
        raise RuleViolation(
            [Violation("date_in_future", f"{day} 晚于今天 {today}，每日任务不能提前运行。", None, "date")]
        )
    latest = _latest_done()
    if latest is not None and latest > day:
        raise StateConflict(
            "daily_run_out_of_order", f"每日任务已运行到 {latest}，不能再补跑更早的 {day}：暂停和恢复须按日期先后办理。"
        )


def _put_row(day: date, **values) -> None:
    """Update the date's row, or insert it."""
    if db.session.execute(update(DailyRun).where(DailyRun.run_date == day).values(**values)).rowcount == 0:
        db.session.execute(insert(DailyRun).values(run_date=day, **values))


def _claim(day: date) -> bool:
    """With the lock held: mark the date running (a failed run, or one whose process died, is ours now).
    False if it turns out to be done — a process that held the lock before us finished it."""
    # The write comes first: on SQLite it is what takes the lock (OperationalError if another run holds it).
    done = db.session.execute(
        update(DailyRun).where(DailyRun.run_date == day, DailyRun.status == "done").values(status="done")
    ).rowcount
    if done:
        db.session.rollback()
        return False
    _put_row(
        day, status="running", started_at=clock.now(), finished_at=None, host=socket.gethostname()[:100], summary={}
    )
    if separate_lock():
        db.session.commit()  # visible on 风险监测 while it runs; the lock, not the row, keeps others out
    return True


def _ratio_text(value) -> str | None:
    return None if value is None else format_ratio(value)


def _work(day: date, trigger: str) -> dict:
    cal = work_calendar()
    summary: dict = {"date": day.isoformat(), "trigger": trigger}
    summary["deadlines_recomputed"] = deadlines.recompute_provisional(None, cal)
    by_bank, programme = ratios.all_ratios_on(day)
    summary["snapshots"] = ratios.store_snapshots(day, by_bank, programme)
    summary["programme"] = {
        "outstanding": str(programme.outstanding),
        "npl_ratio": _ratio_text(programme.npl_ratio),
        "overdue_ratio": _ratio_text(programme.overdue_ratio),
    }
    policy = monitoring.thresholds_on(day).policy  # None: no thresholds to apply; the figures are still kept
    summary["policy"] = policy.code if policy else None
    decisions = monitoring.apply_thresholds(day, policy, by_bank, programme) if policy else []
    for action in ("suspended", "resumed", "manual_hold"):
        summary[action] = [d.bank_code for d in decisions if d.action == action]
    summary["sanctions_flagged"] = sanctions.sweep(day)
    summary.update(deadlines.send_reminders(day, cal))
    summary["matured_unreported"] = monitoring.remind_matured_unreported(day)
    summary["expiry_notices"] = expiry.send_notices(day)
    summary["idempotency_keys_pruned"] = idempotency_keys.prune_expired()
    audit.record(None, "job.daily", None, summary, object_type="daily_runs", object_id=day.isoformat())
    return summary


def _elsewhere(day: date) -> RunResult:
    db.session.expire_all()
    existing = db.session.get(DailyRun, day)
    if existing is not None and existing.status == "done":
        return RunResult(day, "already_done", existing.summary)
    log.warning("daily job for %s not run: another process is running the daily job", day)
    return RunResult(day, "running_elsewhere", {})


def run_daily(day: date | None = None, *, trigger: str = "manual") -> RunResult:
    """Run the job for `day` (default today) unless it has run; idempotent for a date."""
    day = day or clock.today()
    existing = db.session.get(DailyRun, day)
    if existing is not None and existing.status == "done":
        return RunResult(day, "already_done", existing.summary)
    _check_date(day)
    with daily_run_lock() as held:
        if not held:
            return _elsewhere(day)
        try:
            claimed = _claim(day)
        except OperationalError:  # SQLite: another process's run holds the write lock beyond the busy timeout
            db.session.rollback()
            return _elsewhere(day)
        if not claimed:
            return _elsewhere(day)
        try:
            summary = _work(day, trigger)
            _put_row(day, status="done", finished_at=clock.now(), summary=summary)
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            _put_row(
                day,
                status="failed",
                finished_at=clock.now(),
                summary={"trigger": trigger, "error": f"{type(exc).__name__}: {exc}"[:1000]},
            )
            db.session.commit()
            log.exception("daily job for %s failed", day)
            raise
    db.session.expire_all()
    log.info("daily job for %s done: %s", day, summary)
    mail.deliver_pending()
    return RunResult(day, "done", summary)


def run_by(actor, day: date | None = None, *, trigger: str = "web") -> RunResult:
    """An operator starts the job for a date from a page or the API (admin or 区财政局 only)."""
    require(actor, "jobs.run")
    result = run_daily(day, trigger=f"{trigger}:{actor.username}")
    if result.ran:
        audit.record(
            actor,
            "job.daily_started",
            None,
            {"date": result.run_date},
            object_type="daily_runs",
            object_id=result.run_date.isoformat(),
        )
        db.session.commit()
    return result


def dates_to_catch_up(today: date) -> tuple[list[date], tuple[date, date] | None]:
    """The dates from the day after the last completed run to today (just today if it never ran), and the
    missed dates too far back to catch up (first, last), if any."""
    latest = _latest_done()
    first_missed = today if latest is None else latest + timedelta(days=1)
    start = max(first_missed, today - timedelta(days=MAX_CATCH_UP_DAYS - 1))
    skipped = (first_missed, start - timedelta(days=1)) if first_missed < start else None
    return [start + timedelta(days=n) for n in range((today - start).days + 1)], skipped


def _report_skipped(first: date, last: date) -> None:
    """Missed days beyond the catch-up window are not run: 区财政局 and the administrators are told which."""
    days = (last - first).days + 1
    log.warning(
        "daily job catch-up: %s to %s (%d days) missed and older than %d days, not run",
        first,
        last,
        days,
        MAX_CATCH_UP_DAYS,
    )
    notifications.notify(
        notifications.users_with_roles("finance", "admin"),
        "daily_run_skipped",
        "每日任务有日期未补跑",
        f"系统停运期间错过了 {first} 至 {last} 共 {days} 天的每日任务，超过自动补跑的 {MAX_CATCH_UP_DAYS} 天上限，"
        "这些日期未运行（未计算当日比例、未发送当日提醒）。如需补记，请联系系统管理员。",
        "/monitoring#runs",
        dedupe_key=f"daily_run_skipped:{first}:{last}",
    )
    db.session.commit()


def catch_up(trigger: str = "scheduler") -> CatchUp:
    """Run every date missed up to today, in order; stops at the first that another process holds."""
    dates, skipped = dates_to_catch_up(clock.today())
    if skipped:
        _report_skipped(*skipped)
    results = []
    for day in dates:
        result = run_daily(day, trigger=trigger)
        results.append(result)
        if result.outcome == "running_elsewhere":
            break
    return CatchUp(results, skipped)


def recent_runs(limit: int = 30) -> list[DailyRun]:
    return db.session.scalars(select(DailyRun).order_by(DailyRun.run_date.desc()).limit(limit)).all()


def abandoned(runs: list[DailyRun]) -> set[date]:
    """The dates among `runs` left `running` by a process that is gone (retried by the next trigger).

    With the lock free every `running` row is abandoned; with it held, all but the latest started."""
    running = [r for r in runs if r.status == "running"]
    live = (
        max((r for r in running if r.started_at), key=lambda r: r.started_at, default=None)
        if running and lock_is_held()
        else None
    )
    return {r.run_date for r in running if r is not live}
