"""The annual evaluation report as Excel (第二十条; POLICY.md §11): one sheet of the banks ranked, one of the
adjustments by hand and confirmations. Numbers are numbers (amounts, ratios, scores), so the sheet adds up."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from eloan.domain.evaluation import AREAS, OUTCOMES
from eloan.domain.roles import ROLES
from eloan.services.spreadsheets import layout

STATUS = {"draft": "草稿（待确认）", "confirmed": "已确认（待决定）", "decided": "已决定"}
HEADERS = [
    "排名",
    "银行代码",
    "合作银行",
    "年度发放额（元）",
    "年末在贷余额（元）",
    "年末不良率",
    "年末逾期率",
    "平均利差（百分点）",
    "代偿申请笔数",
    "按期申请占比",
    "未被退回占比",
    *[f"{a}得分" for a in AREAS.values()],
    "总分",
    "建议",
    "决定",
    "决定理由",
    "协议终止日",
]
PERCENT = "0.00%"
SCORE = "0.00"


def _num(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _row_values(r) -> list:
    ind = r.indicators
    return [
        r.rank,
        r.bank.code,
        r.bank.name,
        _num(ind["drawn"]),
        _num(ind["outstanding"]),
        _num(ind["npl_ratio"]),
        _num(ind["overdue_ratio"]),
        _num(ind["mean_margin_percent"]),
        ind["claims"],
        _num(ind["on_time_share"]),
        _num(ind["never_returned_share"]),
        *[Decimal(r.scores[a]) for a in AREAS],
        r.total,
        OUTCOMES[r.suggested],
        OUTCOMES[r.decision] if r.decision else None,
        r.decision_reason,
        r.agreement_end,
    ]


def evaluation_workbook(ev) -> bytes:
    formats = {4: layout.MONEY, 5: layout.MONEY, 6: PERCENT, 7: PERCENT, 8: "0.0000", 10: PERCENT, 11: PERCENT}
    formats.update(dict.fromkeys(range(12, 17), SCORE))
    formats[20] = layout.DATE
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ev.year}年度评价"
    sheet.append(layout.row(sheet, [f"台儿庄区“园区E贷”{ev.year}年度合作银行绩效评价（第二十条）"]))
    sheet.append(layout.row(sheet, [f"状态：{STATUS[ev.status]}　　政策版本：{ev.policy_code}"]))
    for number in (1, 2):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(HEADERS))
    sheet["A1"].font, sheet["A1"].alignment = layout.TITLE_FONT, layout.CENTRE
    sheet.append(layout.row(sheet, HEADERS))
    layout.style_header(sheet, 3, len(HEADERS))
    for r in sorted(ev.rows, key=lambda r: (r.rank, r.bank.code)):
        sheet.append(layout.row(sheet, _row_values(r)))
        for column, fmt in formats.items():
            sheet.cell(row=sheet.max_row, column=column).number_format = fmt
    layout.set_widths(sheet, (6, 10, 28, 16, 16, 10, 10, 12, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 24, 12))
    sheet.freeze_panes = "D4"

    notes = workbook.create_sheet("调整与确认")
    notes.append(layout.row(notes, ["手工调整", None, None, None, None]))
    notes.append(layout.row(notes, ["合作银行", "项目", "计算得分", "调整后得分", "理由"]))
    layout.style_header(notes, 2, 5)
    for r in sorted(ev.rows, key=lambda r: r.bank.code):
        for area, a in (r.adjustments or {}).items():
            notes.append(
                layout.row(
                    notes, [r.bank.name, AREAS[area], Decimal(r.computed[area]), Decimal(a["score"]), a["reason"]]
                )
            )
    notes.append(layout.row(notes, []))
    notes.append(layout.row(notes, ["确认意见"]))
    notes.append(layout.row(notes, ["单位", "确认人", "意见"]))
    layout.style_header(notes, notes.max_row, 3)
    for c in ev.confirmations:
        notes.append(layout.row(notes, [ROLES[c.role], c.user.display_name or c.user.username, c.comment or "同意"]))
    layout.set_widths(notes, (28, 12, 12, 12, 50))
    return layout.to_bytes(workbook)
