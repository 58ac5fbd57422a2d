"""Excel imports into the registry, in two steps: upload → preview of every bad row → 确认导入.

The service refuses to commit a file with a bad row, so the page offers the button only when there
is none; nothing is ever half-imported (services/spreadsheets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan.domain.errors import NotFound, RuleViolation
from eloan.services import spreadsheets
from eloan.web.downloads import xlsx_file
from eloan.web.formkit import apply_errors, preview_upload
from eloan.web.registry import bp, require_writer
from eloan.web.registry.forms import ConfirmImportForm, UploadForm


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: str
    intro: str
    unit: str  # what one row is
    template: Callable[[], bytes]
    template_name: str
    preview: Callable
    commit: Callable

    def endpoint(self, suffix: str = "") -> str:
        return f"registry.enterprises_{self.key}_import{suffix}"


def _enterprises_done(result) -> str:
    rated = f"，同时录入 {result.ratings_created} 条亩产效益评价" if result.ratings_created else ""
    return f"已从“{result.filename}”导入 {result.enterprises} 家企业{rated}。"


def _mu_done(result) -> str:
    return (
        f"已从“{result.filename}”导入 {result.rows} 条亩产效益评价：新增 {result.ratings_created} 条，"
        f"更正 {result.ratings_updated} 条，{result.enterprises} 家企业的评价有变化。"
    )


KINDS = {
    "registry": ImportKind(
        "registry",
        "从 Excel 导入企业",
        "适合一次登记多家企业。请下载模板，按表头填写（每行一家企业，模板中的示例行不会导入），然后上传。"
        "上传后系统先逐行检查并列出有问题的行，确认无误后才导入；只要有一行有问题，整个文件都不导入。",
        "企业",
        spreadsheets.enterprise_template,
        "企业信息导入模板.xlsx",
        spreadsheets.preview_enterprise_import,
        spreadsheets.commit_enterprise_import,
    ),
    "mu": ImportKind(
        "mu",
        "从 Excel 导入亩产效益评价",
        "适合每年评价结果公布后一次录入。每行一家企业一个年度的类别（A、B、C、D）；企业须已在企业库中登记。"
        "同一企业同一年度已有类别的，以导入的为准（视为更正）。",
        "条评价",
        spreadsheets.mu_template,
        "亩产效益评价导入模板.xlsx",
        spreadsheets.preview_mu_import,
        spreadsheets.commit_mu_import,
    ),
}
_DONE = {"registry": _enterprises_done, "mu": _mu_done}


def _upload_page(kind: ImportKind, form):
    return render_template("registry/enterprises/import.html", kind=kind, form=form)


def _upload(kind: ImportKind):
    require_writer()
    form = UploadForm()
    preview = preview_upload(form, kind.preview) if form.validate_on_submit() else None
    if preview is not None:
        return render_template(
            "registry/enterprises/preview.html",
            kind=kind,
            preview=preview,
            confirm_form=ConfirmImportForm(formdata=None, data={"token": preview.token}),
        )
    return _upload_page(kind, form)


def _commit(kind: ImportKind):
    require_writer()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash("页面已过期，请重新上传文件。", "error")
        return redirect(url_for(kind.endpoint()))
    try:
        result = kind.commit(current_user, form.token.data or "")
    except NotFound as exc:
        flash(exc.message, "error")
        return redirect(url_for(kind.endpoint()))
    except RuleViolation as exc:
        upload = UploadForm(formdata=None)
        apply_errors(upload, exc)
        upload.form_errors.insert(0, "文件在预览之后出现了问题，本次没有导入任何记录。请改正后重新上传：")
        return _upload_page(kind, upload)
    flash(_DONE[kind.key](result), "success")
    return redirect(url_for("registry.enterprises"))


def _template(kind: ImportKind):
    require_writer()
    return xlsx_file(kind.template(), kind.template_name)


@bp.route("/enterprises/registry-import", methods=["GET", "POST"])
def enterprises_registry_import():
    return _upload(KINDS["registry"])


@bp.route("/enterprises/registry-import/commit", methods=["POST"])
def enterprises_registry_import_commit():
    return _commit(KINDS["registry"])


@bp.route("/enterprises/registry-import/template.xlsx")
def enterprises_registry_import_template():
    return _template(KINDS["registry"])


@bp.route("/enterprises/mu-import", methods=["GET", "POST"])
def enterprises_mu_import():
    return _upload(KINDS["mu"])


@bp.route("/enterprises/mu-import/commit", methods=["POST"])
def enterprises_mu_import_commit():
    return _commit(KINDS["mu"])


@bp.route("/enterprises/mu-import/template.xlsx")
def enterprises_mu_import_template():
    return _template(KINDS["mu"])
