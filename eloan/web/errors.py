"""Error pages in Chinese for people; /api/ paths are left to the API's own handlers."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from eloan.domain.errors import FileMissing, Forbidden, NotFound, RuleViolation, StateConflict
from eloan.extensions import db
from eloan.web.formkit import violation_text

log = logging.getLogger(__name__)

PAGES = {
    400: ("请求无效", "提交的内容无法处理，或页面已过期。请返回上一页，刷新后重新填写提交。"),
    403: ("无权访问", "您的账户没有访问此页面或执行此操作的权限。如需开通，请联系系统管理员。"),
    404: ("页面不存在", "您要找的页面或记录不存在，可能已被删除，或链接有误。"),
    405: ("操作方式不正确", "此页面不支持这种操作方式，请从系统菜单进入。"),
    409: ("操作未能完成", "当前状态不允许此操作。"),
    410: ("文件已不存在", "您要下载的文件在服务器上已找不到。"),
    413: ("文件过大", "上传的文件超过了允许的大小。"),
    422: ("操作未能完成", "提交的内容不符合规定。"),
    500: ("系统出现错误", "系统处理请求时出现错误，已记录在案。请稍后重试；如问题持续，请联系系统管理员。"),
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def error_page(status: int, details: list[str] | None = None):
    title, text = PAGES.get(status, PAGES[500])
    return render_template("errors/error.html", status=status, title=title, text=text, details=details or []), status


def _api_answer(exc: HTTPException):
    """Hand an /api/ error to the handler the API registered for HTTPException (problem+json).

    Flask looks for a handler by status code before one by class, so these pages would otherwise
    shadow the API's own answer for an /api/ path no route matched.
    """
    handler = current_app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)
    return handler(exc) if handler is not None else exc


def _http_error(exc: HTTPException):
    if is_api_request():
        return _api_answer(exc)
    status = exc.code or 500
    if status >= 500:
        log.error("unhandled error on %s", request.path, exc_info=getattr(exc, "original_exception", None))
        db.session.rollback()  # a failed transaction must not stop the error page from loading the user
    return error_page(status if status in PAGES else 500)


def register_error_pages(app) -> None:
    for status in PAGES:
        app.register_error_handler(status, _http_error)


def attach_domain_handlers(bp: Blueprint) -> None:
    """A domain error a view did not catch becomes a page, on this blueprint's routes only."""

    @bp.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden):
        return error_page(403, [exc.message])

    @bp.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        if isinstance(exc, FileMissing):  # the record is there and may be seen; its content is gone
            return error_page(410, [exc.message])
        return error_page(404)

    @bp.errorhandler(RuleViolation)
    def _violation(exc: RuleViolation):
        return error_page(422, [violation_text(v) for v in exc.violations])

    @bp.errorhandler(StateConflict)
    def _conflict(exc: StateConflict):
        return error_page(409, [exc.message])
