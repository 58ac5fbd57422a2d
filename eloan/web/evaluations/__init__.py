"""年度绩效评价 (第二十条; POLICY.md §11): the list of years, one year's evaluation with its table, and the
forms of each step — compute (区财政局), adjust by hand with a reason, confirm (开发区、行业主管部门、
区金融服务中心), decide per bank (区财政局) — with the report as PDF and Excel. Banks do not see it (404)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import is_bank_user, require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if is_bank_user(current_user):
        abort(404)
    require(current_user, "evaluations.read")
    return None


from eloan.web.evaluations import views  # noqa: E402,F401  (routes)
