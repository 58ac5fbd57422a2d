"""The risk-compensation fund's special account (专户, 第十四、十七、十九条): balance, what came in and went
out, the leverage on programme loans, the ledger one page at a time, tranche appropriations within the
fund scale and reversing corrections (区财政局). 区财政局, 区金融服务中心 and the auditor read it, as do the
development zone and the industry departments; banks do not."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("fund", __name__, url_prefix="/fund")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "fund.read")
    return None


from eloan.web.fund import views  # noqa: E402,F401  (routes)
