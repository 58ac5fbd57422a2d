"""The 年度目标 page (year and as-at date by GET, so it can be bookmarked), the set form (rows typed in the
government's columns; blank rows add lines, 删除 removes one; all rows kept as typed on error) and the
responsible unit's 存在问题 / 下步打算 form under the table."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation
from eloan.domain.roles import ROLES
from eloan.domain.targets import AMOUNT_UNITS, METRIC_CHOICES, METRICS, RATIO
from eloan.pdf.targets import render_targets
from eloan.services import targets
from eloan.services.access import can, require
from eloan.services.spreadsheets.targets import targets_workbook
from eloan.web.downloads import pdf_file, xlsx_file
from eloan.web.targets import bp

BLANK_ROWS = 3  # empty lines offered for adding targets
_ROW_FIELDS = ("id", "metric", "target", "unit", "goal_text", "work_text", "responsible")


def _year(value: int | None) -> int:
    year = value or clock.today().year
    if not targets.FIRST_YEAR <= year <= targets.LAST_YEAR:
        abort(404)
    return year


def _as_of(year: int) -> tuple[date | None, str, list[str]]:
    """(as_of, typed text, errors): the typed date, or the default for the year."""
    typed = request.args.get("as_of", "").strip()
    if not typed:
        day = targets.default_as_of(year)
        return day, day.isoformat(), []
    try:
        return date.fromisoformat(typed), typed, []
    except ValueError:
        return None, typed, [f"截至日期“{typed}”不是有效日期，请按 YYYY-MM-DD 填写，例如 {year}-06-30。"]


def _page(year: int, *, report_forms: dict | None = None, report_errors: dict | None = None, status: int = 200):
    as_of, typed, errors = _as_of(year)
    table = None
    if not errors:
        try:
            table = targets.year_targets(current_user, year, as_of)
        except RuleViolation as exc:
            errors = [v.message for v in exc.violations]
    mine = [line for line in table.lines if current_user.has_role(line.item.responsible)] if table else []
    forms = {
        line.item.id: {"problems": line.item.problems or "", "next_steps": line.item.next_steps or ""} for line in mine
    }
    forms.update(report_forms or {})
    return (
        render_template(
            "targets/index.html",
            year=year,
            table=table,
            typed_as_of=typed,
            errors=errors,
            may_set=can(current_user, "targets.set"),
            mine=mine if can(current_user, "targets.report") else [],
            report_forms=forms,
            report_errors=report_errors or {},
            download={"as_of": table.as_of.isoformat()} if table else None,
            years=range(max(targets.FIRST_YEAR, clock.today().year - 3), clock.today().year + 2),
        ),
        status,
    )


@bp.route("/", endpoint="targets_page")
@bp.route("/<int:year>")
def targets_page(year: int | None = None):
    return _page(_year(year or request.args.get("year", type=int)))


def _download_table(year: int) -> targets.YearTargets:
    as_of, _, errors = _as_of(year)
    if errors:
        from eloan.domain.errors import Violation

        raise RuleViolation([Violation("invalid_as_of", m) for m in errors])
    return targets.year_targets(current_user, year, as_of)


@bp.route("/<int:year>.xlsx")
def targets_xlsx(year: int):
    table = _download_table(_year(year))
    return xlsx_file(targets_workbook(table), f"园区E贷{year}年度目标完成情况-截至{table.as_of}.xlsx")


@bp.route("/<int:year>.pdf")
def targets_pdf(year: int):
    table = _download_table(_year(year))
    return pdf_file(render_targets(table), f"园区E贷{year}年度目标完成情况-截至{table.as_of}.pdf")


def _typed_rows() -> list[dict]:
    """The set form's rows as typed (rows-N-field), in form order, with their 删除 box."""
    numbers = sorted({int(m.group(1)) for k in request.form if (m := re.fullmatch(r"rows-(\d+)-\w+", k))})
    rows = []
    for n in numbers[:200]:
        row = {f: request.form.get(f"rows-{n}-{f}", "") for f in _ROW_FIELDS}
        row["delete"] = bool(request.form.get(f"rows-{n}-delete"))
        rows.append(row)
    return rows


