"""The entries of a draft batch (`zone`): add an enterprise by its credit code, change the
recommended amount or note, remove. Any change clears the confirmations already given."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan.domain.errors import NotFound, RuleViolation, StateConflict
from eloan.services import lists
from eloan.services.access import require
from eloan.web.formkit import apply_errors, flash_errors
from eloan.web.lists import bp
from eloan.web.lists.batch_views import batch_page
from eloan.web.lists.forms import AddEntryForm, EntryForm
from eloan.web.registry.labels import wan

RECONFIRM = "名单有变动，此前的确认已失效，需三个单位重新确认。"


def added_message(entry, batch, had_confirmations: bool) -> str:
    text = (
        f"已将“{entry.enterprise.name}”加入批次“{batch.number}”，推荐额度 {wan(entry.recommended_amount)} 万元。"
        f"本批次现有 {len(batch.entries)} 户企业。"
    )
    return text + (RECONFIRM if had_confirmations else "全部企业加入后，请三个单位分别确认。")


def _entry(batch, entry_id: int):
    entry = next((e for e in batch.entries if e.id == entry_id), None)
    if entry is None:
        raise NotFound("名单条目不存在。")
    return entry


@bp.route("/<int:batch_id>/entries", methods=["POST"])
def batches_entry_add(batch_id: int):
    require(current_user, "lists.edit")
    batch = lists.get_batch(current_user, batch_id)
    form = AddEntryForm()
    if form.validate_on_submit():
        had = bool(lists.active_confirmations(batch))
        try:
            entry = lists.add_entry(
                current_user, batch.id, form.uscc.data or "", form.recommended_amount.yuan, form.note.data
            )
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(added_message(entry, batch, had), "success")
            return redirect(url_for("lists.batches_detail", batch_id=batch.id) + "#entries")
    return batch_page(batch, add_form=form)


@bp.route("/<int:batch_id>/entries/<int:entry_id>", methods=["GET", "POST"])
def batches_entry_edit(batch_id: int, entry_id: int):
    require(current_user, "lists.edit")
    batch = lists.get_batch(current_user, batch_id)
    entry = _entry(batch, entry_id)
    form = EntryForm()
    if not form.is_submitted():
        form = EntryForm(formdata=None, data={"note": entry.note})
        form.recommended_amount.set_yuan(entry.recommended_amount)
    elif form.validate():
        had = bool(lists.active_confirmations(batch))
        try:
            lists.update_entry(current_user, batch.id, entry.id, form.recommended_amount.yuan, form.note.data)
        except (RuleViolation, StateConflict) as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"已修改“{entry.enterprise.name}”的推荐额度和备注：{wan(entry.recommended_amount)} 万元。"
                + (RECONFIRM if had else ""),
                "success",
            )
            return redirect(url_for("lists.batches_detail", batch_id=batch.id) + "#entries")
    return render_template("lists/entry.html", b=batch, entry=entry, form=form)


@bp.route("/<int:batch_id>/entries/<int:entry_id>/remove", methods=["POST"])
def batches_entry_remove(batch_id: int, entry_id: int):
    require(current_user, "lists.edit")
    batch = lists.get_batch(current_user, batch_id)
    entry = _entry(batch, entry_id)
    name, had = entry.enterprise.name, bool(lists.active_confirmations(batch))
    try:
        lists.remove_entry(current_user, batch.id, entry.id)
    except StateConflict as exc:
        flash_errors(exc)
    else:
        flash(f"已将“{name}”移出批次“{batch.number}”。" + (RECONFIRM if had else ""), "success")
    return redirect(url_for("lists.batches_detail", batch_id=batch.id) + "#entries")
