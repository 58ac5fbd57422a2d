"""The recommended list (名单制, 第九、十条): screening candidates, batches and their three-party
confirmation, and the list in force today.

A bank user sees the list in force and nothing else (POLICY.md §4): every other page here answers
403, and the services answer NotFound for any batch but the one in force.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from eloan.domain.errors import Forbidden
from eloan.extensions import login_manager
from eloan.services.access import is_bank_user
from eloan.web.errors import attach_domain_handlers

bp = Blueprint("lists", __name__, url_prefix="/lists")
attach_domain_handlers(bp)

# What a bank user may open: the list in force, and its downloads (the service checks the batch).
_BANK_PAGES = {"lists.current", "lists.batches_detail", "lists.batches_pdf", "lists.batches_xlsx"}


@bp.before_request
def _signed_in():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if is_bank_user(current_user) and request.endpoint not in _BANK_PAGES:
        raise Forbidden("合作银行用户只能查看现行推荐企业名单。")
    return None


from eloan.web.lists import batch_views, candidate_views, current_views, entry_views  # noqa: E402,F401  (routes)
