"""The sanctions list (第十四条第二款、第十七条): who is flagged, why and since when; `finance` and `zone`
clear a flag with a reason; everyone who reads it may export it for other departments."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.services import sanctions, spreadsheets, users
from eloan.services.access import can, require
from eloan.web.downloads import xlsx_file
from eloan.web.formkit import apply_errors, requested_page
from eloan.web.registry import bp
from eloan.web.registry.forms import ClearSanctionForm

PER_PAGE = 50


def _names(items) -> dict[int, str]:
    """Who cleared each cleared sanction, by user id."""
    ids = {s.cleared_by_id for s in items if s.cleared_by_id}
    return {i: users.get_user(i).display_name for i in ids}


def _page(clear_form=None, failed_uscc: str | None = None, status: int = 200):
    include_cleared = request.args.get("all") == "1"
    page = requested_page()
    items, total = sanctions.list_sanctions(current_user, include_cleared=include_cleared, page=page, per_page=PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "registry/sanctions.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        include_cleared=include_cleared,
        measures=sanctions.MEASURES,
        can_clear=can(current_user, "sanctions.clear"),
        cleared_by=_names(items),
        clear_form=clear_form or ClearSanctionForm(formdata=None),
        failed_uscc=failed_uscc,
    ), status


@bp.route("/sanctions", methods=["GET", "POST"], endpoint="sanctions")
def sanctions_list():
    if request.method == "GET":
        return _page()
    require(current_user, "sanctions.clear")
    form = ClearSanctionForm()
    uscc = (form.uscc.data or "").strip()
    if form.validate_on_submit():
        try:
            sanction = sanctions.clear(current_user, uscc, form.reason.data or "")
        except RuleViolation as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            flash(exc.message, "error")
            return redirect(url_for("registry.sanctions"))
        else:
            flash(
                f"已解除对“{sanction.enterprise.name}”的惩戒，{clock.today():%Y-%m-%d} 起不再限制其评优评先、奖补资金和优惠政策；"
                "如仍符合条件，可重新列入推荐名单。",
                "success",
            )
            return redirect(url_for("registry.sanctions"))
    return _page(form, uscc)


@bp.route("/sanctions/export.xlsx")
def sanctions_export():
    return xlsx_file(spreadsheets.export_sanctions(current_user), f"惩戒名单-{clock.today():%Y%m%d}.xlsx")
