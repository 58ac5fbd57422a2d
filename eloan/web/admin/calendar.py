"""The working-day calendar (POLICY.md §3): one year's holidays and make-up days, and whether the
year's State Council arrangement is loaded (otherwise its deadlines are provisional)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import NotFound, RuleViolation
from eloan.services import reference
from eloan.services.calendar_year import mark_year_loaded
from eloan.web.admin import bp
from eloan.web.admin.calendar_grid import WEEKDAY_HEADS, year_grid
from eloan.web.admin.forms import CalendarDayForm, CalendarYearForm
from eloan.web.formkit import apply_errors, flash_form_errors

_FIRST_YEAR, _LAST_YEAR = 2000, 2100


def _year_arg() -> int:
    year = request.args.get("year", type=int) or clock.today().year
    return min(max(year, _FIRST_YEAR), _LAST_YEAR)


def _page(year: int, day_form: CalendarDayForm | None = None):
    days = reference.calendar_days(year)
    if day_form is None:
        day_form = CalendarDayForm(formdata=None)
        chosen = request.args.get("day")
        for row in days:
            if chosen and row.day.isoformat() == chosen:
                day_form.day.data, day_form.note.data = row.day, row.note
                day_form.kind.data = "workday" if row.is_workday else "holiday"
    loaded = {y.year: y for y in reference.calendar_years()}
    grid = year_grid(year, reference.work_calendar(), {d.day: d.note for d in days})
    return render_template(
        "admin/calendar.html",
        year=year,
        days=days,
        loaded=loaded,
        year_row=loaded.get(year),
        day_form=day_form,
        year_form=CalendarYearForm(formdata=None),
        grid=grid,
        weekday_heads=WEEKDAY_HEADS,
    )


@bp.route("/calendar", endpoint="calendar")
def calendar_page():
    return _page(_year_arg())


@bp.route("/calendar/day", methods=["POST"])
def calendar_day():
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            row = reference.set_calendar_day(
                current_user, form.day.data, form.kind.data == "workday", form.note.data or None
            )
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            what = "上班" if row.is_workday else "放假"
            flash(f"已将 {row.day.isoformat()} 设为{what}。", "success")
            return redirect(url_for("admin.calendar", year=row.day.year))
    year = form.day.data.year if form.day.data else _year_arg()
    return _page(year, form)


@bp.route("/calendar/day/<day>/remove", methods=["POST"])
def calendar_remove(day: str):
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise NotFound("日期格式不正确。") from None
    reference.remove_calendar_day(current_user, when)
    flash(f"已删除 {when.isoformat()} 的特别安排，该日恢复按周一至周五计算。", "success")
    return redirect(url_for("admin.calendar", year=when.year))


@bp.route("/calendar/<int:year>/loaded", methods=["POST"])
def calendar_year(year: int):
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise NotFound("年份超出范围。")
    form = CalendarYearForm()
    loaded = request.form.get("loaded") == "1"
    if form.validate_on_submit():
        mark_year_loaded(current_user, year, loaded, form.note.data or None)
        if loaded:
            flash(f"已标记 {year} 年节假日安排为已载入：该年的期限不再是临时期限。", "success")
        else:
            flash(f"已标记 {year} 年节假日安排为未载入：该年的期限按周一至周五计算，并标为临时期限。", "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.calendar", year=year))
