"""Enterprises: search and filter, detail with history, register, edit, a year's 亩产效益 class,
export of the current search."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation
from eloan.services import enterprises, lists, reference, sanctions, spreadsheets
from eloan.web.downloads import xlsx_file
from eloan.web.formkit import apply_errors, requested_page, violation_text
from eloan.web.registry import bp, require_writer
from eloan.web.registry.forms import EnterpriseCreateForm, EnterpriseFilterForm, EnterpriseForm, MuRatingForm
from eloan.web.registry.history import readable

PER_PAGE = 50


def eligibility(enterprise) -> tuple[list[str], str | None]:
    """(reasons it cannot be listed today, or a problem that stops the check) — the service's rules."""
    try:
        policy = reference.policy_on(clock.today())
    except RuleViolation as exc:
        return [], str(exc)
    return [violation_text(v) for v in enterprises.ineligibility(enterprise, policy)], None


def _warn_if_ineligible(enterprise) -> None:
    reasons, _ = eligibility(enterprise)
    if reasons:
        flash("请注意：该企业目前不能列入推荐名单——" + "；".join(reasons) + "。", "warning")


@bp.route("/enterprises", endpoint="enterprises")
def enterprises_list():
    form = EnterpriseFilterForm(formdata=request.args)
    page = requested_page()
    items, total = enterprises.search(current_user, page=page, per_page=PER_PAGE, **form.filters())
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "registry/enterprises/list.html",
        form=form,
        items=items,
        total=total,
        page=page,
        pages=pages,
        args=form.query_args(),
    )


@bp.route("/enterprises/export.xlsx")
def enterprises_export():
    form = EnterpriseFilterForm(formdata=request.args)
    content = spreadsheets.export_registry(current_user, **form.filters())
    return xlsx_file(content, f"企业库-{clock.today():%Y%m%d}.xlsx")


@bp.route("/enterprises/new", methods=["GET", "POST"])
def enterprises_new():
    require_writer()
    form = EnterpriseCreateForm()
    if form.validate_on_submit():
        try:
            enterprise = enterprises.create(current_user, form.to_raw())
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(f"已登记企业“{enterprise.name}”（{enterprise.uscc}）。", "success")
            _warn_if_ineligible(enterprise)
            return redirect(url_for("registry.enterprises_detail", uscc=enterprise.uscc))
    return render_template("registry/enterprises/form.html", form=form, enterprise=None)


@bp.route("/enterprises/<uscc>/edit", methods=["GET", "POST"])
def enterprises_edit(uscc: str):
    require_writer()
    enterprise = enterprises.get(current_user, uscc)
    if request.method == "GET":
        data = {k: "" if v is None else v for k, v in enterprises.as_input(enterprise).items()}
        data.update(in_zone="1" if enterprise.in_zone else "0", established_on=enterprise.established_on)
        form = EnterpriseForm(formdata=None, data=data)
    else:
        form = EnterpriseForm()
        if form.validate_on_submit():
            try:
                enterprises.update(current_user, enterprise.uscc, form.to_raw())
            except RuleViolation as exc:
                apply_errors(form, exc)
            else:
                flash(f"已保存“{enterprise.name}”的修改，修改记录见本页下方。", "success")
                _warn_if_ineligible(enterprise)
                return redirect(url_for("registry.enterprises_detail", uscc=enterprise.uscc))
    return render_template("registry/enterprises/form.html", form=form, enterprise=enterprise)


def _detail_page(enterprise, mu_form=None):
    today = clock.today()
    reasons, policy_problem = eligibility(enterprise)
    in_force = lists.batch_in_force(today)
    open_sanction = sanctions.open_sanction(enterprise.id) if enterprise.sanctioned else None
    return render_template(
        "registry/enterprises/detail.html",
        e=enterprise,
        reasons=reasons,
        policy_problem=policy_problem,
        in_force=in_force,
        on_current_list=bool(in_force) and lists.on_list(enterprise.id, today),
        sanction=open_sanction,
        measures=sanctions.MEASURES,
        batches=lists.batches_of(current_user, enterprise.id),
        history=readable(enterprises.history(current_user, enterprise.uscc)),
        mu_form=mu_form or MuRatingForm(formdata=None, data={"mu_year": str(today.year - 1)}),
    )


@bp.route("/enterprises/<uscc>")
def enterprises_detail(uscc: str):
    return _detail_page(enterprises.get(current_user, uscc))


@bp.route("/enterprises/<uscc>/mu", methods=["POST"])
def enterprises_mu(uscc: str):
    require_writer()
    enterprise = enterprises.get(current_user, uscc)
    form = MuRatingForm()
    if form.validate_on_submit():
        try:
            enterprises.set_mu_rating(
                current_user, enterprise.uscc, form.year(), form.mu_class.data, (form.note.data or "").strip() or None
            )
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已保存“{enterprise.name}”{form.year()}年度亩产效益类别：{form.mu_class.data}类。"
                f"企业当前类别按最近年度计，现为 {enterprise.mu_class} 类（{enterprise.mu_year}年度）。",
                "success",
            )
            _warn_if_ineligible(enterprise)
            return redirect(url_for("registry.enterprises_detail", uscc=enterprise.uscc) + "#mu")
    return _detail_page(enterprise, mu_form=form)
