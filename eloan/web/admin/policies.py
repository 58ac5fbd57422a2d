"""Policy versions (第二十二条): list, create, change. The service refuses overlaps and bad numbers."""

from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation
from eloan.domain.policy import TZ_2023_9, covers
from eloan.services import reference
from eloan.web.admin import bp
from eloan.web.admin.forms import PolicyForm
from eloan.web.formkit import apply_errors


def _version(version_id: int):
    return reference.get_policy_version(version_id)


@bp.route("/policies", endpoint="policies")
def policies_list():
    today = clock.today()
    versions = reference.policy_versions()
    in_force = {v.id for v in versions if covers(reference.params_of(v), today)}
    return render_template("admin/policies/list.html", versions=versions, in_force=in_force)


def _save(form: PolicyForm, version_id: int | None):
    try:
        row = reference.save_policy_version(
            current_user, form.to_params(), note=form.note.data or None, version_id=version_id
        )
    except RuleViolation as exc:
        apply_errors(form, exc)
        return None
    flash(f"已保存政策版本 {row.code}。", "success")
    return redirect(url_for("admin.policies"))


@bp.route("/policies/new", methods=["GET", "POST"])
def policies_new():
    form = PolicyForm()
    if not form.is_submitted():
        # Start from the shipped version's numbers: a renewal usually changes only a few.
        form.fill_from(SimpleNamespace(**asdict(TZ_2023_9), note=None))
        form.code.data = form.name.data = form.effective_from.data = form.effective_to.data = None
    elif form.validate():
        done = _save(form, None)
        if done:
            return done
    return render_template("admin/policies/form.html", form=form, version=None)


@bp.route("/policies/<int:version_id>", methods=["GET", "POST"])
def policies_edit(version_id: int):
    row = _version(version_id)
    form = PolicyForm()
    if not form.is_submitted():
        form.fill_from(row)
    elif form.validate():
        done = _save(form, row.id)
        if done:
            return done
    return render_template("admin/policies/form.html", form=form, version=row)