def _blank(row: dict) -> bool:
    return not row["id"] and not any(row[f].strip() for f in ("metric", "target", "goal_text", "work_text"))


def _set_form(year: int, rows: list[dict], row_errors: dict[int, list[str]], errors: list[str], status: int = 200):
    return (
        render_template(
            "targets/set.html",
            year=year,
            rows=rows,
            row_errors=row_errors,
            errors=errors,
            metrics=METRIC_CHOICES,
            all_units=[*AMOUNT_UNITS, "%"],
            responsible={r: ROLES[r] for r in targets.RESPONSIBLE_UNITS},
        ),
        status,
    )


def _shown(item) -> dict:
    """An item as the form shows it: the target in 元, a whole count, or a percentage."""
    target, unit = "", ""
    if item.target is not None:
        kind = METRICS[item.metric].kind
        if kind == RATIO:
            target, unit = f"{(item.target * 100).normalize():f}", "%"
        elif kind == "amount":
            # In 万元 when it is a whole number of them (as officials write targets), else in 元.
            wan = item.target / 10000
            whole = wan == wan.to_integral_value()
            target, unit = (f"{int(wan)}", "万元") if whole else (f"{item.target.quantize(Decimal('0.01')):f}", "元")
        else:
            target = str(int(item.target))
    return {
        "id": str(item.id),
        "metric": item.metric,
        "target": target,
        "unit": unit,
        "goal_text": item.goal_text,
        "work_text": item.work_text or "",
        "responsible": item.responsible,
        "delete": False,
    }


@bp.route("/<int:year>/set", methods=["GET", "POST"])
def set_targets(year: int):
    require(current_user, "targets.set")
    year = _year(year)
    if request.method == "GET":
        table = targets.year_targets(current_user, year, targets.default_as_of(year))
        rows = [_shown(line.item) for line in table.lines] + [dict.fromkeys(_ROW_FIELDS, "") for _ in range(BLANK_ROWS)]
        return _set_form(year, rows, {}, [])
    rows = _typed_rows()
    kept = [(n, r) for n, r in enumerate(rows) if not r["delete"] and not _blank(r)]
    try:
        targets.set_targets(current_user, year, [{f: r[f] for f in _ROW_FIELDS} for _, r in kept])
    except RuleViolation as exc:
        row_errors: dict[int, list[str]] = {}
        general = []
        for v in exc.violations:
            m = re.fullmatch(r"items\.(\d+)\.\w+", v.field or "")
            if m and int(m.group(1)) < len(kept):
                row_errors.setdefault(kept[int(m.group(1))][0], []).append(v.message)
            else:
                general.append(v.message)
        messages = general + [m for n in sorted(row_errors) for m in row_errors[n]]
        return _set_form(year, rows, row_errors, messages, 422)
    flash(f"{year}年度目标已保存，共 {len(kept)} 项。", "success")
    return redirect(url_for("targets.targets_page", year=year))


@bp.route("/<int:year>/items/<int:item_id>/progress", methods=["POST"])
def report_progress(year: int, item_id: int):
    require(current_user, "targets.report")
    year = _year(year)
    typed = {"problems": request.form.get("problems", ""), "next_steps": request.form.get("next_steps", "")}
    try:
        targets.report_progress(current_user, year, item_id, typed["problems"], typed["next_steps"])
    except RuleViolation as exc:
        return _page(
            year,
            report_forms={item_id: typed},
            report_errors={item_id: [v.message for v in exc.violations]},
            status=422,
        )
    flash("存在问题和下步打算已保存。", "success")
    return redirect(
        url_for("targets.targets_page", year=year, as_of=request.args.get("as_of") or None) + f"#item-{item_id}"
    )
