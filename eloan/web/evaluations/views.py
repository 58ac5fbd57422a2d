"""The evaluation pages: years, one year's table with the step forms, the reports."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import NotFound, RuleViolation, StateConflict
from eloan.domain.evaluation import AREAS, OUTCOMES
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.services import evaluations, files
from eloan.services.access import can, require
from eloan.web.downloads import pdf_file, xlsx_file
from eloan.web.evaluations import bp
from eloan.web.evaluations.forms import AdjustForm, ComputeForm, ConfirmForm, DecideForm, ReportForm
from eloan.web.formkit import apply_errors, choices_of, flash_errors


@bp.route("/", endpoint="evaluations")
def evaluations_index(compute_form=None):
    if compute_form is None and can(current_user, "evaluations.compute"):
        compute_form = ComputeForm(formdata=None, data={"year": clock.today().year - 1})
    return render_template(
        "evaluations/index.html",
        items=evaluations.years(current_user),
        compute_form=compute_form,
        statuses=evaluations.STATUS_LABELS,
    )


@bp.route("/compute", methods=["POST"])
def evaluations_compute():
    require(current_user, "evaluations.compute")
    form = ComputeForm()
    if form.validate_on_submit():
        try:
            ev = evaluations.compute(current_user, form.year.data)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已计算 {ev.year} 年度 {len(ev.rows)} 家合作银行的绩效评价（草稿），请核对后送三家单位确认。",
                "success",
            )
            return redirect(url_for("evaluations.evaluations_year", year=ev.year))
    return evaluations_index(compute_form=form)


def _units_pending(ev) -> list[str]:
    done = {c.role for c in ev.confirmations}
    return [r for r in REVIEWING_UNITS if current_user.has_role(r) and r not in done]


def year_page(ev, *, adjust_form=None, confirm_form=None, decide_forms=None, report_form=None):
    rows = sorted(ev.rows, key=lambda r: (r.rank, r.bank.code))
    is_finance = can(current_user, "evaluations.compute")
    bank_choices = choices_of((r.bank.code, r.bank.name) for r in sorted(ev.rows, key=lambda r: r.bank.code))
    if is_finance and ev.status == "draft" and adjust_form is None:
        adjust_form = AdjustForm(formdata=None, prefix="ad")
    if adjust_form is not None:
        adjust_form.bank.choices = bank_choices
    pending = _units_pending(ev) if ev.status == "draft" else []
    if pending and confirm_form is None:
        confirm_form = ConfirmForm(formdata=None, prefix="cf")
    if confirm_form is not None:
        confirm_form.role.choices = choices_of((r, ROLES[r]) for r in pending)
    decide_forms = dict(decide_forms or {})
    if is_finance and ev.status != "draft":
        for r in rows:
            if r.decision is None and r.bank_id not in decide_forms:
                decide_forms[r.bank_id] = DecideForm(
                    formdata=None, prefix=f"d{r.bank_id}", data={"decision": r.suggested}
                )
    if is_finance and report_form is None:
        report_form = ReportForm(formdata=None, prefix="rp")
    confirmed = {c.role: c for c in ev.confirmations}
    return render_template(
        "evaluations/year.html",
        ev=ev,
        rows=rows,
        areas=AREAS,
        outcomes=OUTCOMES,
        statuses=evaluations.STATUS_LABELS,
        units=[(r, ROLES[r], confirmed.get(r)) for r in REVIEWING_UNITS],
        is_finance=is_finance,
        adjust_form=adjust_form if ev.status == "draft" else None,
        confirm_form=confirm_form if pending else None,
        decide_forms=decide_forms,
        report_form=report_form if is_finance else None,
    )


@bp.route("/<int:year>")
def evaluations_year(year: int):
    return year_page(evaluations.get(current_user, year))


@bp.route("/<int:year>/adjust", methods=["POST"])
def evaluations_adjust(year: int):
    require(current_user, "evaluations.compute")
    ev = evaluations.get(current_user, year)
    form = AdjustForm(prefix="ad")
    form.bank.choices = choices_of((r.bank.code, r.bank.name) for r in ev.rows)
    if form.validate_on_submit():
        try:
            row = evaluations.adjust(
                current_user, year, form.bank.data, form.area.data, form.score.data or "", form.reason.data
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已将{row.bank.name}的{AREAS[form.area.data]}得分调整为 {row.scores[form.area.data]}，总分 {row.total}，"
                f"排名第 {row.rank}。三家单位需重新确认。",
                "success",
            )
            return redirect(url_for("evaluations.evaluations_year", year=year))
    return year_page(evaluations.get(current_user, year), adjust_form=form)


@bp.route("/<int:year>/confirm", methods=["POST"])
def evaluations_confirm(year: int):
    require(current_user, "evaluations.confirm")
    ev = evaluations.get(current_user, year)
    form = ConfirmForm(prefix="cf")
    form.role.choices = choices_of((r, ROLES[r]) for r in _units_pending(ev))
    if form.validate_on_submit():
        try:
            c = evaluations.confirm(current_user, year, form.comment.data, form.role.data or None)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(f"{ROLES[c.role]}已确认 {year} 年度评价。", "success")
            return redirect(url_for("evaluations.evaluations_year", year=year))
    return year_page(evaluations.get(current_user, year), confirm_form=form)


@bp.route("/<int:year>/banks/<code>/decide", methods=["POST"])
def evaluations_decide(year: int, code: str):
    require(current_user, "evaluations.decide")
    ev = evaluations.get(current_user, year)
    row = next((r for r in ev.rows if r.bank.code == code), None)
    if row is None:
        raise NotFound()
    form = DecideForm(prefix=f"d{row.bank_id}")
    if form.validate_on_submit():
        try:
            evaluations.decide(
                current_user, year, code, form.decision.data or "", form.reason.data, form.agreement_end.data
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(f"已对{row.bank.name}作出决定：{OUTCOMES[form.decision.data]}，并已通知该行。", "success")
            return redirect(url_for("evaluations.evaluations_year", year=year))
    return year_page(evaluations.get(current_user, year), decide_forms={row.bank_id: form})


@bp.route("/<int:year>/evaluator-report", methods=["POST"])
def evaluations_attach(year: int):
    require(current_user, "evaluations.compute")
    form = ReportForm(prefix="rp")
    upload = form.file.data if form.validate_on_submit() else None
    if upload is None or not getattr(upload, "filename", ""):
        flash("第三方评估报告：请选择要上传的文件（PDF、JPEG 或 PNG）。", "error")
        return redirect(url_for("evaluations.evaluations_year", year=year))
    try:
        evaluations.attach_report(current_user, year, upload.read(), upload.filename)
    except (RuleViolation, StateConflict) as exc:
        flash_errors(exc)
    else:
        flash("已附上第三方评估报告。", "success")
    return redirect(url_for("evaluations.evaluations_year", year=year))


@bp.route("/<int:year>/evaluator-report")
def evaluations_evaluator_report(year: int):
    ev = evaluations.get(current_user, year)
    if ev.report_file is None:
        raise NotFound()
    stored = ev.report_file
    return send_file(
        io.BytesIO(files.read(stored)), mimetype=stored.content_type, as_attachment=True, download_name=stored.filename
    )


@bp.route("/<int:year>/report.pdf")
def evaluations_pdf(year: int):
    from eloan.pdf.evaluation import render_evaluation_report

    ev = evaluations.get(current_user, year)
    return pdf_file(render_evaluation_report(ev), f"evaluation-{year}.pdf", inline=True)


@bp.route("/<int:year>/report.xlsx")
def evaluations_xlsx(year: int):
    from eloan.services.spreadsheets.evaluation import evaluation_workbook

    ev = evaluations.get(current_user, year)
    return xlsx_file(evaluation_workbook(ev), f"绩效评价-{year}.xlsx")
