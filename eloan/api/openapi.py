"""/openapi.json, built from the registered endpoints and their pydantic models."""

from __future__ import annotations

import re

from pydantic import BaseModel, TypeAdapter

from eloan.api.fields import TEXT_PATTERN, USCC_PATTERN, column_length
from eloan.api.registry import ENDPOINTS, endpoint
from eloan.domain.limits import MAX_ID
from eloan.models import Bank

REF = "#/components/schemas/{model}"
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "article": {"type": ["string", "null"]},
                },
            },
        },
    },
    "required": ["type", "title", "status", "errors"],
}


def _schema(model, components: dict, mode: str) -> dict:
    """A component reference for a pydantic model; an inline schema for other types (e.g. list[Model])."""
    schema = TypeAdapter(model).json_schema(ref_template=REF, mode=mode)
    for name, definition in schema.pop("$defs", {}).items():
        _add(components, name, definition)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return schema
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", model.__name__)
    _add(components, name, schema)
    return {"$ref": REF.format(model=name)}


def _add(components: dict, name: str, definition: dict) -> None:
    """Two models of one name would describe one with the other's fields: refuse to build such a document."""
    if components.setdefault(name, definition) != definition:
        raise ValueError(f"two different API models are both named {name}; rename one")


# Path parameters as the routes match them: an <int:…> id only up to what its column holds (eloan.converters:
# a larger one is 404 like any missing id); the named strings as the objects they name are stored.
INT_PATH = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
STRING_PATHS = {
    "code": {"type": "string", "minLength": 1, "maxLength": column_length(Bank.code), "pattern": TEXT_PATTERN},
    "uscc": {"type": "string", "pattern": USCC_PATTERN},
    "token": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "预检返回的 token"},
}


def _path_parameters(rule: str) -> list[dict]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": INT_PATH if converter == "int" else STRING_PATHS.get(name, {"type": "string"}),
        }
        for converter, name in re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", rule)
    ]


def _query_schema(prop: dict) -> dict:
    """A query value is never JSON null: an optional parameter is simply left out, so drop the null branch."""
    branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) != 1:
        return prop
    rest = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    return {**branches[0], **rest} | ({"default": prop["default"]} if prop.get("default") is not None else {})


def _parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _query_schema(prop),
            "description": prop.get("description", ""),
        }
        for name, prop in schema["properties"].items()
    ]


def build_document() -> dict:
    components: dict = {"Problem": PROBLEM_SCHEMA}
    paths: dict = {}
    for ep in ENDPOINTS:
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", ep.rule)
        op: dict = {"summary": ep.summary, "tags": [ep.tag], "operationId": f"{ep.method.lower()}_{path}"}
        params = _parameters(ep.query) if ep.query else []
        params += _path_parameters(ep.rule)
        if ep.method in ("POST", "PATCH"):
            params.append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                }
            )
        if params:
            op["parameters"] = params
        if ep.body:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema(ep.body, components, "validation")}},
            }
        ok: dict = {"description": "OK"}
        if ep.response:
            ok["content"] = {ep.content_type: {"schema": _schema(ep.response, components, "serialization")}}
        elif ep.content_type != "application/json":
            ok["content"] = {ep.content_type: {"schema": {"type": "string", "format": "binary"}}}
        responses = {str(ep.status): ok}
        problem_ref = {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}
        codes = set(ep.errors) | ({400} if (ep.query or ep.body) else set())
        if ep.auth:
            codes |= {401} | ({403} if ep.roles else set())
        for code in sorted(codes):
            responses[str(code)] = {"description": "problem+json", "content": problem_ref}
        op["responses"] = responses
        if ep.auth:
            op["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[ep.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eloan 园区E贷 API",
            "version": "1",
            "description": "园区E贷风险补偿系统接口。金额为两位小数的字符串，比率为四位小数的字符串，日期为 YYYY-MM-DD。",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@endpoint("/openapi.json", summary="本接口的 OpenAPI 描述", tag="reference", auth=False)
def openapi_json():
    return build_document()
