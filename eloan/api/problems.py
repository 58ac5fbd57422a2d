"""application/problem+json answers (RFC 9457) with the stable codes of API.md."""

from __future__ import annotations

from flask import Response, json

from eloan.domain.errors import FileMissing, Forbidden, NotFound, RuleViolation, StateConflict, StorageFull

PROBLEM_TYPE = "https://eloan.invalid/problems/"
TITLES = {
    400: "请求格式有误（bad request）",
    401: "未认证（unauthorized）",
    403: "无权访问（forbidden）",
    404: "未找到（not found）",
    405: "方法不允许（method not allowed）",
    409: "状态冲突（conflict）",
    410: "已不存在（gone）",
    413: "内容过大（payload too large）",
    422: "不符合规则（unprocessable）",
    500: "服务器内部错误（internal error）",
    507: "存储空间不足（insufficient storage）",
}


def problem(
    status: int, errors: list[dict] | None = None, detail: str | None = None, headers: dict | None = None
) -> Response:
    errors = errors or []
    code = errors[0]["code"] if errors else str(status)
    body = {
        "type": PROBLEM_TYPE + code,
        "title": TITLES.get(status, "error"),
        "status": status,
        "detail": detail or ("；".join(e["message"] for e in errors) if errors else TITLES.get(status, "")),
        "errors": errors,
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error(code: str, message: str, field: str | None = None, article: str | None = None) -> dict:
    return {"code": code, "message": message, "field": field, "article": article}


def from_domain(exc: Exception) -> Response:
    """The one translation of domain errors into HTTP statuses."""
    if isinstance(exc, StorageFull):
        return problem(507, [error(v.code, v.message, v.field, v.article) for v in exc.violations])
    if isinstance(exc, FileMissing):
        return problem(410, [error(exc.code, exc.message)])
    if isinstance(exc, RuleViolation):
        return problem(422, [error(v.code, v.message, v.field, v.article) for v in exc.violations])
    if isinstance(exc, StateConflict):
        return problem(409, [error(exc.code, exc.message)])
    if isinstance(exc, NotFound):
        return problem(404, [error("not_found", "未找到该对象，或您无权查看。")])
    if isinstance(exc, Forbidden):
        return problem(403, [error(exc.code, exc.message)])
    raise exc
