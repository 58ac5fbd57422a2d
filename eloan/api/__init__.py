"""/api/v1: bearer tokens, problem+json errors, idempotency keys, pagination (API.md)."""

from __future__ import annotations

import logging

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

# Modules whose import registers their endpoints on `bp`.
from eloan.api import (
    admin,
    banks,
    claims,
    dashboard,
    enterprises,
    evaluations,
    fund,
    lists,
    loans,
    monitoring,
    openapi,
    reference,
    reports,
    spreadsheets,
    targets,
)
from eloan.api.problems import error, problem
from eloan.api.registry import bp
from eloan.extensions import csrf
from eloan.services.context import set_channel
from eloan.services.users import user_for_token


@bp.before_request
def authenticate():
    set_channel("api")
    g.api_user = None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        g.api_user = user_for_token(token.strip())


# Errors Flask raises before a route runs (no such path, wrong method, body too large or unreadable), with
# the same kind of snake_case code and Chinese message as every other answer of the API.
HTTP_ERRORS = {
    400: ("bad_request", "请求格式有误，无法处理；请对照 /api/v1/openapi.json 检查请求。"),
    404: ("not_found", "没有这个接口地址，或对象不存在；请对照 /api/v1/openapi.json 检查路径。"),
    405: ("method_not_allowed", "此接口地址不支持该 HTTP 方法；请对照 /api/v1/openapi.json。"),
    413: ("payload_too_large", "请求内容过大：整个请求不能超过 25 MB，单个文件不超过 20 MB。"),
}


def _http_error(exc: HTTPException):
    if not request.path.startswith(bp.url_prefix):
        return exc
    status = exc.code or 500
    code, message = HTTP_ERRORS.get(status, (str(status), exc.description or exc.name))
    allow = {name: value for name, value in exc.get_headers() if name == "Allow"}  # 405 names the methods
    return problem(status, [error(code, message)], headers=allow)


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
