"""年度目标 (POLICY.md §15): the year's table in the government's columns with 完成情况 as at a chosen date;
the set form of 区财政局 and 区金融服务中心; each responsible unit's 存在问题 / 下步打算; Excel and PDF.
The government units and the auditor read it; banks do not."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import require
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("targets", __name__, url_prefix="/targets")
attach_domain_handlers(bp)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require(current_user, "targets.read")
    return None


from eloan.web.targets import views  # noqa: E402,F401  (routes)
