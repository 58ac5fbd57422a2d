"""业务情况统计表 (附件4; POLICY.md §12.4) as an Excel workbook: numbers as numbers, in 元.

Three sheets — by bank, by industry, by 亩产效益 class — each titled with the period, its header row
frozen and a 合计 row at the foot. The report is computed by services/statistics.py; this only lays
it out, so the sheet carries the very figures of the page, the JSON and the PDF.
"""

from __future__ import annotations

from openpyxl import Workbook

from eloan.domain.calendar import chinese_date
from eloan.services.spreadsheets import layout
from eloan.services.spreadsheets.exports import _table_row, _title
from eloan.services.statistics import Report, Row

RATIO = "0.00%"
FIGURE_HEADERS = [
    "新增贷款笔数",
    "新增贷款金额（元）",
    "服务企业（户）",
    "贷款余额（元）",
    "逾期余额（元）",
    "逾期率",
    "不良余额（元）",
    "不良率",
    "补偿申请笔数",
    "申请补偿金额（元）",
    "已拨付（元）",
    "追偿金额（元）",
    "返还专户（元）",
]
_FIGURE_FORMATS = [
    layout.INTEGER,
    layout.MONEY,
    layout.INTEGER,
    layout.MONEY,
    layout.MONEY,
    RATIO,
    layout.MONEY,
    RATIO,
    layout.INTEGER,
    layout.MONEY,
    layout.MONEY,
    layout.MONEY,
    layout.MONEY,
]


def figure_values(row: Row) -> list:
    f = row.figures
    return [
        f.loans_made_count,
        f.loans_made_amount,
        f.enterprises_served,
        f.outstanding,
        f.overdue_balance,
        f.overdue_ratio,
        f.npl_balance,
        f.npl_ratio,
        f.claims_count,
        f.claims_amount,
        f.paid,
        f.recovered,
        f.returned,
    ]


def _sheet(sheet, report: Report, heading: str, lead: list[str], rows: list[tuple[list, Row]], total: list) -> None:
    headers = lead + FIGURE_HEADERS
    subtitle = (
        f"统计期间：{chinese_date(report.start)}至{chinese_date(report.end)}　　"
        f"余额、比率为{chinese_date(report.end)}日终数　　单位：元"
    )
    _title(sheet, f"台儿庄区“园区E贷”业务情况统计表（{heading}）", subtitle, len(headers))
    sheet.append(layout.row(sheet, headers))
    layout.style_header(sheet, 3, len(headers))
    formats = {len(lead) + i: fmt for i, fmt in enumerate(_FIGURE_FORMATS, start=1)}
    for keys, row in rows:
        _table_row(sheet, keys + figure_values(row), formats)
    _table_row(sheet, total + figure_values(report.total), formats)
    sheet.freeze_panes = sheet.cell(row=4, column=len(lead) + 1).coordinate  # header and names stay in view


def statistics_workbook(report: Report) -> bytes:
    workbook = Workbook()
    banks = workbook.active
    banks.title = "按银行"
    _sheet(
        banks,
        report,
        "按合作银行",
        ["银行代码", "合作银行", "合作状态"],
        [([r.key, r.label, r.status_label], r) for r in report.rows],
        ["合计", None, None],
    )
    layout.set_widths(banks, [10, 28, 10] + [14] * len(FIGURE_HEADERS))
    industry = workbook.create_sheet("按行业")
    _sheet(industry, report, "按行业", ["所属行业"], [([r.label], r) for r in report.by_industry], ["合计"])
    layout.set_widths(industry, [18] + [14] * len(FIGURE_HEADERS))
    mu = workbook.create_sheet("按亩产效益类别")
    _sheet(mu, report, "按亩产效益类别", ["亩产效益类别"], [([r.label], r) for r in report.by_mu_class], ["合计"])
    layout.set_widths(mu, [14] + [14] * len(FIGURE_HEADERS))
    return layout.to_bytes(workbook)
