"""年度目标完成情况 (POLICY.md §15) as an Excel workbook.

The first sheet is the government's table in its own seven columns; the second gives each measured line's
target and actual figure as numbers (元, whole counts, ratios as percentages) for anyone who sums them.
The figures are services/targets.py's, so the sheet, the page, the JSON and the PDF agree.
"""

from __future__ import annotations

from openpyxl import Workbook

from eloan.domain.calendar import chinese_date
from eloan.domain.targets import AMOUNT, METRIC_CHOICES, METRICS, RATIO, TEXT
from eloan.services.spreadsheets import layout
from eloan.services.spreadsheets.exports import _table_row, _title
from eloan.services.targets import YearTargets

COLUMNS = ["序号", "年度奋斗目标", "年度工作目标", "责任单位", "完成情况", "存在问题", "下步打算"]
MEASURE_COLUMNS = ["序号", "计量指标", "目标值", "实际值", "是否达成"]
_ACHIEVED = {True: "已达成", False: "未达成", None: "—"}


def _format(metric: str) -> str:
    kind = METRICS[metric].kind
    return layout.MONEY if kind == AMOUNT else "0.00%" if kind == RATIO else layout.INTEGER


def targets_workbook(t: YearTargets) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "年度目标"
    _title(sheet, f"园区E贷 {t.year}年度目标完成情况", f"完成情况截至{chinese_date(t.as_of)}", len(COLUMNS))
    sheet.append(layout.row(sheet, COLUMNS))
    layout.style_header(sheet, 3, len(COLUMNS))
    for line in t.lines:
        item = line.item
        values = [
            item.position,
            item.goal_text,
            item.work_text,
            line.responsible_label,
            line.progress,
            item.problems,
            item.next_steps,
        ]
        _table_row(sheet, values, {1: layout.INTEGER})
    layout.set_widths(sheet, [6, 30, 30, 14, 40, 30, 30])
    sheet.freeze_panes = "A4"

    measures = workbook.create_sheet("计量数据")
    _title(measures, f"园区E贷 {t.year}年度目标：计量指标", f"截至{chinese_date(t.as_of)}", len(MEASURE_COLUMNS))
    measures.append(layout.row(measures, MEASURE_COLUMNS))
    layout.style_header(measures, 3, len(MEASURE_COLUMNS))
    for line in t.lines:
        metric = line.item.metric
        if metric == TEXT:
            continue
        fmt = _format(metric)
        target = line.item.target if METRICS[metric].kind != "count" else int(line.item.target)
        _table_row(
            measures,
            [line.item.position, METRIC_CHOICES[metric], target, line.actual, _ACHIEVED[line.achieved]],
            {1: layout.INTEGER, 3: fmt, 4: fmt},
        )
    layout.set_widths(measures, [6, 34, 18, 18, 10])
    return layout.to_bytes(workbook)
