"""/api/v1: bearer tokens, problem+json errors, idempotency keys, pagination (API.md)."""
from __future__ import annotations

import logging

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from eloan.api.problems import error, problem
from eloan.api.registry import bp
from eloan.extensions import csrf
from eloan.services.context import set_channel
from eloan.services.users import user_for_token

# Modules whose import registers their endpoints on `bp`.
from eloan.api import (admin, banks, claims, enterprises, fund, lists, loans, monitoring, openapi,  # noqa: E402,F401
                       reference, spreadsheets)


@bp.before_request
def authenticate():
    set_channel("api")
    g.api_user = None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        g.api_user = user_for_token(token.strip())


def _http_error(exc: HTTPException):
    if not request.path.startswith(bp.url_prefix):
        return exc
    return problem(exc.code or 500, [error(str(exc.code), exc.description or exc.name)])


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    from eloan.extensions import db

    db.session.rollback()
    logging.getLogger("eloan.api").exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, [error("internal_error", "服务器内部错误，已记录日志；请稍后重试或联系管理员。")])


def register_api(app: Flask) -> None:
    csrf.exempt(bp)  # the API authenticates with bearer tokens, not cookies
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _http_error)
