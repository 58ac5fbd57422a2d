"""Programme loans (第五至八条): the list with filters and export, registration by form and by Excel,
and each loan's page with its timeline and the actions of its bank and of the departments.

A bank writes its own loans only; the departments read all of them and may mark one not compensable
(第八条). Another bank's loan is 404 on every route here, as if it did not exist: every route takes
`loan_id` and asks services.loans, which scopes the lookup (services.access).
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import can, is_bank_user, require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("loans", __name__, url_prefix="/loans")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "loans.read")
    return None


def require_bank() -> None:
    """Registration, repayments and events are the bank's own (the service checks again)."""
    require(current_user, "loans.register")


@bp.context_processor
def _loans_context():
    return {"is_bank": is_bank_user(current_user), "can_mark": can(current_user, "loans.mark")}


from eloan.web.loans import detail_views, import_views, list_views  # noqa: E402,F401  (routes)
