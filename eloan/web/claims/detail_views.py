"""One claim: facts, amounts, deadlines, the materials checklist and the forms of whoever may act on it now.
The bank uploads materials and submits (第十五条); 区财政局 grants an extension to a late draft. Every route
first asks the service for the claim, so another bank's claim is 404 before anything else happens."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.roles import REVIEWING_UNITS
from eloan.domain.states import CLAIMS_AWAITING_PAYOUT, CLAIMS_EDITABLE, CLAIMS_PAID
from eloan.domain.calendar import chinese_date
from eloan.domain.errors import Forbidden, RuleViolation, StateConflict
from eloan.domain.money import format_money
from eloan.pdf.attachment2 import render_attachment2, render_opinion
from eloan.services import claims, dashboard, files, recoveries
from eloan.services.access import can, is_bank_user, require
from eloan.web.claims import bp
from eloan.web.claims.forms import (ClawbackForm, DocumentForm, ExtensionForm, FraudForm, OpinionForm, PayForm,
                                    RecoveryForm, RemitForm, ReviewForm, SubmitForm)
from eloan.web.claims.summary import (Names, deadlines, earlier_reviews, history, latest_return, list_link, materials,
                                      pending_reviewers, review_rows)
from eloan.web.formkit import apply_errors

PDF = "application/pdf"


def remit_prefix(recovery_id: int) -> str:
    return f"rm{recovery_id}"


def _reviewer_roles(claim) -> list[str]:
    """The departments this user may still review for in the current round."""
    done = claims.current_reviews(claim)
    return [r for r in REVIEWING_UNITS if current_user.has_role(r) and r not in done]


def _bank_forms(claim, given: dict) -> dict:
    forms = {}
    if claim.status in CLAIMS_EDITABLE:
        forms["document_forms"] = {kind: (given["document_form"] if given.get("document_kind") == kind else
                                          DocumentForm(formdata=None, prefix=f"doc-{kind}"))
                                   for kind in claims.DOCUMENT_KINDS}
        forms["submit_form"] = given.get("submit_form") or SubmitForm(
            formdata=None, prefix="sub", data={"collection_measures": claim.collection_measures})
    if claim.status in CLAIMS_PAID and not claim.fraud:
        forms["recovery_form"] = given.get("recovery_form") or RecoveryForm(
            formdata=None, prefix="rc", data={"recovered_on": clock.today()})
    return forms


def _finance_forms(claim, given: dict, recovered: list, clawback) -> dict:
    today = clock.today()
    forms = {}
    if claim.status == "draft":
        forms["extension_form"] = given.get("extension_form") or ExtensionForm(formdata=None, prefix="ext")
    if claim.status == "in_review":
        forms["opinion_form"] = given.get("opinion_form") or OpinionForm(formdata=None, prefix="op")
    if claim.status in CLAIMS_AWAITING_PAYOUT:
        forms["pay_form"] = given.get("pay_form") or PayForm(formdata=None, prefix="pay", data={"paid_on": today})
    forms["remit_forms"] = {r.id: (given["remit_form"] if given.get("remit_id") == r.id else
                                   RemitForm(formdata=None, prefix=remit_prefix(r.id), data={"remitted_on": today}))
                            for r in recovered if r.remitted_on is None}
    if clawback is not None and clawback.amount > recoveries.clawback_received(clawback):
        forms["clawback_form"] = given.get("clawback_form") or ClawbackForm(
            formdata=None, prefix="cb", data={"received_on": today})
    if not claim.fraud:
        forms["fraud_form"] = given.get("fraud_form") or FraudForm(formdata=None, prefix="fr")
    return forms


def _review_form(claim, given: dict):
    roles = _reviewer_roles(claim) if claim.status == "in_review" else []
    if not roles:
        return None
    form = given.get("review_form") or ReviewForm(formdata=None, prefix="rv")
    form.set_roles(roles)
    return form


def claim_page(claim, **given):
    """The claim's page; `given` holds a form that came back with errors (and which one it was)."""
    names = Names()
    today = clock.today()
    recovered = dashboard.recoveries_of(claim)
    clawback = dashboard.clawback_of(claim)
    forms = {}
    if is_bank_user(current_user):
        forms.update(_bank_forms(claim, given))
    if can(current_user, "claims.decide"):
        forms.update(_finance_forms(claim, given, recovered, clawback))
    review_form = _review_form(claim, given)
    return render_template(
        "claims/detail.html", claim=claim, loan=claim.loan, today=today, deadlines=deadlines(claim, today),
        materials=materials(claim), missing=[claims.DOCUMENT_KINDS[k] for k in claims.missing_materials(claim)],
        list_link=list_link(current_user, claim), reviews=review_rows(claim, names),
        earlier=earlier_reviews(claim), returned=latest_return(claim), pending=pending_reviewers(claim),
        review_round=claims.review_round(claim), names=names, history=history(claim, names),
        payout=dashboard.payout_of(claim), paid=claims.paid_amount(claim), recoveries=recovered,
        owed=recoveries.owed_to_fund(claim), fund_recovered=recoveries.fund_recovered(claim),
        returned_to_fund=recoveries.returned_to_fund(claim), clawback=clawback,
        clawback_received=recoveries.clawback_received(clawback) if clawback else None,
        extensions=dashboard.extensions_of(claim), review_form=review_form,
        open_form=given.get("open_form"), **forms)


