"""One claim: facts, amounts, deadlines, the materials checklist and the forms of whoever may act on it now.
The bank uploads materials and submits (第十五条); 区财政局 grants an extension to a late draft. Every route
first asks the service for the claim, so another bank's claim is 404 before anything else happens."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.calendar import chinese_date
from eloan.domain.errors import Forbidden, RuleViolation, StateConflict
from eloan.domain.money import format_money
from eloan.domain.states import CLAIMS_EDITABLE
from eloan.pdf.attachment2 import render_attachment2, render_opinion
from eloan.services import claim_facts, claim_view, claims, files
from eloan.services.claim_actions import require_permission
from eloan.services.claim_view import ClaimView
from eloan.web.claims import bp
from eloan.web.claims.forms import (
    ClawbackForm,
    DocumentForm,
    ExtensionForm,
    FraudForm,
    OpinionForm,
    PayForm,
    RecoveryForm,
    RemitForm,
    ReviewForm,
    SubmitForm,
)
from eloan.web.claims.summary import (
    Names,
    deadlines,
    earlier_reviews,
    history,
    list_link,
    materials,
    pending_reviewers,
    review_rows,
)
from eloan.web.downloads import pdf_file
from eloan.web.formkit import apply_errors, flash_form_errors


def remit_prefix(recovery_id: int) -> str:
    return f"rm{recovery_id}"


def _offered(view: ClaimView, action: str) -> bool:
    """The form is on the page: the user may act (services.claim_actions), or the act is theirs to do but a
    rule keeps this user from it, and the form shows, disabled, why."""
    return action in view.actions or action in view.actions.refused


def _forms(view: ClaimView, given: dict) -> dict:
    """The forms of whoever may act on the claim now — exactly the actions the service would accept."""
    claim, actions, today = view.claim, view.actions, clock.today()
    forms = {}
    if "add_document" in actions:
        forms["document_forms"] = {
            kind: (
                given["document_form"]
                if given.get("document_kind") == kind
                else DocumentForm(formdata=None, prefix=f"doc-{kind}")
            )
            for kind in claim_facts.DOCUMENT_KINDS
        }
    if "submit" in actions:
        forms["submit_form"] = given.get("submit_form") or SubmitForm(
            formdata=None, prefix="sub", data={"collection_measures": claim.collection_measures}
        )
    if "extend" in actions:
        forms["extension_form"] = given.get("extension_form") or ExtensionForm(formdata=None, prefix="ext")
    if "review" in actions:
        forms["review_form"] = given.get("review_form") or ReviewForm(formdata=None, prefix="rv")
        forms["review_form"].set_roles(actions.review_roles)
    if _offered(view, "opinion"):
        forms["opinion_form"] = given.get("opinion_form") or OpinionForm(formdata=None, prefix="op")
    if _offered(view, "pay"):
        forms["pay_form"] = given.get("pay_form") or PayForm(formdata=None, prefix="pay", data={"paid_on": today})
    if "record_recovery" in actions:
        forms["recovery_form"] = given.get("recovery_form") or RecoveryForm(
            formdata=None, prefix="rc", data={"recovered_on": today}
        )
    forms["remit_forms"] = {
        r.id: (
            given["remit_form"]
            if given.get("remit_id") == r.id
            else RemitForm(formdata=None, prefix=remit_prefix(r.id), data={"remitted_on": today})
        )
        for r in claim.recoveries
        if r.id in actions.remittable
    }
    if "receive_clawback" in actions:
        forms["clawback_form"] = given.get("clawback_form") or ClawbackForm(
            formdata=None, prefix="cb", data={"received_on": today}
        )
    if "mark_fraud" in actions:
        forms["fraud_form"] = given.get("fraud_form") or FraudForm(formdata=None, prefix="fr")
    return forms


def _say_unplaced(given: dict, forms: dict) -> None:
    """A form sent back with errors for an act this user can no longer do here (the claim moved on meanwhile)
    has no place on the page: its reasons go to the top instead of nowhere."""
    placed = [f for f in forms.values() if not isinstance(f, dict)]
    placed += [f for group in forms.values() if isinstance(group, dict) for f in group.values()]
    for name, form in given.items():
        if name != "open_form" and name.endswith("_form") and not any(form is f for f in placed):
            flash_form_errors(form)


def render_claim(view: ClaimView, **given):
    """The claim's page; `given` holds a form that came back with errors (and which one it was)."""
    claim, today = view.claim, clock.today()
    names = Names(view.names)
    forms = _forms(view, given)
    _say_unplaced(given, forms)
    return render_template(
        "claims/detail.html",
        claim=claim,
        loan=claim.loan,
        today=today,
        deadlines=deadlines(claim, today),
        actions=view.actions,
        materials=materials(view),
        missing=[claim_facts.DOCUMENT_KINDS[k] for k in view.missing],
        list_link=list_link(current_user, claim),
        reviews=review_rows(view, names),
        earlier=earlier_reviews(view),
        returned=claim_facts.latest_return(claim),
        pending=pending_reviewers(claim),
        review_round=view.review_round,
        names=names,
        history=history(claim, names),
        payout=claim.payout,
        paid=view.paid,
        recoveries=claim.recoveries,
        owed=view.owed_to_fund,
        fund_recovered=view.fund_recovered,
        returned_to_fund=view.returned_to_fund,
        clawback=claim.clawback,
        clawback_received=view.clawback_received,
        extensions=claim.extensions,
        open_form=given.get("open_form"),
        **forms,
    )


