"""风险监测 (第十八条): the bureau heads' view of every bank's NPL and overdue ratios against the thresholds, the
deadlines missed or about to be, the programme's ratio history and the daily job's runs; 区财政局 and the
administrator start the daily job for a date from here.

Banks do not open this page (403); each bank sees its own ratios on its bank page (banks/_ratios.html).
The home page's cards read their two numbers through the template globals below.
"""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services import monitoring_overview
from eloan.services.access import can, is_bank_user, require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "monitoring.read")
    return None


def can_run() -> bool:
    return can(current_user, "jobs.run")


@bp.app_template_global()
def monitoring_glance():
    """For the home cards: missed deadlines and suspended banks (once per page, whichever sections ask)."""
    if not current_user.is_authenticated or not can(current_user, "monitoring.read"):
        return None
    if "monitoring_glance" not in g:
        g.monitoring_glance = monitoring_overview.glance(current_user)
    return g.monitoring_glance


@bp.app_template_global()
def own_bank_ratios():
    """For a bank user's home section: the own bank's ratios today against the thresholds (None without a bank)."""
    if not current_user.is_authenticated or not is_bank_user(current_user) or current_user.bank is None:
        return None
    return monitoring_overview.bank_panel(current_user, current_user.bank.code, with_history=False)


from eloan.web.monitoring import views  # noqa: E402,F401  (routes)
