"""The statistics page: a period (a preset or any from–to, by GET so it can be bookmarked and keeps what
was typed), the table per bank with its 合计, the two breakdowns, and the Excel and PDF of the same."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation
from eloan.domain.periods import PRESETS, preset
from eloan.pdf.attachment4 import render_attachment4
from eloan.services import statistics
from eloan.services.spreadsheets.statistics import statistics_workbook
from eloan.web.downloads import pdf_file, xlsx_file
from eloan.web.reports import bp


def _day(name: str, label: str, errors: list[str]) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{label}“{text}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2024-03-31。")
        return None


def _period() -> tuple[date | None, date | None, str | None, list[str]]:
    """(from, to, preset, errors) from the query string; with nothing asked, this year to date."""
    today = clock.today()
    kind = request.args.get("preset")
    if kind in PRESETS:
        p = preset(kind, today, statistics.programme_start() or today)
        return p.start, p.end, kind, []
    errors: list[str] = []
    start, end = _day("from", "起始日", errors), _day("to", "截止日", errors)
    if errors:
        return None, None, None, errors
    if start is None and end is None:
        p = preset("year", today, today)
        return p.start, p.end, None, []
    end = end or today
    return start or date(end.year, 1, 1), end, None, []


@bp.route("/statistics")
def statistics_page():
    start, end, kind, errors = _period()
    report = None
    if not errors:
        try:
            report = statistics.statistics(current_user, start, end)
        except RuleViolation as exc:
            errors = [v.message for v in exc.violations]
    return render_template(
        "reports/statistics.html",
        report=report,
        errors=errors,
        presets=PRESETS,
        preset=kind,
        # On an error the fields show what was typed, so it can be corrected.
        typed_from=request.args.get("from", "") if errors else start.isoformat(),
        typed_to=request.args.get("to", "") if errors else end.isoformat(),
        download={"from": start.isoformat(), "to": end.isoformat()} if report else None,
    )


def _report() -> statistics.Report:
    start, end, _, errors = _period()
    if errors:
        from eloan.domain.errors import Violation

        raise RuleViolation([Violation("invalid_date", m) for m in errors])
    return statistics.statistics(current_user, start, end)


@bp.route("/statistics.xlsx")
def statistics_xlsx():
    report = _report()
    return xlsx_file(statistics_workbook(report), f"业务情况统计表-{report.start}至{report.end}.xlsx")


@bp.route("/statistics.pdf")
def statistics_pdf():
    report = _report()
    return pdf_file(render_attachment4(report), f"附件4-业务情况统计表-{report.start}至{report.end}.pdf")
