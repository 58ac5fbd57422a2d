"""After payout (第十七、十九条): the bank reports what it recovers, 区财政局 confirms the fund's part arriving
in the special account, and receives what is clawed back after fraud. The split by the fund ratio, and
its cap at what was paid, are services.recoveries'."""

from __future__ import annotations

from flask import abort, flash
from flask_login import current_user

from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.domain.money import format_money, format_percent
from eloan.services import claim_facts, claims, recoveries
from eloan.services.claim_actions import require_permission
from eloan.web.claims import bp
from eloan.web.claims.detail_views import claim_page, remit_prefix, to_claim
from eloan.web.claims.forms import ClawbackForm, RecoveryForm, RemitForm
from eloan.web.formkit import apply_errors


def _recovery_message(claim, recovery) -> str:
    bank_ratio = 1 - claim.fund_ratio
    text = (
        f"已登记{chinese_date(recovery.recovered_on)}追回 {format_money(recovery.amount)}：应返还专户 "
        f"{format_money(recovery.fund_part)}（{format_percent(claim.fund_ratio)}），银行留存 "
        f"{format_money(recovery.bank_part)}（{format_percent(bank_ratio)}）。"
    )
    if recovery.fund_part > 0:
        return text + "请将应返还部分汇入风险补偿资金专户，区财政局确认到账后记入专户。"
    return text + "返还专户的部分已达拨付金额，本次追回款全部由银行留存。"


@bp.route("/<int:claim_id>/recoveries", methods=["POST"])
def claims_recovery(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "record_recovery")
    form = RecoveryForm(prefix="rc")
    if form.validate_on_submit():
        try:
            recovery = recoveries.report_recovery(
                current_user, claim.id, form.recovered_on.data, form.amount.data.strip()
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(_recovery_message(claim, recovery), "success")
            return to_claim(claim, "recoveries")
    return claim_page(claim, recovery_form=form, open_form="recoveries")


def _recovery_of(claim, recovery_id: int):
    found = next((r for r in claim.recoveries if r.id == recovery_id), None)
    if found is None:
        abort(404)
    return found


@bp.route("/<int:claim_id>/recoveries/<int:recovery_id>/remit", methods=["POST"])
def claims_remit(claim_id: int, recovery_id: int):
    claim = claims.get(current_user, claim_id)
    recovery = _recovery_of(claim, recovery_id)
    require_permission(current_user, "remit")
    form = RemitForm(prefix=remit_prefix(recovery.id))
    if form.validate_on_submit():
        try:
            recoveries.remit(
                current_user, recovery.id, form.remitted_on.data, (form.reference.data or "").strip() or None
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            owed = claim_facts.owed_to_fund(claim)
            flash(
                f"已确认 {format_money(recovery.fund_part)} 返还风险补偿资金专户（{chinese_date(form.remitted_on.data)}），"
                "已记入专户。"
                + (f"该申请尚有 {format_money(owed)} 待银行返还。" if owed else "该申请已无待返还款项。"),
                "success",
            )
            return to_claim(claim, "recoveries")
    return claim_page(claim, remit_form=form, remit_id=recovery.id, open_form="recoveries")


@bp.route("/<int:claim_id>/clawback", methods=["POST"])
def claims_clawback(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "receive_clawback")
    clawback = claim.clawback
    if clawback is None:
        abort(404)
    form = ClawbackForm(prefix="cb")
    if form.validate_on_submit():
        try:
            recoveries.receive_clawback(
                current_user,
                clawback.id,
                form.amount.data.strip(),
                form.received_on.data,
                (form.reference.data or "").strip() or None,
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            left = claim_facts.clawback_outstanding(claim)
            flash(
                "已登记追缴款到账，记入风险补偿资金专户。"
                + (f"尚欠 {format_money(left)}。" if left else "追缴已全部收回。"),
                "success",
            )
            return to_claim(claim, "fraud")
    return claim_page(claim, clawback_form=form, open_form="fraud")
