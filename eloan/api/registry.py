"""API endpoints declared once: the decorator registers the route, checks auth and roles, validates
the query and body with pydantic, and keeps the description that /openapi.json is built from.
There is no hand-kept copy of the spec."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, g, request
from pydantic import BaseModel, ValidationError

from eloan.api.idempotency import idempotent
from eloan.api.problems import error, from_domain, problem
from eloan.domain.errors import DomainError
from eloan.extensions import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass
class Endpoint:
    rule: str
    method: str
    summary: str
    roles: tuple[str, ...] | None
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    tag: str
    auth: bool = True
    content_type: str = "application/json"
    extra: dict = field(default_factory=dict)


ENDPOINTS: list[Endpoint] = []


# pydantic's error types in plain Chinese: what is wrong and, where it helps, how to fix it.
_REASONS = {
    "missing": "缺少此字段",
    "extra_forbidden": "不是本接口的字段，请删除",
    "string_too_long": "不超过 {max_length} 个字符",
    "string_too_short": "不能为空",
    "string_type": "须为字符串",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "literal_error": "须为以下之一：{expected}",
    "date_type": "须为 YYYY-MM-DD 格式的日期",
    "date_parsing": "须为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_parsing": "须为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_inexact": "须为 YYYY-MM-DD 格式的日期",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "list_type": "须为数组",
    "model_type": "须为 JSON 对象",
    "dict_type": "须为 JSON 对象",
}


def _reason(item: dict) -> str:
    if item["type"] == "value_error":
        return item["msg"].removeprefix("Value error, ")
    if item["type"] == "too_long":  # a constrained str or list after a validator
        unit = "个字符" if isinstance(item.get("input"), str) else "项"
        return f"不超过 {item['ctx']['max_length']} {unit}"
    template = _REASONS.get(item["type"])
    return template.format(**item.get("ctx", {})) if template else item["msg"]


def validation_problem(exc: ValidationError, where: str):
    errors = []
    for item in exc.errors():
        name = ".".join(str(p) for p in item["loc"]) or where
        errors.append(error("invalid_field", f"字段 {name} 无效：{_reason(item)}。", name))
    return problem(400, errors)


def json_body():
    """The request's JSON body as (payload, None), or (None, a 400 problem) when it is not JSON at all
    or nested deeper than the parser goes (no body of this API is more than a few levels deep)."""
    try:
        payload = request.get_json(silent=True)
    except RecursionError:
        payload = None
    if payload is None:
        return None, problem(
            400, [error("malformed_json", "请求体必须是 JSON 对象（Content-Type: application/json）。")]
        )
    return payload, None


def endpoint(
    rule: str,
    method: str = "GET",
    *,
    summary: str,
    tag: str,
    roles: tuple[str, ...] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    auth: bool = True,
    content_type: str = "application/json",
):
    """Declare an API operation. The view receives `query=` and/or `body=` parsed models."""

    def decorate(fn: Callable[..., Any]):
        ENDPOINTS.append(
            Endpoint(rule, method, summary, roles, query, body, response, status, errors, tag, auth, content_type)
        )

        @wraps(fn)
        def view(**kwargs):
            key = request.headers.get("Idempotency-Key")
            if auth and key is not None and method in ("POST", "PATCH") and g.get("api_user") is not None:
                return idempotent(g.api_user, key, lambda: _answer(kwargs))
            return _answer(kwargs)

        def _answer(kwargs):
            if auth:
                user = g.get("api_user")
                if user is None:
                    return problem(
                        401,
                        [error("unauthenticated", "缺少或无效的访问令牌（Authorization: Bearer …）。")],
                        headers={"WWW-Authenticate": 'Bearer realm="eloan"'},
                    )
                if roles and not user.has_role(*roles):
                    return problem(403, [error("forbidden", "您的角色无权调用此接口。")])
            if query is not None:
                try:
                    kwargs["query"] = query.model_validate(request.args.to_dict())
                except ValidationError as exc:
                    return validation_problem(exc, "query")
            if body is not None:
                payload, refused = json_body()
                if refused is not None:
                    return refused
                try:
                    kwargs["body"] = body.model_validate(payload)
                except ValidationError as exc:
                    return validation_problem(exc, "body")
            try:
                return current_app.make_response(fn(**kwargs))
            except DomainError as exc:
                db.session.rollback()  # a refused request changes nothing
                return from_domain(exc)

        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        return view

    return decorate
