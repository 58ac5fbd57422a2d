"""System administration (role admin): users, policy versions, LPR, calendar; the audit log is
also open to the auditor (POLICY.md §1)."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("admin", __name__, url_prefix="/admin")
attach_domain_handlers(bp)

# Read-only pages the auditor may open as well.
_AUDITOR_PAGES = {"admin.audit", "admin.audit_verify"}


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if request.endpoint in _AUDITOR_PAGES:
        require(current_user, "audit.read")
    else:
        require(current_user, "system.manage")
    return None


from eloan.web.admin import audit, calendar, lpr, policies, users  # noqa: E402,F401  (routes)
