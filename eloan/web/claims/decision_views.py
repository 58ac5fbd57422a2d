"""The decisions on a claim (第十六、十九条): a department's review, 区财政局's opinion and its payout by a
second person (four eyes), and the marking of a fraudulent claim. The rules — all three reviews before
the opinion, the reduced amount within C, another finance user for the payout, the fund's balance — are
the services'; their refusals come back on the form that was sent."""

from __future__ import annotations

from flask import flash
from flask_login import current_user

from eloan.domain.calendar import chinese_date
from eloan.domain.errors import Forbidden, RuleViolation, StateConflict
from eloan.domain.money import format_money, format_percent
from eloan.domain.roles import ROLES
from eloan.services import claim_facts, claims, recoveries
from eloan.services.claim_actions import require_permission, review_units
from eloan.web.claims import bp
from eloan.web.claims.detail_views import claim_page, forbidden_as_error, to_claim
from eloan.web.claims.forms import FraudForm, OpinionForm, PayForm, ReviewForm
from eloan.web.claims.summary import pending_reviewers
from eloan.web.formkit import apply_errors


def _review_message(claim, role: str, decision: str) -> str:
    unit = ROLES[role]
    if decision == "return":
        return (
            f"{unit}已将补偿申请 #{claim.id} 退回{claim.bank.name}补正，意见已通知银行。"
            "银行修改后重新提交时重新受理，三方重新审核。"
        )
    pending = pending_reviewers(claim)
    if pending:
        return f"{unit}已同意补偿申请 #{claim.id}。尚待{'、'.join(pending)}审核。"
    return f"{unit}已同意补偿申请 #{claim.id}。三方审核均已同意，待区财政局在{chinese_date(claim.opinion_deadline)}前出具意见。"


@bp.route("/<int:claim_id>/review", methods=["POST"])
def claims_review(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "review")
    form = ReviewForm(prefix="rv")
    units = review_units(current_user, claim)  # as the page offered them
    form.set_roles(units)
    if form.validate_on_submit():
        role = form.role.data if len(units) > 1 else (units[0] if units else None)
        try:
            claims.review(current_user, claim.id, form.decision.data, form.comment.data, role=role)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(_review_message(claim, role, form.decision.data), "success")
            return to_claim(claim, "reviews")
    return claim_page(claim, review_form=form, open_form="reviews")


def _opinion_message(claim) -> str:
    if claim.opinion_decision == "reject":
        return f"已出具意见：补偿申请 #{claim.id} 不予补偿，理由已通知{claim.bank.name}。可下载审核意见书打印。"
    how = "核减后同意补偿" if claim.opinion_decision == "reduce" else "同意补偿"
    return (
        f"已出具意见：补偿申请 #{claim.id} {how} {format_money(claim.approved_amount)}，已通知{claim.bank.name}。"
        f"须在{chinese_date(claim.payout_deadline)}前由另一位区财政局工作人员拨付（第十六条）。"
    )


@bp.route("/<int:claim_id>/opinion", methods=["POST"])
def claims_opinion(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "opinion")
    form = OpinionForm(prefix="op")
    if form.validate_on_submit():
        decision = form.decision.data
        try:
            claims.give_opinion(
                current_user,
                claim.id,
                decision,
                amount=(form.amount.data or "").strip() if decision == "reduce" else None,
                reason=form.reason.data,
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(_opinion_message(claim), "success")
            return to_claim(claim, "opinion")
    return claim_page(claim, opinion_form=form, open_form="opinion")


@bp.route("/<int:claim_id>/pay", methods=["POST"])
def claims_pay(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "pay")
    form = PayForm(prefix="pay")
    if form.validate_on_submit():
        try:
            payout = claims.pay(current_user, claim.id, form.paid_on.data, (form.reference.data or "").strip() or None)
        except Forbidden as exc:
            forbidden_as_error(form, exc)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已从风险补偿资金专户拨付补偿申请 #{claim.id}：{format_money(payout.amount)}（{chinese_date(payout.paid_on)}），"
                f"已通知{claim.bank.name}。此后银行追回的款项按 {format_percent(claim.fund_ratio)} 返还专户（第十七条）。",
                "success",
            )
            return to_claim(claim, "opinion")
    return claim_page(claim, pay_form=form, open_form="payout")


@bp.route("/<int:claim_id>/fraud", methods=["POST"])
def claims_fraud(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "mark_fraud")
    form = FraudForm(prefix="fr", expected_code=claim.bank.code)
    if form.validate_on_submit():
        try:
            recoveries.mark_fraud(current_user, claim.id, form.reason.data or "")
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            paid = claim_facts.paid_amount(claim)
            owed = (
                "已立追缴：须追回已拨付且尚未返还的补偿资金，收回时请在本页登记。"
                if paid
                else "该申请尚未拨付，无须追缴资金。"
            )
            flash(
                f"已认定补偿申请 #{claim.id} 骗取补偿资金（第十九条）：{claim.bank.name}已被取消合作资格，"
                f"不能再发放贷款或申请补偿。{owed}",
                "success",
            )
            return to_claim(claim, "fraud")
    return claim_page(claim, fraud_form=form, open_form="fraud")