def claim_page(claim, **given):
    """The claim's page again, after a form on it came back with errors."""
    return render_claim(claim_view.read(current_user, claim.id), **given)


def to_claim(claim, anchor: str | None = None):
    return redirect(url_for("claims.claims_detail", claim_id=claim.id) + (f"#{anchor}" if anchor else ""))


@bp.route("/<int:claim_id>")
def claims_detail(claim_id: int):
    return render_claim(claim_view.read(current_user, claim_id))


@bp.route("/<int:claim_id>/documents", methods=["POST"])
def claims_document(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "add_document")
    kind = request.args.get("kind", "")
    if kind not in claim_facts.DOCUMENT_KINDS:
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
            missing = [claim_facts.DOCUMENT_KINDS[k] for k in claim_facts.missing_materials(claim)]
            flash(
                f"已上传“{claim_facts.DOCUMENT_KINDS[kind]}”：{upload.filename}。"
                + ("还缺：" + "；".join(missing) + "。" if missing else "必需材料已齐全，请填写清收措施后提交申请。"),
                "success",
            )
            return to_claim(claim, "materials")
    return claim_page(claim, document_form=form, document_kind=kind, open_form="materials")


@bp.route("/<int:claim_id>/documents/<int:document_id>")
def claims_document_file(claim_id: int, document_id: int):
    stored = claims.document_file(current_user, claim_id, document_id)
    return send_file(
        io.BytesIO(files.read(stored)), mimetype=stored.content_type, as_attachment=True, download_name=stored.filename
    )


def _submitted_message(claim) -> str:
    due = claim.opinion_deadline
    return (
        f"补偿申请 #{claim.id} 已提交，{chinese_date(claim.accepted_on)}受理，应补偿 {format_money(claim.compensation)}。"
        "经济开发区、行业主管部门和区金融服务中心将并行审核；审核通过后，区财政局须在"
        f"{chinese_date(due)}前出具意见（第十六条）。退回补正的，请按意见修改后重新提交。"
    )


@bp.route("/<int:claim_id>/submit", methods=["POST"])
def claims_submit(claim_id: int):
    claim = claims.get(current_user, claim_id)
    require_permission(current_user, "submit")
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
    require_permission(current_user, "extend")
    form = ExtensionForm(prefix="ext")
    if form.validate_on_submit():
        try:
            claims.grant_extension(current_user, claim.id, form.until.data, form.reason.data or "")
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已将补偿申请 #{claim.id} 的提交期限延至{chinese_date(form.until.data)}，并已通知{claim.bank.name}。"
                "银行须在该日（含）前补齐材料并提交。",
                "success",
            )
            return to_claim(claim, "deadlines")
    return claim_page(claim, extension_form=form, open_form="extension")


@bp.route("/<int:claim_id>/attachment-2.pdf")
def claims_attachment2(claim_id: int):
    view = claim_view.read(current_user, claim_id)
    claim = view.claim
    # The copy the bank signs and stamps (material ②) exists while the bank may still change the claim.
    for_signature = request.args.get("for_signature") == "1" and claim.status in CLAIMS_EDITABLE
    name = f"附件2-风险补偿资金申请表-补偿申请{claim.id}{'-供签字盖章' if for_signature else ''}.pdf"
    pdf = render_attachment2(claim, names=view.names, for_signature=for_signature)
    return pdf_file(pdf, name)


@bp.route("/<int:claim_id>/opinion.pdf")
def claims_opinion_pdf(claim_id: int):
    view = claim_view.read(current_user, claim_id)
    if view.claim.opinion_decision is None:
        abort(404)
    return pdf_file(render_opinion(view.claim, names=view.names), f"区财政局审核意见-补偿申请{view.claim.id}.pdf")


def forbidden_as_error(form, exc: Forbidden) -> None:
    """A refusal of who is acting (four eyes) belongs on the form, not on an error page."""
    form.form_errors.append(exc.message)
