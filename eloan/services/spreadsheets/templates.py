"""The blank sheets the development zone fills in: the registry and the 亩产效益 classes.

Headers are the registry's own labels (domain.registry.FIELD_LABELS), so what the template says and
what the import reads cannot drift apart. The size-class explanation is written from the SME
standard's table itself (domain.sme).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from eloan import clock
from eloan.domain.eligibility import ALLOWED_GUARANTEES
from eloan.domain.errors import NoPolicyInForce
from eloan.domain.policy import INDUSTRIES
from eloan.domain.registry import MU_CLASSES
from eloan.domain.sme import INDUSTRY_2011, SIZE_LABELS
from eloan.services.reference import policy_on
from eloan.services.spreadsheets import layout
from eloan.services.spreadsheets.columns import (
    ENTERPRISE_COLUMNS,
    ENTERPRISE_LABELS,
    ENTERPRISE_REQUIRED,
    EXAMPLE_USCC,
    LOAN_COLUMNS,
    LOAN_REQUIRED,
    LOAN_SHEET_LABELS,
    MU_COLUMNS,
    MU_LABELS,
    MU_REQUIRED,
)
from eloan.services.spreadsheets.reading import MAX_ROWS

# Validation and formats reach as far as an import may go.
_LAST_ROW = MAX_ROWS + 1
_WAN = Decimal(10000)

_ENTERPRISE_EXAMPLE = {
    "uscc": EXAMPLE_USCC,
    "name": "示例：台儿庄区某某新材料科技有限公司",
    "industry": INDUSTRIES["new_materials"],
    "size_class": None,
    "in_zone": "是",
    "special_approval_note": None,
    "established_on": date(2018, 5, 20),
    "employees": 85,
    "revenue": Decimal("36800000.00"),
    "tax_sales": Decimal("35200000.00"),
    "mu_class": "B",
    "mu_year": 2024,
    "legal_rep": "张三",
    "phone": "13806320000",
    "address": "山东省枣庄市台儿庄区经济开发区兴业路1号",
}
_FORMATS = {
    "uscc": layout.TEXT,
    "phone": layout.TEXT,
    "established_on": layout.DATE,
    "employees": layout.INTEGER,
    "revenue": layout.MONEY,
    "tax_sales": layout.MONEY,
    "mu_year": layout.INTEGER,
}
_WIDTHS = {
    "uscc": 22,
    "name": 36,
    "industry": 16,
    "size_class": 10,
    "in_zone": 10,
    "special_approval_note": 24,
    "established_on": 12,
    "employees": 12,
    "revenue": 18,
    "tax_sales": 18,
    "mu_class": 12,
    "mu_year": 14,
    "legal_rep": 12,
    "phone": 16,
    "address": 40,
}


def _size_rule() -> str:
    bands = "；".join(
        f"从业人员 {band.min_employees} 人及以上且营业收入 {(band.min_revenue / _WAN).normalize():f} 万元及以上为"
        f"{SIZE_LABELS[band.code]}"
        for band in INDUSTRY_2011.bands
    )
    return (
        f"可填 {'、'.join(SIZE_LABELS.values())}，或留空：留空时按《中小企业划型标准规定》（工信部联企业〔2011〕300号）"
        f"工业标准，由“从业人员”和“营业收入”自动计算——{bands}；其余为{SIZE_LABELS[INDUSTRY_2011.fallback]}。"
        "大型企业不属于“园区E贷”支持对象（第三条）。"
    )


def _enterprise_rules() -> dict[str, str]:
    return {
        "uscc": "18 位，按 GB 32100-2015 校验第 18 位校验码。本列已设为文本格式，请勿改为数字格式（否则 Excel 会丢失后几位）。"
        "同一文件内不能重复；已登记的企业不能再次导入，如需修改请在系统中编辑。",
        "name": "营业执照上的全称，不超过 200 个字。",
        "industry": f"从下拉列表选择：{'、'.join(INDUSTRIES.values())}。",
        "size_class": _size_rule(),
        "in_zone": "填“是”或“否”，留空视为“是”。开发区外的企业须有“特别优质”认定意见方可列入推荐名单。",
        "special_approval_note": "开发区外企业经认定为特别优质的，填写认定意见或文号；区内企业留空。",
        "established_on": "日期，格式 YYYY-MM-DD，如 2018-05-20；也可使用 Excel 日期格式的单元格。",
        "employees": "上年末从业人员数，不小于零的整数。",
        "revenue": "上年营业收入，单位为元（不是万元），不小于零，最多两位小数。",
        "tax_sales": "上年纳税申报的销售收入，单位为元，不小于零，最多两位小数。",
        "mu_class": f"从下拉列表选择 {'、'.join(MU_CLASSES)}；填写时须同时填写评价年度。D 类企业不能列入推荐名单。",
        "mu_year": "亩产效益评价所属年度，四位数字，如 2024。",
        "legal_rep": "不超过 50 个字。",
        "phone": "手机或座机（如 0632-6612345），本列为文本格式，不超过 30 个字符。",
        "address": "不超过 200 个字。",
    }


def _list_validation(sheet, column: int, values, title: str) -> None:
    letter = get_column_letter(column)
    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"请从下拉列表中选择：{'、'.join(values)}",
    )
    rule.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.add_data_validation(rule)


def _whole_validation(sheet, column: int, low: int, high: int, message: str) -> None:
    letter = get_column_letter(column)
    rule = DataValidation(
        type="whole",
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数值无效",
        error=message,
    )
    rule.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.add_data_validation(rule)


def _data_sheet(sheet, columns, labels, required, example, formats, widths) -> None:
    sheet.append(layout.row(sheet, [labels[f] for f in columns]))
    layout.style_header(sheet, 1, len(columns))
    for index, field in enumerate(columns, start=1):
        if field in required:
            sheet.cell(row=1, column=index).font = layout.REQUIRED_FONT
    sheet.append(layout.row(sheet, [example.get(f) for f in columns]))
    for index, field in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(field, 14)
        cell = sheet.cell(row=2, column=index)
        cell.font = layout.EXAMPLE_FONT
        if field in formats:
            # The column's own style is what Excel gives the cells people type into later.
            sheet.column_dimensions[letter].number_format = formats[field]
            cell.number_format = formats[field]
    sheet.freeze_panes = "A2"


def _guide_sheet(workbook, columns, labels, required, rules, notes) -> None:
    guide = workbook.create_sheet("填写说明")
    guide.append(layout.row(guide, ["填写说明"]))
    guide["A1"].font = layout.TITLE_FONT
    for number, note in enumerate(notes, start=1):
        guide.append(layout.row(guide, [f"{number}. {note}"]))
        guide.merge_cells(start_row=guide.max_row, start_column=1, end_row=guide.max_row, end_column=3)
        guide.cell(row=guide.max_row, column=1).alignment = layout.WRAP
        guide.row_dimensions[guide.max_row].height = 32
    guide.append([])
    guide.append(layout.row(guide, ["列名", "是否必填", "填写要求"]))
    layout.style_header(guide, guide.max_row, 3)
    for field in columns:
        guide.append(layout.row(guide, [labels[field], "必填" if field in required else "选填", rules[field]]))
        for column in range(1, 4):
            cell = guide.cell(row=guide.max_row, column=column)
            cell.alignment, cell.border = layout.WRAP, layout.BORDER
    layout.set_widths(guide, (22, 10, 90))


def _notes(sheet_name: str, what: str) -> list[str]:
    return [
        f"请在“{sheet_name}”工作表中填写，每行一条{what}。第 1 行表头的文字请勿修改（列的顺序可以调整，多出的列不会导入）；"
        "红色表头为必填列。",
        f"第 2 行为示例（统一社会信用代码 {EXAMPLE_USCC}），导入时自动跳过，可以直接覆盖或删除。",
        "导入分两步：先上传预览，系统逐行检查并列出所有有问题的行及原因；确认导入时全部写入，只要有一行有误，就一条也不导入。",
        f"单个文件不超过 10 MB、{MAX_ROWS} 行；只读取第一个工作表。",
    ]


def enterprise_template() -> bytes:
    """The registry import template (.xlsx): headers, one example row, drop-downs, and 填写说明."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业信息"
    _data_sheet(
        sheet, ENTERPRISE_COLUMNS, ENTERPRISE_LABELS, ENTERPRISE_REQUIRED, _ENTERPRISE_EXAMPLE, _FORMATS, _WIDTHS
    )
    position = {field: index for index, field in enumerate(ENTERPRISE_COLUMNS, start=1)}
    _list_validation(sheet, position["industry"], INDUSTRIES.values(), "所属行业")
    _list_validation(sheet, position["size_class"], SIZE_LABELS.values(), "企业规模")
    _list_validation(sheet, position["in_zone"], ("是", "否"), "是否在开发区内")
    _list_validation(sheet, position["mu_class"], MU_CLASSES, "亩产效益类别")
    _whole_validation(sheet, position["mu_year"], 2000, 2100, "请填写四位年份，如 2024")
    _whole_validation(sheet, position["employees"], 0, 10_000_000, "请填写不小于零的整数")
    _guide_sheet(
        workbook,
        ENTERPRISE_COLUMNS,
        ENTERPRISE_LABELS,
        ENTERPRISE_REQUIRED,
        _enterprise_rules(),
        _notes("企业信息", "企业信息"),
    )
    return layout.to_bytes(workbook)


