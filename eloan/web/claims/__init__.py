"""Compensation claims (第十五、十六、十七、十九条): the list, opening a claim from an NPL loan, and each
claim's page with its materials, the three reviews, finance's opinion and payout, recoveries and fraud.

A bank reads and writes its own claims only; the departments and the auditor read all of them. Another
bank's claim is 404 on every route here, as if it did not exist: every route takes `claim_id` (and
`document_id`, `recovery_id`) and first asks services.claims.get, which scopes the lookup (services.access),
before any role is checked.
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan import clock
from eloan.domain.calendar import days_left
from eloan.extensions import login_manager
from eloan.services import claims
from eloan.services.access import can, is_bank_user, require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("claims", __name__, url_prefix="/claims")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "claims.read")
    return None


@bp.context_processor
def _claims_context():
    return {"is_bank": is_bank_user(current_user)}


@bp.app_template_global()
def claim_of_loan(loan):
    """For the loan page: the claim on this loan the current user may see, if any."""
    if not current_user.is_authenticated or not can(current_user, "claims.read"):
        return None
    return claims.claim_of_loan(current_user, loan.id)


@bp.app_template_filter("days_left")
def _days_left(day) -> str:
    """还剩 3 天 / 今天到期 / 已逾期 2 天, counted from today (for the home page's to-dos)."""
    if day is None:
        return ""
    left = days_left(clock.today(), day)
    return f"还剩 {left} 天" if left > 0 else ("今天到期" if left == 0 else f"已逾期 {-left} 天")


from eloan.web.claims import decision_views, detail_views, list_views, recovery_views  # noqa: E402,F401  (routes)
