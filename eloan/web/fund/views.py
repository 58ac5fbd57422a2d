"""The fund page: the account's figures, one page of the ledger with its running balance (never the whole
ledger: it grows by every payout and return), the appropriation form and corrections of 区财政局."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.domain.money import format_money
from eloan.services import fund, reference
from eloan.services.access import can, require
from eloan.web.claims.summary import Names
from eloan.web.formkit import apply_errors, requested_page
from eloan.web.fund import bp
from eloan.web.fund.forms import AppropriationForm, CorrectionForm

PER_PAGE = 50
CORRECTABLE = ("appropriation",)  # entries of a claim are corrected through the claim (services.fund.correct)


def _ledger_args() -> tuple[int, bool]:
    return requested_page(), request.args.get("order") != "oldest"


def _scale(appropriated):
    """(scale, room left, problem) under the policy in force today (第十四条)."""
    try:
        scale = reference.policy_on(clock.today()).fund_scale
    except RuleViolation as exc:
        return None, None, str(exc)
    return scale, max(scale - appropriated, 0), None


def fund_page(*, appropriation_form=None, correction_form=None, correction_id=None):
    page, newest_first = _ledger_args()
    summary = fund.summary(current_user)
    items, total = fund.entries(current_user, page=page, per_page=PER_PAGE, newest_first=newest_first)
    is_finance = can(current_user, "fund.appropriate")
    reversed_ids = fund.reversed_entries(e.id for e in items)
    correctable = {e.id for e in items if e.kind in CORRECTABLE and e.id not in reversed_ids} if is_finance else set()
    corrections = {
        i: (correction_form if i == correction_id else CorrectionForm(formdata=None, prefix=f"co{i}"))
        for i in correctable
    }
    if correction_form is not None and correction_id not in corrections:
        # the entry is not on this page (or no longer correctable): its refusal is said at the top
        for message in (m for ms in correction_form.errors.values() for m in ms):
            flash(f"第 {correction_id} 号分录未能更正：{message}", "error")
    if is_finance and appropriation_form is None:
        appropriation_form = AppropriationForm(formdata=None, prefix="ap", data={"entry_date": clock.today()})
    scale, room, problem = _scale(summary.appropriated)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "fund/index.html",
        summary=summary,
        items=items,
        total=total,
        page=page,
        pages=pages,
        newest_first=newest_first,
        args={} if newest_first else {"order": "oldest"},
        kinds=fund.KIND_LABELS,
        reversed_ids=reversed_ids,
        corrections=corrections,
        open_correction=correction_id,
        appropriation_form=appropriation_form if is_finance else None,
        scale=scale,
        room=room,
        scale_problem=problem,
        names=Names(),
    )


@bp.route("/", endpoint="fund")
def fund_index():
    return fund_page()


@bp.route("/appropriations", methods=["POST"])
def fund_appropriate():
    require(current_user, "fund.appropriate")
    form = AppropriationForm(prefix="ap")
    if form.validate_on_submit():
        try:
            entry = fund.appropriate(
                current_user,
                form.amount.data.strip(),
                form.entry_date.data,
                (form.reference.data or "").strip() or None,
            )
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已记入拨入资金 {format_money(entry.amount)}（{chinese_date(entry.entry_date)}），专户余额现为 "
                f"{format_money(entry.balance_after)}。待资金拨付的补偿申请现在可以拨付。",
                "success",
            )
            return redirect(url_for("fund.fund"))
    return fund_page(appropriation_form=form)


@bp.route("/entries/<int:entry_id>/correct", methods=["POST"])
def fund_correct(entry_id: int):
    require(current_user, "fund.appropriate")
    form = CorrectionForm(prefix=f"co{entry_id}")
    if form.validate_on_submit():
        try:
            entry = fund.correct(current_user, entry_id, form.reason.data or "")
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已冲销第 {entry_id} 号分录：记入一笔方向相反的 {format_money(entry.amount)}，原分录保留。"
                f"专户余额现为 {format_money(entry.balance_after)}。",
                "success",
            )
            return redirect(url_for("fund.fund"))
    return fund_page(correction_form=form, correction_id=entry_id)
