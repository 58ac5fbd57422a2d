"""Excel by API, as on the pages: templates, the two-step imports and the exports."""

from __future__ import annotations

from flask import g, request
from pydantic import BaseModel

from eloan.api.downloads import XLSX, xlsx
from eloan.api.enterprises import EnterpriseQuery
from eloan.api.problems import error, problem
from eloan.api.registry import endpoint
from eloan.domain.roles import who_may
from eloan.services import spreadsheets


class RowErrorOut(BaseModel):
    row: int
    uscc: str
    errors: list[dict]


class ImportPreviewOut(BaseModel):
    token: str
    filename: str
    kind: str
    rows: int
    good: int
    bad: int
    row_errors: list[RowErrorOut]


class ImportResultOut(BaseModel):
    token: str
    kind: str
    rows: int
    enterprises: int
    ratings_created: int
    ratings_updated: int


def _preview_out(preview) -> dict:
    return ImportPreviewOut(
        token=preview.token,
        filename=preview.filename,
        kind=preview.kind,
        rows=preview.rows,
        good=preview.good,
        bad=preview.bad,
        row_errors=[
            RowErrorOut(
                row=e.row, uscc=e.uscc, errors=[error(v.code, v.message, v.field, v.article) for v in e.violations]
            )
            for e in preview.errors
        ],
    ).model_dump(mode="json")


def _uploaded():
    upload = request.files.get("file")
    if upload is None:
        return None, problem(
            400, [error("file_required", "请以 multipart/form-data 的 file 字段上传 .xlsx 文件。", "file")]
        )
    return upload, None


@endpoint(
    "/enterprises/template.xlsx",
    summary="企业导入模板",
    tag="spreadsheets",
    roles=who_may("enterprises.read"),
    content_type=XLSX,
)
def enterprise_template():
    return xlsx(spreadsheets.enterprise_template(), "enterprise-template.xlsx")


@endpoint(
    "/enterprises/export.xlsx",
    summary="导出企业库（与列表相同的筛选条件）",
    tag="spreadsheets",
    roles=who_may("enterprises.read"),
    query=EnterpriseQuery,
    content_type=XLSX,
)
def export_registry(query: EnterpriseQuery):
    return xlsx(
        spreadsheets.export_registry(g.api_user, **query.model_dump(exclude={"page", "per_page"})), "enterprises.xlsx"
    )


@endpoint(
    "/enterprises/imports",
    "POST",
    summary="上传企业 .xlsx 并预检（multipart 的 file 字段）；不导入任何数据",
    tag="spreadsheets",
    roles=who_may("enterprises.write"),
    response=ImportPreviewOut,
    errors=(422,),
)
def preview_import():
    upload, refused = _uploaded()
    if refused:
        return refused
    return _preview_out(spreadsheets.preview_enterprise_import(g.api_user, upload.read(), upload.filename or ""))


@endpoint(
    "/enterprises/imports/<token>/commit",
    "POST",
    summary="确认导入预检无误的文件：全部导入，或一条也不导入",
    tag="spreadsheets",
    roles=who_may("enterprises.write"),
    response=ImportResultOut,
    errors=(404, 422),
)
def commit_import(token: str):
    result = spreadsheets.commit_enterprise_import(g.api_user, token)
    return ImportResultOut(
        token=result.token,
        kind=result.kind,
        rows=result.rows,
        enterprises=result.enterprises,
        ratings_created=result.ratings_created,
        ratings_updated=result.ratings_updated,
    ).model_dump(mode="json")


@endpoint(
    "/list-batches/<int:batch_id>/entries.xlsx",
    summary="导出一个批次的名单",
    tag="spreadsheets",
    roles=who_may("lists.read_current"),
    errors=(404,),
    content_type=XLSX,
)
def export_batch(batch_id: int):
    return xlsx(spreadsheets.export_batch(g.api_user, batch_id), f"list-batch-{batch_id}.xlsx")


@endpoint(
    "/sanctions/export.xlsx",
    summary="导出受惩戒企业名单（供其他部门执行惩戒措施）",
    tag="spreadsheets",
    roles=who_may("sanctions.read"),
    content_type=XLSX,
)
def export_sanctions():
    return xlsx(spreadsheets.export_sanctions(g.api_user), "sanctions.xlsx")