def to_claim(claim, anchor: str | None = None):
    return redirect(url_for("claims.claims_detail", claim_id=claim.id) + (f"#{anchor}" if anchor else ""))


@bp.route("/<int:claim_id>")
def claims_detail(claim_id: int):
    return claim_page(claims.get(current_user, claim_id))


@bp.route("/<int:claim_id>/documents", methods=["POST"])
def claims_document(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require(current_user, "claims.file")
    kind = request.args.get("kind", "")
    if kind not in claims.DOCUMENT_KINDS:
        abort(400)
    form = DocumentForm(prefix=f"doc-{kind}")
    if form.validate_on_submit():
        upload = form.file.data
        try:
            claims.add_document(current_user, claim.id, kind, upload.read(), upload.filename)
        except RuleViolation as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            apply_errors(form, exc)
        else:
            missing = [claims.DOCUMENT_KINDS[k] for k in claims.missing_materials(claim)]
            flash(f"已上传“{claims.DOCUMENT_KINDS[kind]}”：{upload.filename}。"
                  + ("还缺：" + "；".join(missing) + "。" if missing else "必需材料已齐全，请填写清收措施后提交申请。"),
                  "success")
            return to_claim(claim, "materials")
    return claim_page(claim, document_form=form, document_kind=kind, open_form="materials")


@bp.route("/<int:claim_id>/documents/<int:document_id>")
def claims_document_file(claim_id: int, document_id: int):
    stored = claims.document_file(current_user, claim_id, document_id)
    return send_file(io.BytesIO(files.read(stored)), mimetype=stored.content_type, as_attachment=True,
                     download_name=stored.filename)


def _submitted_message(claim) -> str:
    due = claim.opinion_deadline
    return (f"补偿申请 #{claim.id} 已提交，{chinese_date(claim.accepted_on)}受理，应补偿 {format_money(claim.compensation)}。"
            "经济开发区、行业主管部门和区金融服务中心将并行审核；审核通过后，区财政局须在"
            f"{chinese_date(due)}前出具意见（第十六条）。退回补正的，请按意见修改后重新提交。")


@bp.route("/<int:claim_id>/submit", methods=["POST"])
def claims_submit(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require(current_user, "claims.file")
    form = SubmitForm(prefix="sub")
    if form.validate_on_submit():
        try:
            claims.submit(current_user, claim.id, form.collection_measures.data or "")
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(_submitted_message(claim), "success")
            return to_claim(claim)
    return claim_page(claim, submit_form=form, open_form="submit")


@bp.route("/<int:claim_id>/extension", methods=["POST"])
def claims_extension(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require(current_user, "claims.decide")
    form = ExtensionForm(prefix="ext")
    if form.validate_on_submit():
        try:
            claims.grant_extension(current_user, claim.id, form.until.data, form.reason.data or "")
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(f"已将补偿申请 #{claim.id} 的提交期限延至{chinese_date(form.until.data)}，并已通知{claim.bank.name}。"
                  "银行须在该日（含）前补齐材料并提交。", "success")
            return to_claim(claim, "deadlines")
    return claim_page(claim, extension_form=form, open_form="extension")


@bp.route("/<int:claim_id>/attachment-2.pdf")
def claims_attachment2(claim_id: int):
    claim = claims.get(current_user, claim_id)
    for_signature = request.args.get("for_signature") == "1" and claim.status in CLAIMS_EDITABLE
    name = f"附件2-风险补偿资金申请表-补偿申请{claim.id}{'-供签字盖章' if for_signature else ''}.pdf"
    return send_file(io.BytesIO(render_attachment2(claim, for_signature=for_signature)), mimetype=PDF,
                     as_attachment=True, download_name=name)


@bp.route("/<int:claim_id>/opinion.pdf")
def claims_opinion_pdf(claim_id: int):
    claim = claims.get(current_user, claim_id)
    if claim.opinion_decision is None:
        abort(404)
    return send_file(io.BytesIO(render_opinion(claim)), mimetype=PDF, as_attachment=True,
                     download_name=f"区财政局审核意见-补偿申请{claim.id}.pdf")


def forbidden_as_error(form, exc: Forbidden) -> None:
    """A refusal of who is acting (four eyes) belongs on the form, not on an error page."""
    form.form_errors.append(exc.message)
