"""Banks: the list with the ranking, a bank's page with its history, admission, edits, Attachment 3."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan.domain.errors import RuleViolation
from eloan.domain.money import format_percent
from eloan.pdf.attachment3 import render_attachment3
from eloan.services import banks, monitoring_overview
from eloan.services.access import can, is_bank_user
from eloan.web.banks import bp, require_writer
from eloan.web.banks.forms import BankAdmitForm, BankForm, StatusForm
from eloan.web.banks.summary import history_rows, terms_today
from eloan.web.downloads import pdf_file
from eloan.web.formkit import apply_errors
from eloan.web.monitoring.chart import extremes, ratio_chart

STATUS_ACTIONS = ("suspend", "resume", "disqualify")
_ACTIONS_FROM = {"active": ("suspend", "disqualify"), "suspended": ("resume", "disqualify"), "disqualified": ()}


def _own_code() -> str | None:
    return current_user.bank.code if getattr(current_user, "bank", None) else None


def detail_page(bank, **given):
    """The bank's page; `given` are status forms that came back with errors (by action)."""
    actions = _ACTIONS_FROM.get(bank.status, ()) if can(current_user, "banks.change_status") else ()
    forms = {a: given.get(a) or StatusForm(formdata=None, prefix=a) for a in actions}
    terms = terms_today()
    return render_template(
        "banks/detail.html",
        bank=bank,
        terms=terms,
        history=history_rows(current_user, bank.code),
        forms=forms,
        open_action=next(iter(given), None),
        is_own=is_bank_user(current_user) and bank.code == _own_code(),
        **_ratios(bank),
    )


def _ratios(bank) -> dict:
    """第十八条 panel: today's ratios against the thresholds, and the chart of the stored daily figures."""
    panel = monitoring_overview.bank_panel(current_user, bank.code)
    policy = panel.thresholds.policy
    chart = ratio_chart(
        panel.history,
        panel.history_start,
        panel.day,
        policy.npl_ratio_threshold if policy else None,
        policy.overdue_ratio_threshold if policy else None,
    )
    return {
        "ratios": panel,
        "ratios_chart": chart,
        "ratios_peaks": extremes(panel.history),
        "can_read_loans": can(current_user, "loans.read"),
    }


@bp.route("/", endpoint="banks")
def banks_list():
    if is_bank_user(current_user):
        return redirect(url_for("banks.own"))
    terms = terms_today()
    return render_template(
        "banks/list.html", items=banks.all_banks(current_user), ranking=banks.ranking(current_user), terms=terms
    )


@bp.route("/own")
def own():
    """本行信息: a bank user's one bank page (government users go to the list)."""
    code = _own_code() if is_bank_user(current_user) else None
    if code is None:
        return redirect(url_for("banks.banks"))
    return detail_page(banks.get(current_user, code))


@bp.route("/<code>")
def banks_detail(code: str):
    return detail_page(banks.get(current_user, code))


def _admitted_message(bank) -> str:
    terms = terms_today()
    fund = terms.fund_ratio(bank.loss_share)
    fund_text = f"，风险补偿资金承担 {format_percent(fund)}" if fund is not None else ""
    return (
        f"已准入“{bank.name}”（{bank.code}），贷款损失承担比例 {format_percent(bank.loss_share)}{fund_text}。"
        "下一步：下载附件3《贷款损失承担比例确认单》，经银行、区金融服务中心和区财政局签章后存档；"
        "请系统管理员为该行开设银行用户账户。"
    )


@bp.route("/new", methods=["GET", "POST"])
def banks_new():
    require_writer()
    form = BankAdmitForm()
    if form.validate_on_submit():
        try:
            bank = banks.admit(current_user, form.to_raw())
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(_admitted_message(bank), "success")
            return redirect(url_for("banks.banks_detail", code=bank.code))
    return render_template("banks/form.html", form=form, bank=None, terms=terms_today())


@bp.route("/<code>/edit", methods=["GET", "POST"])
def banks_edit(code: str):
    require_writer()
    bank = banks.get(current_user, code)
    form = BankForm()
    if not form.is_submitted():
        form = BankForm(formdata=None)
        form.fill(bank)
    elif form.validate_on_submit():
        before = bank.loss_share
        try:
            banks.update(current_user, bank.code, form.to_raw())
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            changed = (
                (
                    f"损失承担比例由 {format_percent(before)} 改为 {format_percent(bank.loss_share)}，竞争性排名随之更新；"
                    "请重新下载附件3确认单并签章。"
                )
                if bank.loss_share != before
                else ""
            )
            flash(f"已保存“{bank.name}”的修改。{changed}", "success")
            return redirect(url_for("banks.banks_detail", code=bank.code))
    return render_template("banks/form.html", form=form, bank=bank, terms=terms_today())


@bp.route("/<code>/attachment-3.pdf")
def banks_attachment3(code: str):
    bank = banks.get(current_user, code)
    policy = banks.policy_for_attachment(bank)
    if policy is None:
        flash("协议起始日和今天都没有有效的政策版本，无法生成附件3。请系统管理员维护政策版本（第二十二条）。", "error")
        return redirect(url_for("banks.banks_detail", code=bank.code))
    return pdf_file(render_attachment3(bank, policy), f"附件3-贷款损失承担比例确认单-{bank.name}.pdf")
