"""A bank's loans from Excel, in two steps: upload → preview with every bad row's reasons → 确认导入.

Every row is judged by the registration rules (services/spreadsheets/loan_import); the service refuses
to commit a file with a bad row, so nothing is ever half-imported.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan.domain.errors import NotFound, RuleViolation
from eloan.domain.money import format_money
from eloan.services import spreadsheets
from eloan.web.downloads import xlsx_file
from eloan.web.formkit import apply_errors, preview_upload, violation_text
from eloan.web.loans import bp, require_bank
from eloan.web.loans.forms import ConfirmImportForm, UploadForm


def _upload_page(form):
    return render_template("loans/import.html", form=form)


@bp.route("/import", methods=["GET", "POST"])
def loans_import():
    require_bank()
    form = UploadForm()
    preview = preview_upload(form, spreadsheets.preview_loan_import) if form.validate_on_submit() else None
    if preview is not None:
        rows = [(e, [violation_text(v) for v in e.violations]) for e in preview.errors]
        return render_template(
            "loans/preview.html",
            preview=preview,
            rows=rows,
            confirm_form=ConfirmImportForm(formdata=None, data={"token": preview.token}),
        )
    return _upload_page(form)


@bp.route("/import/commit", methods=["POST"])
def loans_import_commit():
    require_bank()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash("页面已过期，请重新上传文件。", "error")
        return redirect(url_for("loans.loans_import"))
    try:
        result = spreadsheets.commit_loan_import(current_user, form.token.data or "")
    except NotFound as exc:
        flash(exc.message, "error")
        return redirect(url_for("loans.loans_import"))
    except RuleViolation as exc:
        upload = UploadForm(formdata=None)
        apply_errors(upload, exc)
        upload.form_errors.insert(0, "文件在预览之后出现了问题，本次没有导入任何贷款。请改正后重新上传：")
        return _upload_page(upload)
    flash(
        f"已从“{result.filename}”登记 {result.rows} 笔贷款，合计 {format_money(result.amount)}，涉及 "
        f"{result.enterprises} 家企业。今后请逐笔登记还款和逾期、不良等事项。",
        "success",
    )
    return redirect(url_for("loans.loans"))


@bp.route("/import/template.xlsx")
def loans_import_template():
    require_bank()
    return xlsx_file(spreadsheets.loan_template(), "园区E贷贷款导入模板.xlsx")
