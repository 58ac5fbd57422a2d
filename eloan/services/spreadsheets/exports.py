"""Registry, list and sanctions as .xlsx, for people and for other departments (第十、十七条).

Each export reads through the service that guards its data (search_statement, get_batch,
list_sanctions), so the same role rules and the bank scoping apply as on the screens. Codes are
written as their Chinese labels, amounts as numbers (exact Decimals) with a two-decimal format.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from eloan import clock
from eloan.domain.policy import INDUSTRIES
from eloan.domain.registry import FIELD_LABELS, mu_label
from eloan.domain.sme import SIZE_LABELS
from eloan.domain.states import BATCH_STATES, BATCHES_PUBLISHED
from eloan.extensions import db
from eloan.models import Enterprise, ListEntry
from eloan.services import enterprises, lists, sanctions
from eloan.services.spreadsheets import layout
from eloan.services.spreadsheets.columns import ENTERPRISE_COLUMNS

# Attachment 1's columns (POLICY.md §12.1).
BATCH_HEADERS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所属行业",
    "企业规模",
    "亩产效益类别",
    "法定代表人",
    "联系电话",
    "推荐额度(万元)",
    "备注",
)
SANCTION_HEADERS = ("序号", "企业名称", "统一社会信用代码", "惩戒原因", "惩戒起始日期", "惩戒措施")
REGISTRY_HEADERS = tuple(FIELD_LABELS[f] for f in ENTERPRISE_COLUMNS) + ("是否被惩戒",)
_REGISTRY_WIDTHS = (22, 36, 16, 10, 10, 24, 12, 12, 18, 18, 12, 14, 12, 16, 40, 12)


def _yes_no(value: bool | None) -> str:
    return "是" if value else "否"


# ---- the registry (can be the whole registry: written row by row in write-only mode) ------------


def export_registry(actor, **filters) -> bytes:
    """The enterprises matching the registry search's filters, one row each, by name."""
    stmt = enterprises.search_statement(actor, **filters).order_by(Enterprise.name, Enterprise.id)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    layout.set_widths(sheet, _REGISTRY_WIDTHS)
    sheet.freeze_panes = "A2"
    sheet.append([layout.cell(sheet, h, header=True) for h in REGISTRY_HEADERS])
    for enterprise in db.session.scalars(stmt.execution_options(yield_per=1000)):
        sheet.append(layout.row(sheet, _registry_row(sheet, enterprise)))
    return layout.to_bytes(workbook)


def _registry_row(sheet, e: Enterprise) -> list:
    return [
        layout.cell(sheet, e.uscc, layout.TEXT),
        e.name,
        INDUSTRIES.get(e.industry, e.industry),
        SIZE_LABELS.get(e.size_class, "") if e.size_class else "",
        _yes_no(e.in_zone),
        e.special_approval_note,
        layout.cell(sheet, e.established_on, layout.DATE),
        e.employees,
        layout.cell(sheet, e.revenue, layout.MONEY),
        layout.cell(sheet, e.tax_sales, layout.MONEY),
        e.mu_class,
        e.mu_year,
        e.legal_rep,
        layout.cell(sheet, e.phone, layout.TEXT),
        e.address,
        _yes_no(e.sanctioned),
    ]


# ---- one batch of the recommended list (Attachment 1's columns) ---------------------------------


def _mu_text(enterprise) -> str:
    return mu_label(enterprise.mu_class, enterprise.mu_year)


def _batch_status(batch) -> str:
    parts = [f"批次编号：{batch.number}", f"状态：{BATCH_STATES.get(batch.status, batch.status)}"]
    if batch.status in BATCHES_PUBLISHED and batch.effective_from:
        parts.append(f"生效日期：{batch.effective_from.isoformat()}")
        if batch.effective_to:
            parts.append(f"失效日期：{batch.effective_to.isoformat()}")
    else:
        parts.append("尚未下发，不得作为贷款准入依据")
    return "　　".join(parts)


