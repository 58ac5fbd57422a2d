"""The audit log (admin and auditor): newest first, filtered by object or actor, page by page; and the
check of its hash chain, run when asked (it reads the whole log)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from eloan import clock
from eloan.services import audit, audit_chain
from eloan.web.admin import bp
from eloan.web.admin.forms import AuditFilterForm
from eloan.web.audit_labels import change_lines, object_type_label
from eloan.web.formkit import choices_of, requested_page

PER_PAGE = 50


@bp.route("/audit", endpoint="audit")
def audit_list():
    form = AuditFilterForm(formdata=request.args)
    form.object_type.choices = choices_of(
        [("", "全部")] + [(t, f"{object_type_label(t)}（{t}）") for t in audit.object_types(current_user)]
    )
    page = requested_page()
    form.validate()
    entries, total = audit.search(
        current_user,
        object_type=form.object_type.data or None,
        object_id=(form.object_id.data or "").strip() or None,
        actor_name=(form.actor.data or "").strip() or None,
        page=page,
        per_page=PER_PAGE,
    )
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    filters = {
        k: v
        for k, v in (
            ("object_type", form.object_type.data),
            ("object_id", form.object_id.data),
            ("actor", form.actor.data),
        )
        if v
    }
    return render_template(
        "admin/audit.html",
        form=form,
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        change_lines=change_lines,
        marked=request.args.get("entry", type=int),
    )


@bp.route("/audit/verify", endpoint="audit_verify")
def audit_verify():
    report = audit_chain.verify(current_user)
    bad_page = (
        audit.page_of_entry(current_user, report.first_bad_id, PER_PAGE) if report.first_bad_id is not None else None
    )
    return render_template("admin/audit_verify.html", report=report, bad_page=bad_page, checked_at=clock.now())
