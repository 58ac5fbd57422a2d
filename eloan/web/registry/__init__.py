"""The enterprise registry and the sanctions list, for the departments (POLICY.md §4, §10).

`zone` keeps the registry; `industry`, `fsc`, `finance` and `auditor` read it. A bank user sees
nothing here (its one page of the list is lists.current). The services check every write again.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from eloan.extensions import login_manager
from eloan.services.access import can, require
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
        require(current_user, "sanctions.read")
    else:
        require(current_user, "enterprises.read")
    return None


def can_write() -> bool:
    return can(current_user, "enterprises.write")


def require_writer() -> None:
    """Write pages answer 403 to readers before a form is shown (the service checks again)."""
    require(current_user, "enterprises.write")


@bp.context_processor
def _registry_context():
    return {"can_write": can_write()}


from eloan.web.registry import enterprise_views, import_views, sanction_views  # noqa: E402,F401  (routes)