def _title(sheet, title: str, subtitle: str, width: int) -> None:
    sheet.append(layout.row(sheet, [title]))
    sheet.append(layout.row(sheet, [subtitle]))
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet["A1"].font, sheet["A1"].alignment = layout.TITLE_FONT, layout.CENTRE
    sheet.row_dimensions[1].height = 28


def _table_row(sheet, values, formats: dict[int, str]) -> None:
    sheet.append(layout.row(sheet, values))
    row = sheet.max_row
    for column in range(1, len(values) + 1):
        cell = sheet.cell(row=row, column=column)
        cell.border, cell.alignment = layout.BORDER, layout.WRAP
        if column in formats:
            cell.number_format = formats[column]


def export_batch(actor, batch_id: int) -> bytes:
    """One batch in Attachment 1's columns, titled with its number, status and dates.

    Through lists.get_batch: a bank user may export the batch in force and no other.
    """
    batch = lists.get_batch(actor, batch_id)
    entries = db.session.scalars(
        select(ListEntry)
        .options(joinedload(ListEntry.enterprise))
        .where(ListEntry.batch_id == batch.id)
        .order_by(ListEntry.position, ListEntry.id)
    ).all()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "推荐企业名单"
    _title(sheet, f"台儿庄区“园区E贷”推荐企业名单（{batch.number}）", _batch_status(batch), len(BATCH_HEADERS))
    sheet.append(layout.row(sheet, BATCH_HEADERS))
    layout.style_header(sheet, 3, len(BATCH_HEADERS))
    formats = {3: layout.TEXT, 8: layout.TEXT, 9: layout.WAN}
    total = Decimal("0.00")
    for number, entry in enumerate(entries, start=1):
        e = entry.enterprise
        # yuan → 万元 by moving the decimal point: exact, no rounding.
        wan = entry.recommended_amount.scaleb(-4)
        total += entry.recommended_amount
        _table_row(
            sheet,
            [
                number,
                e.name,
                e.uscc,
                INDUSTRIES.get(e.industry, e.industry),
                SIZE_LABELS.get(e.size_class, "") if e.size_class else "",
                _mu_text(e),
                e.legal_rep,
                e.phone,
                wan,
                entry.note,
            ],
            formats,
        )
    _table_row(
        sheet, ["合计", f"共 {len(entries)} 户", None, None, None, None, None, None, total.scaleb(-4), None], formats
    )
    layout.set_widths(sheet, (6, 36, 22, 16, 10, 14, 12, 16, 16, 24))
    sheet.freeze_panes = "A4"
    return layout.to_bytes(workbook)


# ---- sanctioned enterprises, for the other departments (第十七条) -------------------------------


def export_sanctions(actor) -> bytes:
    """Every enterprise under sanction now: name, code, reason, since when, and the measures."""
    found, page = [], 1
    while True:
        items, total = sanctions.list_sanctions(actor, page=page, per_page=500)
        found.extend(items)
        if not items or len(found) >= total:
            break
        page += 1
    today: date = clock.today()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "惩戒企业名单"
    _title(
        sheet,
        "台儿庄区“园区E贷”违约企业惩戒名单",
        f"截至 {today.isoformat()}，共 {len(found)} 户（《实施办法》第十四条第二款、第十七条）",
        len(SANCTION_HEADERS),
    )
    sheet.append(layout.row(sheet, SANCTION_HEADERS))
    layout.style_header(sheet, 3, len(SANCTION_HEADERS))
    for number, sanction in enumerate(found, start=1):
        e = sanction.enterprise
        _table_row(
            sheet,
            [number, e.name, e.uscc, sanction.reason, sanction.flagged_on, sanctions.MEASURES],
            {3: layout.TEXT, 5: layout.DATE},
        )
    layout.set_widths(sheet, (6, 36, 22, 40, 14, 40))
    sheet.freeze_panes = "A4"
    return layout.to_bytes(workbook)
