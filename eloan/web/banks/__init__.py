"""Cooperating banks (第五、十二、十四、十八、十九条): the list with the competitive ranking, each bank's
facts and status history, Attachment 3, admission and edits (`fsc`, `finance`), and the status changes
of 区财政局 (`finance`).

A bank user reads its own bank only ("本行信息"): another bank's page is 404, as if it did not exist,
because the service scopes every lookup (services.access).
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import can, require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("banks", __name__, url_prefix="/banks")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "banks.read")
    return None


def can_write() -> bool:
    return can(current_user, "banks.write")


def require_writer() -> None:
    """Write pages answer 403 to readers before a form is shown (the service checks again)."""
    require(current_user, "banks.write")


@bp.context_processor
def _banks_context():
    return {"can_write": can_write(), "can_change_status": can(current_user, "banks.change_status")}


from eloan.web.banks import status_views, views  # noqa: E402,F401  (routes)
