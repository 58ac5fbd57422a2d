"""Reference data: policy versions, the working-day calendar and the LPR table (POLICY.md §2, §3, §6).

Rules never read these tables directly: they ask here for a PolicyParams, a WorkCalendar or an LPR,
so the domain stays pure and the data stays editable by `admin`.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from eloan import clock
from eloan.domain import money
from eloan.domain.calendar import Deadline, WorkCalendar, library_calendar, library_day_notes
from eloan.domain.errors import NotFound, RuleViolation, Violation
from eloan.domain.policy import TZ_2023_9, PolicyParams, overlapping, policy_in_force, validate_params
from eloan.extensions import db
from eloan.models import CalendarDay, CalendarYear, LprRate, PolicyVersion
from eloan.services import audit
from eloan.services.access import require

# 1-year LPR since the reform of 2019-08-20: the dates each new value took effect. Months in
# between were published unchanged, so the value in force on a date is the latest row on or before it.
LPR_HISTORY: tuple[tuple[str, str], ...] = (
    ("2019-08-20", "4.25"),
    ("2019-09-20", "4.20"),
    ("2019-11-20", "4.15"),
    ("2020-02-20", "4.05"),
    ("2020-04-20", "3.85"),
    ("2021-12-20", "3.80"),
    ("2022-01-20", "3.70"),
    ("2022-08-22", "3.65"),
    ("2023-06-20", "3.55"),
    ("2023-08-21", "3.45"),
    ("2024-07-22", "3.35"),
    ("2024-10-21", "3.10"),
    ("2025-05-20", "3.00"),
)

POLICY_FIELDS = [f.name for f in dataclasses.fields(PolicyParams)]


# ---- policy versions -------------------------------------------------------------------------


def params_of(row: PolicyVersion) -> PolicyParams:
    values = {name: getattr(row, name) for name in POLICY_FIELDS}
    values["eligible_industries"] = tuple(row.eligible_industries or ())
    return PolicyParams(**values)


def policy_versions() -> list[PolicyVersion]:
    return db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.effective_from)).all()


def get_policy_version(version_id: int) -> PolicyVersion:
    row = db.session.get(PolicyVersion, version_id)
    if row is None:
        raise NotFound("政策版本不存在。")
    return row


def policy_on(d: date) -> PolicyParams:
    """The version in force on d; NoPolicyInForce (a RuleViolation) when there is none."""
    return policy_in_force((params_of(v) for v in policy_versions()), d)


def save_policy_version(
    actor, params: PolicyParams, *, note: str | None = None, version_id: int | None = None
) -> PolicyVersion:
    """Create a version, or change one (`version_id`). Refuses invalid numbers and overlaps."""
    if actor is not None:
        require(actor, "system.manage")
    problems = validate_params(params)
    others = [params_of(v) for v in policy_versions() if v.id != version_id]
    if any(o.code == params.code for o in others):
        problems.append(Violation("policy_code_taken", f"政策版本编号 {params.code} 已存在。", field="code"))
    for a, b in overlapping(others + [params]):
        if params.code in (a, b):
            other = b if a == params.code else a
            problems.append(
                Violation(
                    "policy_overlap",
                    f"有效期与版本 {other} 重叠：同一日期只能有一个有效版本。",
                    "第二十二条",
                    "effective_from",
                )
            )
    if problems:
        raise RuleViolation(problems)
    if version_id is None:
        row = PolicyVersion()
        before = {}
        db.session.add(row)
    else:
        row = get_policy_version(version_id)
        before = audit.snapshot(row, POLICY_FIELDS)
    for name in POLICY_FIELDS:
        value = getattr(params, name)
        setattr(row, name, list(value) if name == "eligible_industries" else value)
    row.note = note
    audit.record(
        actor,
        "policy.create" if version_id is None else "policy.update",
        row,
        audit.diff(before, audit.snapshot(row, POLICY_FIELDS)),
    )
    db.session.commit()
    return row


# ---- calendar --------------------------------------------------------------------------------


def work_calendar() -> WorkCalendar:
    overrides = {d.day: d.is_workday for d in db.session.scalars(select(CalendarDay))}
    years = db.session.scalars(select(CalendarYear.year)).all()
    return WorkCalendar(overrides, years)


def deadline(start: date, *, working_days: int | None = None, days: int | None = None) -> Deadline:
    cal = work_calendar()
    if working_days is not None:
        return cal.add_working_days(start, working_days)
    if days is None:
        raise ValueError("working_days or days is required")
    return cal.add_days(start, days)


def calendar_years() -> list[CalendarYear]:
    return db.session.scalars(select(CalendarYear).order_by(CalendarYear.year)).all()


def calendar_days(year: int) -> list[CalendarDay]:
    return db.session.scalars(
        select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)
    ).all()


def set_calendar_day(actor, day: date, is_workday: bool, note: str | None = None) -> CalendarDay:
    """Record one day's arrangement, e.g. a newly published holiday or make-up working day."""
    if actor is not None:
        require(actor, "system.manage")
    row = db.session.get(CalendarDay, day)
    before = {"is_workday": row.is_workday, "note": row.note} if row else {}
    if row is None:
        row = CalendarDay(day=day)
        db.session.add(row)
    row.is_workday, row.note, row.source, row.updated_at = is_workday, note, "admin", clock.now()
    audit.record(
        actor,
        "calendar.set_day",
        row,
        audit.diff(before, {"is_workday": is_workday, "note": note}),
        object_id=day.isoformat(),
    )
    db.session.commit()
    return row