def mu_template() -> bytes:
    """The 亩产效益 import template (.xlsx): 统一社会信用代码, 评价年度, 亩产效益类别, 备注."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "亩产效益评价"
    example = {"uscc": EXAMPLE_USCC, "year": 2024, "mu_class": "B", "note": "示例：2024 年度亩产效益综合评价"}
    _data_sheet(
        sheet,
        MU_COLUMNS,
        MU_LABELS,
        MU_REQUIRED,
        example,
        {"uscc": layout.TEXT, "year": layout.INTEGER},
        {"uscc": 22, "year": 12, "mu_class": 14, "note": 40},
    )
    _whole_validation(sheet, 2, 2000, 2100, "请填写四位年份，如 2024")
    _list_validation(sheet, 3, MU_CLASSES, "亩产效益类别")
    rules = {
        "uscc": "企业的 18 位统一社会信用代码，须是系统中已登记的企业。本列为文本格式，请勿改为数字格式。",
        "year": "评价所属年度，四位数字，如 2024。同一企业同一年度在文件中只能出现一次；系统中已有该年度评价的，以本次导入为准（更正）。",
        "mu_class": f"从下拉列表选择 {'、'.join(MU_CLASSES)}。企业的当前类别取其最近年度的评价。",
        "note": "选填，如评价文号，不超过 200 个字。",
    }
    _guide_sheet(workbook, MU_COLUMNS, MU_LABELS, MU_REQUIRED, rules, _notes("亩产效益评价", "企业某一年度的评价结果"))
    return layout.to_bytes(workbook)


# ---- programme loans (第六、七条) ----------------------------------------------------------------

_LOAN_FORMATS = {
    "contract_no": layout.TEXT,
    "enterprise_uscc": layout.TEXT,
    "amount": layout.MONEY,
    "rate_percent": "0.00##",
    "contract_date": layout.DATE,
    "drawdown_date": layout.DATE,
    "maturity_date": layout.DATE,
    "guarantees": layout.TEXT,
}
_LOAN_WIDTHS = {
    "contract_no": 22,
    "enterprise_uscc": 24,
    "amount": 18,
    "rate_percent": 12,
    "contract_date": 14,
    "drawdown_date": 14,
    "maturity_date": 14,
    "guarantees": 30,
}


def _loan_rules(policy) -> dict[str, str]:
    """The 填写说明 of each column; the numbers are those of the policy version in force today, if any."""
    guarantees = "、".join(ALLOWED_GUARANTEES.values())
    if policy is None:
        spread, term, cap = "政策规定的基点数", "政策规定的最长期限", "政策规定的单户上限"
    else:
        spread = f"{policy.rate_spread_bp} 个基点"
        term = f"{policy.max_term_months} 个月"
        cap = f"{(policy.max_outstanding_per_enterprise / _WAN).normalize():f} 万元"
    return {
        "contract_no": "借款合同编号，不超过 60 个字符；本行已登记的合同编号不能再次登记，同一文件内也不能重复。本列为文本格式。",
        "enterprise_uscc": "借款企业的 18 位统一社会信用代码。企业须在合同签订日有效的推荐企业名单内（第十条）。"
        "本列为文本格式，请勿改为数字格式（否则 Excel 会丢失后几位）。",
        "amount": f"单位为元（不是万元），大于零，最多两位小数。同一企业在各合作银行的“园区E贷”余额加本笔（以及本文件中"
        f"前面各行该企业的贷款）不得超过 {cap}（第六条）。",
        "rate_percent": f"年利率，单位为 %，填数字即可，如 3.60 表示 3.60%，最多四位小数。不得超过合同签订日适用的一年期 LPR "
        f"加 {spread}（第五条（四））。请勿把单元格设为百分比格式。",
        "contract_date": "日期，格式 YYYY-MM-DD，如 2024-06-03；也可使用 Excel 日期格式的单元格。决定适用的政策版本、LPR 和推荐名单。",
        "drawdown_date": "日期，格式 YYYY-MM-DD，不早于合同签订日。本行在提款日须处于正常合作状态（第十二、十八条）。",
        "maturity_date": f"日期，格式 YYYY-MM-DD，晚于提款日，且不晚于提款日后 {term}（第六条；该月没有对应日时取该月最后一天，"
        "如 2024-02-29 起 12 个月最迟为 2025-02-28）。",
        "guarantees": f"只能是以下人员提供的连带责任保证（第七条）：{guarantees}。多项用“、”分隔，如“法定代表人、配偶”；"
        "纯信用贷款留空。",
    }


def loan_template() -> bytes:
    """The loan import template (.xlsx) for a bank: headers, one example row, and 填写说明."""
    try:
        policy = policy_on(clock.today())
    except NoPolicyInForce:
        policy = None
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "贷款信息"
    example = {
        "contract_no": "示例-HT-2024-001",
        "enterprise_uscc": EXAMPLE_USCC,
        "amount": Decimal("1000000.00"),
        "rate_percent": Decimal("3.60"),
        "contract_date": date(2024, 6, 3),
        "drawdown_date": date(2024, 6, 5),
        "maturity_date": date(2025, 6, 5),
        "guarantees": "法定代表人、配偶",
    }
    _data_sheet(sheet, LOAN_COLUMNS, LOAN_SHEET_LABELS, LOAN_REQUIRED, example, _LOAN_FORMATS, _LOAN_WIDTHS)
    notes = _notes("贷款信息", "贷款") + [
        "每笔贷款按与逐笔登记相同的全部规则检查（推荐名单、企业资格、银行合作状态、期限、单户上限、利率上限、担保方式），"
        "并列出每行违反的每一条规则。只能登记本行的贷款。",
    ]
    _guide_sheet(workbook, LOAN_COLUMNS, LOAN_SHEET_LABELS, LOAN_REQUIRED, _loan_rules(policy), notes)
    return layout.to_bytes(workbook)
