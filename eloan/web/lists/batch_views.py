"""List batches: the list of batches, a new draft, the batch page with its confirmations, and the
three steps that move it — confirm, return, issue — each telling the user what comes next."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.domain.roles import ROLES
from eloan.domain.states import BATCH_STATES
from eloan.pdf.attachment1 import render_attachment1
from eloan.services import lists, spreadsheets
from eloan.services.access import can, is_bank_user, require
from eloan.web.downloads import pdf_file, xlsx_file
from eloan.web.formkit import apply_errors
from eloan.web.lists import bp
from eloan.web.lists.forms import AddEntryForm, BatchForm, ConfirmForm, IssueForm, ReturnForm, role_choices
from eloan.web.lists.summary import batch_view, missing_units


def _forms(batch, view, **given) -> dict:
    """The action forms this user may use on this batch in its state (empty ones unless given)."""
    forms = {}
    if view.can_edit:
        forms["add_form"] = given.get("add_form") or AddEntryForm(formdata=None)
    if view.confirmable_as:
        form = given.get("confirm_form") or ConfirmForm(formdata=None, prefix="confirm")
        form.role.choices = role_choices(view.confirmable_as)
        forms["confirm_form"] = form
    if view.returnable_as:
        form = given.get("return_form") or ReturnForm(formdata=None, prefix="return")
        form.role.choices = role_choices(view.returnable_as)
        forms["return_form"] = form
    if view.can_issue:
        today = {"effective_from": clock.today()}
        forms["issue_form"] = given.get("issue_form") or IssueForm(formdata=None, data=today)
    return forms


def batch_page(batch, **given):
    view = batch_view(current_user, batch)
    return render_template("lists/batch.html", b=batch, v=view, **_forms(batch, view, **given))


def _batches_page(form=None):
    status = request.args.get("status") if request.args.get("status") in BATCH_STATES else None
    batches = lists.list_batches(current_user, status=status)
    return render_template(
        "lists/batches.html",
        batches=[batch_view(current_user, b) for b in batches],
        status=status,
        states=BATCH_STATES,
        can_create=can(current_user, "lists.edit"),
        form=form or BatchForm(formdata=None),
    )


@bp.route("/", endpoint="batches")
def batches_list():
    return _batches_page()


@bp.route("/new", methods=["POST"])
def batches_new():
    require(current_user, "lists.edit")  # a reader's POST is 403, never the form again (the service checks too)
    form = BatchForm()
    if form.validate_on_submit():
        try:
            batch = lists.create_batch(
                current_user,
                number=form.number.data,
                title=form.title.data,
                note=(form.note.data or "").strip() or None,
            )
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已新建草稿批次“{batch.number}”。下一步：在“筛选候选企业”中挑选企业、填写推荐额度加入本批次"
                "（也可以在本页按统一社会信用代码添加），然后请三个单位分别确认。",
                "success",
            )
            return redirect(url_for("lists.batches_detail", batch_id=batch.id))
    return _batches_page(form)


@bp.route("/<int:batch_id>")
def batches_detail(batch_id: int):
    batch = lists.get_batch(current_user, batch_id)
    if is_bank_user(current_user):
        return redirect(url_for("lists.current"))  # the bank's one view of the list
    return batch_page(batch)


@bp.route("/<int:batch_id>/confirm", methods=["POST"])
def batches_confirm(batch_id: int):
    require(current_user, "lists.confirm")
    batch = lists.get_batch(current_user, batch_id)
    form = ConfirmForm(prefix="confirm")
    form.role.choices = role_choices(batch_view(current_user, batch).confirmable_as)
    if form.validate_on_submit():
        try:
            lists.confirm(current_user, batch.id, role=form.role.data, comment=form.comment.data)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            unit = ROLES[form.role.data]
            if batch.status == "confirmed":
                flash(
                    f"{unit}已确认批次“{batch.number}”。三个单位均已确认，名单确认完成；"
                    "下一步：由经济开发区填写生效日期并发布，发布后合作银行即可查看。",
                    "success",
                )
            else:
                flash(
                    f"{unit}已确认批次“{batch.number}”。尚待{'、'.join(missing_units(batch))}确认；"
                    "三个单位都确认后，由经济开发区发布。",
                    "success",
                )
            return redirect(url_for("lists.batches_detail", batch_id=batch.id))
    return batch_page(batch, confirm_form=form)


@bp.route("/<int:batch_id>/return", methods=["POST"])
def batches_return(batch_id: int):
    require(current_user, "lists.confirm")
    batch = lists.get_batch(current_user, batch_id)
    form = ReturnForm(prefix="return")
    form.role.choices = role_choices(batch_view(current_user, batch).returnable_as)
    if form.validate_on_submit():
        try:
            lists.return_batch(current_user, batch.id, form.comment.data or "", role=form.role.data)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已以{ROLES[form.role.data]}名义退回批次“{batch.number}”，退回理由已通知经济开发区。"
                "批次回到草稿状态，此前的确认全部失效；开发区修改后，三个单位须重新确认。",
                "success",
            )
            return redirect(url_for("lists.batches_detail", batch_id=batch.id))
    return batch_page(batch, return_form=form)


@bp.route("/<int:batch_id>/issue", methods=["POST"])
def batches_issue(batch_id: int):
    require(current_user, "lists.edit")
    batch = lists.get_batch(current_user, batch_id)
    previous = next(iter(lists.list_batches(current_user, status="issued")), None)
    form = IssueForm()
    if form.validate_on_submit():
        try:
            lists.issue(current_user, batch.id, form.effective_from.data)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            replaced = (
                f"上一批名单“{previous.number}”同时被替代，施行至{chinese_date(previous.effective_to)}。"
                if previous is not None and previous.status == "superseded"
                else ""
            )
            flash(
                f"批次“{batch.number}”已发布并下发各合作银行，自{chinese_date(batch.effective_from)}起施行。{replaced}"
                "合作银行现在可以在“当前名单”中查看并下载附件1；此后本批次不能再修改。",
                "success",
            )
            return redirect(url_for("lists.batches_detail", batch_id=batch.id))
    return batch_page(batch, issue_form=form)


@bp.route("/<int:batch_id>/attachment-1.pdf")
def batches_pdf(batch_id: int):
    batch = lists.get_batch(current_user, batch_id)
    return pdf_file(render_attachment1(batch), f"附件1-推荐企业名单-{batch.number}.pdf")


@bp.route("/<int:batch_id>/list.xlsx")
def batches_xlsx(batch_id: int):
    batch = lists.get_batch(current_user, batch_id)
    return xlsx_file(spreadsheets.export_batch(current_user, batch.id), f"推荐企业名单-{batch.number}.xlsx")
