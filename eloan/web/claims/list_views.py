"""Claims: the list with a status filter, amounts and the deadline each claim waits on (one page from the
database), and opening a claim from an NPL loan's page (第十五条)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation
from eloan.domain.money import format_money, format_percent
from eloan.services import banks, claims
from eloan.services.access import is_bank_user, require
from eloan.web.claims import bp
from eloan.web.claims.forms import ClaimFilterForm, OpenClaimForm
from eloan.web.claims.summary import running_deadline
from eloan.web.formkit import flash_errors, requested_page

PER_PAGE = 50


@bp.route("/", endpoint="claims")
def claims_list():
    form = ClaimFilterForm(formdata=request.args)
    bank_list = [] if is_bank_user(current_user) else banks.all_banks(current_user)
    form.set_banks(bank_list)
    page = requested_page()
    items, total = claims.search(
        current_user, page=page, per_page=PER_PAGE, **form.filters({b.code for b in bank_list})
    )
    today = clock.today()
    rows = [(c, running_deadline(c, today)) for c in items]
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "claims/list.html", form=form, rows=rows, total=total, page=page, pages=pages, args=form.query_args()
    )


def _opened_message(claim) -> str:
    return (
        f"已建立补偿申请 #{claim.id}（草稿）：不良贷款本金 {format_money(claim.principal)}，本行承担 "
        f"{format_percent(claim.bank_share)}，应补偿 {format_money(claim.compensation)}。请在"
        f"{chinese_date(claim.filing_deadline)}前上传下列材料并提交申请（第十五条），逾期须经区财政局批准延期。"
    )


@bp.route("/open", methods=["POST"])
def claims_open():
    require(current_user, "claims.file")
    form = OpenClaimForm()
    if not form.validate_on_submit():
        flash("请从不良贷款的页面申请风险补偿。", "error")
        return redirect(url_for("loans.loans"))
    loan_id = form.loan_id.data
    try:
        claim = claims.open_claim(current_user, loan_id)
    except RuleViolation as exc:
        flash_errors(exc)
        return redirect(url_for("loans.loans_detail", loan_id=loan_id))
    flash(_opened_message(claim), "success")
    return redirect(url_for("claims.claims_detail", claim_id=claim.id))
