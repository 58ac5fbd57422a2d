"""Screening (第三、四、九条): the enterprises that may be listed, A before B before C, then by tax
sales; `zone` adds one to a draft batch with a recommended amount, `industry` and `fsc` look on."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.services import lists
from eloan.services.access import can, require
from eloan.web.formkit import apply_errors, choices_of, requested_page
from eloan.web.lists import bp
from eloan.web.lists.entry_views import added_message
from eloan.web.lists.forms import AMOUNT_HINT, CandidateEntryForm

PER_PAGE = 50


def _listed(drafts, confirmed, in_force) -> dict[int, list[tuple[str, object]]]:
    """enterprise id → [(what, batch)] for the open batches and the list in force."""
    marks: dict[int, list[tuple[str, object]]] = {}
    for batch, what in (
        [(b, "draft") for b in drafts]
        + [(b, "confirmed") for b in confirmed]
        + ([(in_force, "in_force")] if in_force else [])
    ):
        for entry in batch.entries:
            marks.setdefault(entry.enterprise_id, []).append((what, batch))
    return marks


def _page(form=None, failed_uscc: str | None = None):
    adding = can(current_user, "lists.edit")
    q = (request.args.get("q") or "").strip() or None
    page = requested_page()
    items, total = lists.candidates(current_user, q=q, page=page, per_page=PER_PAGE)
    drafts = lists.list_batches(current_user, status="draft")
    confirmed = lists.list_batches(current_user, status="confirmed")
    wanted = request.args.get("batch", type=int) or (form.batch_id.data if form else None)
    target = next((b for b in drafts if b.id == wanted), drafts[0] if drafts else None)
    args = {k: v for k, v in (("q", q), ("batch", target.id if target else None)) if v}
    return render_template(
        "lists/candidates.html",
        items=items,
        total=total,
        page=page,
        per_page=PER_PAGE,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        q=q,
        args=args,
        adding=adding,
        drafts=drafts,
        target=target,
        marks=_listed(drafts, confirmed, lists.batch_in_force(clock.today())),
        form=form,
        failed_uscc=failed_uscc,
        amount_hint=AMOUNT_HINT,
    )


@bp.route("/candidates", methods=["GET", "POST"])
def candidates():
    if request.method == "GET":
        return _page()
    require(current_user, "lists.edit")
    form = CandidateEntryForm()
    drafts = lists.list_batches(current_user, status="draft")
    form.batch_id.choices = choices_of([(b.id, b.number) for b in drafts])
    if form.validate_on_submit():
        batch = next(b for b in drafts if b.id == form.batch_id.data)
        had = bool(lists.active_confirmations(batch))
        try:
            entry = lists.add_entry(
                current_user, batch.id, form.uscc.data or "", form.recommended_amount.yuan, form.note.data
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(added_message(entry, batch, had), "success")
            return redirect(url_for("lists.candidates", **request.args.to_dict()) + f"#c-{entry.enterprise.uscc}")
    return _page(form, (form.uscc.data or "").strip().upper())
