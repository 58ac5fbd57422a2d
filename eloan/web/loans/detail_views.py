"""One loan: facts, timeline and the forms of whoever may act on it — its bank records repayments and
events (an NPL with its proof), the departments mark it not compensable (第八条). Every route first
asks the service for the loan, so another bank's loan is 404 before anything else happens."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation
from eloan.domain.loans import EVENT_TYPES
from eloan.domain.money import format_money
from eloan.domain.states import LOAN_STATUSES, LOANS_CLOSED
from eloan.services import files, loans
from eloan.services.access import can, is_bank_user, require
from eloan.services.dashboard import claim_deadline
from eloan.web.formkit import apply_errors
from eloan.web.loans import bp, require_bank
from eloan.web.loans.forms import EventForm, NotCompensableForm, RepaymentForm
from eloan.web.loans.summary import guarantee_text, rate_terms, timeline


def _forms(loan, given: dict) -> dict:
    forms = {}
    if is_bank_user(current_user) and loan.status not in LOANS_CLOSED:
        today = clock.today()
        forms["repayment_form"] = given.get("repayment_form") or RepaymentForm(
            formdata=None, prefix="rp", data={"paid_on": today, "interest": "0"}
        )
        forms["event_form"] = given.get("event_form") or EventForm(formdata=None, prefix="ev", data={"date": today})
    if can(current_user, "loans.mark") and not loan.not_compensable:
        forms["mark_form"] = given.get("mark_form") or NotCompensableForm(formdata=None, prefix="nc")
    return forms


def loan_page(loan, **given):
    paid = sum((r.principal for r in loan.repayments), 0)
    interest = sum((r.interest for r in loan.repayments), 0)
    return render_template(
        "loans/detail.html",
        loan=loan,
        state=loans.state_of(loan),
        items=timeline(loan),
        rate=rate_terms(loan.contract_date, loan.lpr_percent),
        deadline=claim_deadline(loan),
        guarantees=guarantee_text(loan.guarantees),
        paid=paid,
        interest=interest,
        open_form=next(iter(given), None),
        **_forms(loan, given),
    )


def _to_loan(loan, anchor: str = "timeline"):
    return redirect(url_for("loans.loans_detail", loan_id=loan.id) + f"#{anchor}")


@bp.route("/<int:loan_id>")
def loans_detail(loan_id: int):
    return loan_page(loans.get(current_user, loan_id))


@bp.route("/<int:loan_id>/repayments", methods=["POST"])
def loans_repayment(loan_id: int):
    loan = loans.get(current_user, loan_id)
    require_bank()
    form = RepaymentForm(prefix="rp")
    if form.validate_on_submit():
        try:
            repayment = loans.record_repayment(
                current_user,
                loan.id,
                form.paid_on.data,
                form.principal.data or "0",
                form.interest.data or "0",
                (form.reference.data or "").strip() or None,
            )
        except RuleViolation as exc:
            apply_errors(form, exc, {"date": "paid_on"})
        else:
            after = (
                "贷款已全部结清，不再需要登记还款或事项。"
                if loan.status == "repaid"
                else f"贷款余额现为 {format_money(loan.outstanding_principal)}。"
            )
            flash(
                f"已登记{chinese_date(repayment.paid_on)}的还款：本金 {format_money(repayment.principal)}，"
                f"利息 {format_money(repayment.interest)}。{after}",
                "success",
            )
            return _to_loan(loan)
    return loan_page(loan, repayment_form=form)


def _event_message(loan, event_type: str, day) -> str:
    label = EVENT_TYPES[event_type]
    text = f"已登记“{label}”（{chinese_date(day)}），贷款状态现为“{LOAN_STATUSES[loan.status]}”。"
    if event_type in ("overdue", "npl"):
        text += f"借款企业“{loan.enterprise.name}”已列入惩戒名单（第十四条、第十七条），贷款结清后由区财政局或经济开发区解除。"
    if event_type == "npl":
        due = claim_deadline(loan)
        if due is not None:
            text += (
                f"请在{chinese_date(due.date)}前（认定后 {due.working_days} 个工作日内）提出风险补偿申请（第十五条）"
                + ("；该期限跨越尚未载入节假日安排的年份，为临时期限。" if due.provisional else "。")
            )
    elif event_type == "overdue":
        text += "逾期纠正后请登记“逾期已纠正”；认定为不良的，请登记“认定为不良”并上传证明。"
    return text


@bp.route("/<int:loan_id>/events", methods=["POST"])
def loans_event(loan_id: int):
    loan = loans.get(current_user, loan_id)
    require_bank()
    form = EventForm(prefix="ev")
    if form.validate_on_submit():
        upload = form.proof.data
        proof = (upload.read(), upload.filename) if upload and getattr(upload, "filename", "") else None
        try:
            loans.record_event(current_user, loan.id, form.type.data, form.date.data, form.note.data, proof)
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(_event_message(loan, form.type.data, form.date.data), "success")
            return _to_loan(loan)
    return loan_page(loan, event_form=form)


@bp.route("/<int:loan_id>/not-compensable", methods=["POST"])
def loans_not_compensable(loan_id: int):
    loan = loans.get(current_user, loan_id)
    require(current_user, "loans.mark")
    form = NotCompensableForm(prefix="nc")
    if form.validate_on_submit():
        try:
            loans.mark_not_compensable(current_user, loan.id, form.reason.data or "")
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已认定合同 {loan.contract_no} 的贷款不予补偿（第八条）。{loan.bank.name}不能就该笔贷款申请风险补偿；"
                "理由已记入贷款记录。",
                "success",
            )
            return _to_loan(loan)
    return loan_page(loan, mark_form=form)


@bp.route("/<int:loan_id>/events/<int:event_id>/proof")
def loans_proof(loan_id: int, event_id: int):
    stored = loans.proof_file(current_user, loan_id, event_id)
    return send_file(
        io.BytesIO(files.read(stored)), mimetype=stored.content_type, as_attachment=True, download_name=stored.filename
    )
