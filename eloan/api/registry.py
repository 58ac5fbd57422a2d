"""API endpoints declared once: the decorator registers the route, checks auth and roles, validates
the query and body with pydantic, and keeps the description that /openapi.json is built from.
There is no hand-kept copy of the spec."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable

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


def validation_problem(exc: ValidationError, where: str):
    errors = []
    for item in exc.errors():
        name = ".".join(str(p) for p in item["loc"]) or where
        errors.append(error("invalid_field", f"字段 {name} 无效：{item['msg']}", name))
    return problem(400, errors)


def endpoint(rule: str, method: str = "GET", *, summary: str, tag: str, roles: tuple[str, ...] | None = None,
             query: type[BaseModel] | None = None, body: type[BaseModel] | None = None,
             response: type[BaseModel] | None = None, status: int = 200,
             errors: tuple[int, ...] = (), auth: bool = True, content_type: str = "application/json"):
    """Declare an API operation. The view receives `query=` and/or `body=` parsed models."""

    def decorate(fn: Callable[..., Any]):
        ENDPOINTS.append(Endpoint(rule, method, summary, roles, query, body, response, status,
                                  errors, tag, auth, content_type))

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
                    return problem(401, [error("unauthenticated", "缺少或无效的访问令牌（Authorization: Bearer …）。")],
                                   headers={"WWW-Authenticate": 'Bearer realm="eloan"'})
                if roles and not user.has_role(*roles):
                    return problem(403, [error("forbidden", "您的角色无权调用此接口。")])
            if query is not None:
                try:
                    kwargs["query"] = query.model_validate(request.args.to_dict())
                except ValidationError as exc:
                    return validation_problem(exc, "query")
            if body is not None:
                payload = request.get_json(silent=True)
                if payload is None:
                    return problem(400, [error("malformed_json", "请求体必须是 JSON 对象。")])
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
