"""The 1-year LPR table (第五条第四项: the rate cap is LPR + spread): list, add, change, delete."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan.domain.errors import RuleViolation
from eloan.services import reference
from eloan.web.admin import bp
from eloan.web.admin.forms import LprEditForm, LprForm
from eloan.web.formkit import apply_errors


def _row(lpr_id: int):
    return reference.get_lpr(lpr_id)


@bp.route("/lpr", methods=["GET", "POST"], endpoint="lpr")
def lpr_list():
    form = LprForm()
    if form.validate_on_submit():
        try:
            rate = reference.parse_rate(form.rate_1y_percent.data)
            row = reference.save_lpr(current_user, form.effective_from.data, rate, form.note.data or None)
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(f"已保存 {row.effective_from} 起执行的 1 年期 LPR。", "success")
            return redirect(url_for("admin.lpr"))
    return render_template("admin/lpr/list.html", form=form, rows=reference.lpr_rows())


@bp.route("/lpr/<int:lpr_id>", methods=["GET", "POST"])
def lpr_edit(lpr_id: int):
    row = _row(lpr_id)
    form = LprEditForm(data={"rate_1y_percent": format(row.rate_1y_percent, "f"), "note": row.note})
    if form.validate_on_submit():
        try:
            rate = reference.parse_rate(form.rate_1y_percent.data)
            reference.save_lpr(current_user, row.effective_from, rate, form.note.data or None)
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(f"已修改 {row.effective_from} 起执行的 1 年期 LPR。", "success")
            return redirect(url_for("admin.lpr"))
    return render_template("admin/lpr/edit.html", form=form, row=row)


@bp.route("/lpr/<int:lpr_id>/delete", methods=["POST"])
def lpr_delete(lpr_id: int):
    row = _row(lpr_id)
    label = f"{row.effective_from} 起执行的 LPR"
    reference.delete_lpr(current_user, row.id)
    flash(f"已删除{label}。", "success")
    return redirect(url_for("admin.lpr"))
