"""数据看板 (issue 12): the programme at a glance for the government units and the auditor — the fund,
the loans and their pricing, the ratio trend, compensation and how long claims take against the legal
limits. Charts are inline SVG drawn on the server, each with a sentence and its data table."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "dashboard.read")
    return None


from eloan.web.dashboard import views  # noqa: E402,F401  (routes)
