"""How our sheets look: one header style, number formats, and bytes out."""
from __future__ import annotations

import io

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

TEXT = "@"  # Excel's text format: credit codes and phone numbers stay as typed
MONEY = "#,##0.00"
WAN = "#,##0.00##"  # 万元: a yuan amount / 10,000 is exact in 6 places; shown to 4
DATE = "yyyy-mm-dd"
INTEGER = "0"

HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
EXAMPLE_FONT = Font(italic=True, color="808080")
_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def set_widths(sheet, widths) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def style_header(sheet, row: int, count: int) -> None:
    for column in range(1, count + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, CENTRE


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
