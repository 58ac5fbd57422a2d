"""Loans: the list with filters and paging (one page from the database, never all loans), its export,
and registration by form with every refused rule beside its field and in a summary at the top."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation
from eloan.domain.loan_input import LOAN_LABELS
from eloan.domain.money import format_money, format_rate
from eloan.services import banks, loans, spreadsheets
from eloan.services.access import is_bank_user
from eloan.web.downloads import xlsx_file
from eloan.web.formkit import apply_errors, requested_page, violation_text
from eloan.web.loans import bp, require_bank
from eloan.web.loans.forms import LoanFilterForm, LoanForm
from eloan.web.loans.summary import policy_today, rate_terms

PER_PAGE = 50


def _filter_form() -> tuple[LoanFilterForm, dict]:
    form = LoanFilterForm(formdata=request.args)
    bank_list = [] if is_bank_user(current_user) else banks.all_banks(current_user)
    form.set_banks(bank_list)
    filters = form.filters({b.code for b in bank_list})
    # 已到期未报 (the daily job's reminder links here): past maturity, principal outstanding, still reported normal
    if request.args.get("matured_unreported") == "1":
        filters["matured_unreported"] = True
    return form, filters


def _query_args(form, filters) -> dict:
    args = form.query_args()
    if filters.get("matured_unreported"):
        args["matured_unreported"] = 1
    return args


@bp.route("/", endpoint="loans")
def loans_list():
    form, filters = _filter_form()
    page = requested_page()
    items, total = loans.search(current_user, page=page, per_page=PER_PAGE, **filters)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    args = _query_args(form, filters)
    without_matured = {k: v for k, v in args.items() if k != "matured_unreported"}
    return render_template(
        "loans/list.html",
        form=form,
        items=items,
        total=total,
        page=page,
        pages=pages,
        args=args,
        matured_unreported=bool(filters.get("matured_unreported")),
        without_matured=without_matured,
    )


@bp.route("/export.xlsx")
def loans_export():
    _, filters = _filter_form()
    return xlsx_file(spreadsheets.export_loans(current_user, **filters), f"园区E贷贷款-{clock.today():%Y%m%d}.xlsx")


def _summary(form, exc: RuleViolation | None) -> list[dict]:
    """Every problem of a refused registration, for the box at the top: field label, text, anchor."""
    if exc is not None:
        return [
            {
                "label": LOAN_LABELS.get(v.field),
                "text": violation_text(v),
                "anchor": v.field if v.field in form._fields else None,
            }
            for v in exc.violations
        ]
    return [
        {
            "label": form[name].label.text if name in form else None,
            "text": message,
            "anchor": name if name in form else None,
        }
        for name, messages in form.errors.items()
        for message in messages
    ]


def _registered_message(loan) -> str:
    return (
        f"已登记贷款：合同 {loan.contract_no}，{loan.enterprise.name}，{format_money(loan.amount)}，"
        f"年利率 {format_rate(loan.rate_percent)}。今后请在本页及时登记每次还款；贷款逾期、认定为不良或核销时，"
        "请登记相应事项（认定不良须上传证明）。"
    )


@bp.route("/new", methods=["GET", "POST"])
def loans_new():
    require_bank()
    form = LoanForm()
    summary: list[dict] = []
    if form.validate_on_submit():
        try:
            loan = loans.register(current_user, form.to_raw())
        except RuleViolation as exc:
            summary = _summary(form, exc)
            apply_errors(form, exc)
        else:
            flash(_registered_message(loan), "success")
            return redirect(url_for("loans.loans_detail", loan_id=loan.id))
    elif form.is_submitted():
        summary = _summary(form, None)
    return render_template(
        "loans/form.html",
        form=form,
        summary=summary,
        policy=policy_today(),
        rate=rate_terms(form.contract_date.data or clock.today()),
    )
