"""The web UI for people: login, home pages by role, administration.

register_web(app) wires Flask-Login, the blueprints, the template filters and menu, the error
pages and the security headers. Views stay thin: they parse forms and call services.
"""

from __future__ import annotations

from flask import current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from eloan.domain import states
from eloan.extensions import db, login_manager
from eloan.models import User
from eloan.models.users import AnonymousUser
from eloan.services.context import set_channel
from eloan.web.errors import is_api_request, register_error_pages
from eloan.web.filters import FILTERS
from eloan.web.nav import inject_layout

# Only this site's own files: no CDN, no inline script, no framing (static/ holds everything).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
# With ELOAN_SECURE_COOKIES the site is served over HTTPS only: browsers are told never to try plain HTTP.
HSTS = "max-age=31536000; includeSubDomains"
# Documents (PDF forms, uploaded scans, spreadsheets) hold loan and enterprise data: no browser or proxy
# keeps a copy of them on disk, e.g. on a shared office computer.
_DOCUMENT_TYPES = (
    "application/pdf",
    "application/zip",
    "application/vnd.ms-excel",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

# Pages a user who must change the password may still open.
_OPEN_WHILE_PASSWORD_DUE = {"auth.login", "auth.logout", "auth.password", "static"}


def _load_user(session_id: str):
    """The user of a session (or remember-me cookie) opened under the user's current session version
    (User.get_id); Flask-Login itself refuses a disabled user (is_authenticated follows is_active)."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except (AttributeError, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


def _is_document(response) -> bool:
    mimetype = response.mimetype or ""
    return (
        mimetype in _DOCUMENT_TYPES
        or mimetype.startswith("image/")
        or response.headers.get("Content-Disposition", "").startswith("attachment")
    )


def _security_headers(response):
    """Every answer, pages and /api/v1 alike."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static" and _is_document(response):  # the site's own icons may be cached
        response.headers["Cache-Control"] = "no-store"
    return response


def _web_channel():
    """Audit entries written while serving a page are marked as coming through the web."""
    if not is_api_request():
        set_channel("web")


def _password_change_due():
    """After an administrator's reset the user picks a new password before anything else."""
    if is_api_request() or request.endpoint in _OPEN_WHILE_PASSWORD_DUE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.password"))
    return None


def register_web(app) -> None:
    login_manager.user_loader(_load_user)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录系统。"
    login_manager.login_message_category = "info"

    from eloan.web.admin import bp as admin_bp
    from eloan.web.auth import bp as auth_bp
    from eloan.web.banks import bp as banks_bp
    from eloan.web.claims import bp as claims_bp
    from eloan.web.dashboard import bp as dashboard_bp
    from eloan.web.evaluations import bp as evaluations_bp
    from eloan.web.fund import bp as fund_bp
    from eloan.web.home import bp as home_bp
    from eloan.web.lists import bp as lists_bp
    from eloan.web.loans import bp as loans_bp
    from eloan.web.monitoring import bp as monitoring_bp
    from eloan.web.notices import bp as notices_bp
    from eloan.web.registry import bp as registry_bp
    from eloan.web.reports import bp as reports_bp
    from eloan.web.targets import bp as targets_bp

    for bp in (
        auth_bp,
        home_bp,
        admin_bp,
        registry_bp,
        lists_bp,
        banks_bp,
        loans_bp,
        claims_bp,
        fund_bp,
        monitoring_bp,
        reports_bp,
        targets_bp,
        evaluations_bp,
        dashboard_bp,
        notices_bp,
    ):
        app.register_blueprint(bp)

    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["states"] = states  # the named status groups, e.g. states.CLAIMS_EDITABLE
    app.context_processor(inject_layout)
    app.before_request(_web_channel)
    app.before_request(_password_change_due)
    app.after_request(_security_headers)
    register_error_pages(app)
    proxies = app.config.get("ELOAN_PROXIES") or 0
    if proxies:  # the client's address (login throttle) and scheme as the proxy saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
