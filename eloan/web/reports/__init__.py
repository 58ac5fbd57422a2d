"""统计报表: 业务情况统计表 (附件4; POLICY.md §12.4) for the government units and the auditor, and for a bank
its own row only; with its Excel and PDF downloads."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("reports", __name__, url_prefix="/reports")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "reports.read")
    return None


from eloan.web.reports import views  # noqa: E402,F401  (routes)
