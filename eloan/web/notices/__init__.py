"""Notifications (通知): each user's own inbox — newest first, unread marked — and the unread count in the header.

Every logged-in user has one. A notice belongs to its recipient only: another user's is 404 on every route here,
because services.notifications looks it up by id and owner together.
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services import notifications
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("notices", __name__, url_prefix="/notifications")
attach_domain_handlers(bp)


@bp.before_request
def _logged_in_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _unread_notices() -> int:
    """Called by base.html once per page: one COUNT on an indexed column (user_id, read_at)."""
    if not current_user.is_authenticated:
        return 0
    return notifications.unread_count(current_user)


@bp.app_context_processor
def _header_badge():
    # A function, not a number: pages that do not draw the header (PDFs, partials) cost no query.
    return {"unread_notices": _unread_notices}


from eloan.web.notices import views  # noqa: E402,F401  (routes)
