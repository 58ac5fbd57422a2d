"""The enterprise registry and the sanctions list, for the departments (POLICY.md §4, §10).

`zone` keeps the registry; `industry`, `fsc`, `finance` and `auditor` read it. A bank user sees
nothing here (its one page of the list is lists.current). The services check every write again.
"""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services import enterprises, sanctions
from eloan.services.access import require_role
from eloan.web.errors import attach_domain_handlers
from eloan.web.registry.labels import FILTERS

bp = Blueprint("registry", __name__, url_prefix="/registry")
attach_domain_handlers(bp)

for _name, _fn in FILTERS.items():
    bp.add_app_template_filter(_fn, _name)


@bp.before_request
def _readers_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if (request.endpoint or "").startswith("registry.sanctions"):
        require_role(current_user, *sanctions.READ_ROLES)
    else:
        require_role(current_user, *enterprises.READ_ROLES)
    return None


def can_write() -> bool:
    return current_user.has_role(*enterprises.WRITE_ROLES)


def require_writer() -> None:
    """Write pages answer 403 to readers before a form is shown (the service checks again)."""
    require_role(current_user, *enterprises.WRITE_ROLES)


@bp.context_processor
def _registry_context():
    return {"can_write": can_write()}


from eloan.web.registry import enterprise_views, import_views, sanction_views  # noqa: E402,F401  (routes)
