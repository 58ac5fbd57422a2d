"""/openapi.json, built from the registered endpoints and their pydantic models."""
from __future__ import annotations

import re

from pydantic import BaseModel, TypeAdapter

from eloan.api.registry import ENDPOINTS, endpoint

REF = "#/components/schemas/{model}"
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "field": {"type": ["string", "null"]}, "article": {"type": ["string", "null"]}}}},
    },
    "required": ["type", "title", "status", "errors"],
}


def _schema(model, components: dict, mode: str) -> dict:
    """A component reference for a pydantic model; an inline schema for other types (e.g. list[Model])."""
    schema = TypeAdapter(model).json_schema(ref_template=REF, mode=mode)
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return schema
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", model.__name__)
    components[name] = schema
    return {"$ref": REF.format(model=name)}


def _parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop,
             "description": prop.get("description", "")} for name, prop in schema["properties"].items()]


def build_document() -> dict:
    components: dict = {"Problem": PROBLEM_SCHEMA}
    paths: dict = {}
    for ep in ENDPOINTS:
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", ep.rule)
        op: dict = {"summary": ep.summary, "tags": [ep.tag], "operationId": f"{ep.method.lower()}_{path}"}
        params = _parameters(ep.query) if ep.query else []
        params += [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                   for n in re.findall(r"{([a-z_]+)}", path)]
        if ep.method in ("POST", "PATCH"):
            params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "schema": {"type": "string", "maxLength": 200}})
        if params:
            op["parameters"] = params
        if ep.body:
            op["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": _schema(ep.body, components, "validation")}}}
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
        "info": {"title": "eloan 园区E贷 API", "version": "1",
                 "description": "园区E贷风险补偿系统接口。金额为两位小数的字符串，比率为四位小数的字符串，日期为 YYYY-MM-DD。"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@endpoint("/openapi.json", summary="本接口的 OpenAPI 描述", tag="reference", auth=False)
def openapi_json():
    return build_document()
