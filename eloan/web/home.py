"""The home page: one section per role the user holds, with that role's duties and figures."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from eloan import clock
from eloan.domain.roles import REVIEWING_UNITS
from eloan.services import dashboard
from eloan.services.access import can
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("home", __name__)
attach_domain_handlers(bp)

# The order sections appear in, for a person holding several roles (POLICY.md §1).
ROLE_ORDER = ("admin", "zone", "industry", "fsc", "finance", "bank", "auditor")


@bp.route("/")
@login_required
def index():
    today = clock.today()
    held = [r for r in ROLE_ORDER if current_user.has_role(r)]
    policy = dashboard.policy_status(today)
    figures = {
        "policy": policy,
        "policy_ending": policy.ending if can(current_user, "expiry.policy") else None,
        "agreements_ending": dashboard.agreements_ending(current_user, today),
    }
    if "admin" in held:
        figures["admin"] = dashboard.admin_overview(today)
    if set(REVIEWING_UNITS) & set(held):  # they screen and confirm the list
        figures["registry"] = dashboard.registry_overview(current_user)
    if "finance" in held:
        figures["finance"] = dashboard.finance_overview(current_user)
    if "bank" in held:
        figures["bank"] = dashboard.bank_overview(current_user)
    if "auditor" in held:
        figures["recent_audit"] = dashboard.recent_audit(current_user)
    return render_template("home/index.html", roles=held, figures=figures)