def remove_calendar_day(actor, day: date) -> None:
    """Drop an override so the day follows Monday–Friday again."""
    if actor is not None:
        require(actor, "system.manage")
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise NotFound(f"{day} 没有特别安排。")
    audit.record(actor, "calendar.remove_day", row, {"is_workday": [row.is_workday, None]}, object_id=day.isoformat())
    db.session.delete(row)
    db.session.commit()


def set_year_loaded(actor, year: int, loaded: bool, note: str | None = None) -> None:
    """Declare a year's arrangement complete, or not, in the caller's transaction. The use case, which also
    recomputes the deadlines computed through that year, is services.calendar_year.mark_year_loaded."""
    if actor is not None:
        require(actor, "system.manage")
    row = db.session.get(CalendarYear, year)
    if loaded and row is None:
        db.session.add(CalendarYear(year=year, source="admin", note=note, loaded_at=clock.now()))
    elif not loaded and row is not None:
        db.session.delete(row)
    audit.record(
        actor,
        "calendar.year_loaded" if loaded else "calendar.year_unloaded",
        None,
        {"year": year, "note": note},
        object_type="calendar_years",
        object_id=year,
    )


def write_library_calendar() -> tuple[int, int, bool]:
    """Write every year the chinesecalendar library covers, in the caller's transaction; admin overrides are
    kept. Returns (years covered, days written, whether a year was new). The use case, which also
    recomputes deadlines when a year is new, is services.calendar_year.load_library_calendar.
    """
    overrides, years = library_calendar()
    notes = library_day_notes()
    admin_days = set(db.session.scalars(select(CalendarDay.day).where(CalendarDay.source == "admin")))
    db.session.execute(delete(CalendarDay).where(CalendarDay.source == "library"))
    written = 0
    for day, is_workday in sorted(overrides.items()):
        if day in admin_days:
            continue
        db.session.add(CalendarDay(day=day, is_workday=is_workday, note=notes.get(day), source="library"))
        written += 1
    known = set(db.session.scalars(select(CalendarYear.year)))
    for year in sorted(years - known):
        db.session.add(CalendarYear(year=year, source="library", note="chinesecalendar", loaded_at=clock.now()))
    return len(years), written, bool(years - known)


# ---- LPR ---------------------------------------------------------------------------------------


def lpr_rows() -> list[LprRate]:
    return db.session.scalars(select(LprRate).order_by(LprRate.effective_from.desc())).all()


def get_lpr(lpr_id: int) -> LprRate:
    row = db.session.get(LprRate, lpr_id)
    if row is None:
        raise NotFound("LPR记录不存在。")
    return row


def lpr_on(d: date) -> LprRate:
    row = db.session.scalars(
        select(LprRate).where(LprRate.effective_from <= d).order_by(LprRate.effective_from.desc()).limit(1)
    ).first()
    if row is None:
        raise RuleViolation([Violation("no_lpr", f"{d} 之前没有登记的LPR利率，请先维护LPR表。", "第五条")])
    return row


def parse_rate(text: str, field: str = "rate_1y_percent") -> Decimal:
    try:
        return money.parse_rate(text)
    except money.AmountError as exc:
        raise RuleViolation([Violation("invalid_rate", f"{exc}例如 3.45（单位：%）。", field=field)]) from None


def save_lpr(actor, effective_from: date, rate_percent: Decimal, note: str | None = None) -> LprRate:
    if actor is not None:
        require(actor, "system.manage")
    rate_percent = parse_rate(rate_percent)
    row = db.session.scalars(select(LprRate).where(LprRate.effective_from == effective_from)).first()
    before = {"rate_1y_percent": str(row.rate_1y_percent)} if row else {}
    if row is None:
        row = LprRate(effective_from=effective_from)
        db.session.add(row)
    row.rate_1y_percent, row.note = rate_percent, note
    audit.record(actor, "lpr.save", row, audit.diff(before, {"rate_1y_percent": str(rate_percent)}))
    db.session.commit()
    return row


def delete_lpr(actor, lpr_id: int) -> None:
    require(actor, "system.manage")
    row = get_lpr(lpr_id)
    audit.record(
        actor,
        "lpr.delete",
        row,
        {"effective_from": str(row.effective_from), "rate_1y_percent": str(row.rate_1y_percent)},
    )
    db.session.delete(row)
    db.session.commit()


# ---- loading everything ------------------------------------------------------------------------


def load_policy_and_lpr() -> dict:
    """Policy TZ-2023-9 and the LPR history; existing rows are kept. The calendar comes with them in
    services.calendar_year.load_reference_data (`eloan init`)."""
    created_policy = False
    if db.session.scalars(select(PolicyVersion).where(PolicyVersion.code == TZ_2023_9.code)).first() is None:
        save_policy_version(None, TZ_2023_9, note="台政办发〔2023〕9号")
        created_policy = True
    known = set(db.session.scalars(select(LprRate.effective_from)))
    added_lpr = 0
    for day, rate in LPR_HISTORY:
        if date.fromisoformat(day) not in known:
            db.session.add(
                LprRate(
                    effective_from=date.fromisoformat(day),
                    rate_1y_percent=Decimal(rate),
                    note="全国银行间同业拆借中心公布",
                )
            )
            added_lpr += 1
    db.session.commit()
    return {"policy_created": created_policy, "lpr_added": added_lpr}
