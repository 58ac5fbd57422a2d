"""How our sheets look: one header style, number formats, every cell we write, and bytes out."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
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


# What Excel, LibreOffice or Sheets may take for the start of a formula (OWASP's list for CSV injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def cell(sheet, value: Any, number_format: str | None = None, *, header: bool = False) -> Cell:
    """One cell for `append` (normal or write-only sheets alike); every value we write passes here.

    Text is always a text cell: openpyxl on its own stores a string starting with "=" as a formula
    (a contract number `=HYPERLINK(…)` would run in the reader's Excel) and "#N/A" as an error. The
    text is kept exactly as typed, no apostrophe added; a formula-like start also gets Excel's
    quotePrefix, so editing the cell in Excel keeps it text too. Numbers and dates stay as they are.
    """
    if isinstance(value, str):
        # XML cannot hold most control characters; openpyxl would refuse the whole sheet for one of them.
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    made = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        made.data_type = "s"
        if value.startswith(FORMULA_LEADS):
            made.quotePrefix = True
    if number_format and value is not None:
        made.number_format = number_format
    if header:
        made.font, made.fill, made.border, made.alignment = HEADER_FONT, HEADER_FILL, BORDER, CENTRE
    return made


def row(sheet, values: Iterable[Any]) -> list[Cell]:
    """A row for `sheet.append`: plain values through `cell`; cells already made and blanks as they are."""
    return [value if value is None or isinstance(value, Cell) else cell(sheet, value) for value in values]


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
