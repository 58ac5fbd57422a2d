"""Reading an uploaded .xlsx: the file checks, the header row, and each cell's value, exactly.

openpyxl hands back str, int, float, bool or datetime. Our parsers refuse float outright (a float
may already have lost the fen), so every float is converted here by an exact rule or refused with
a message for the person who filled in the sheet.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from openpyxl import load_workbook

from eloan.domain.errors import RuleViolation, Violation
from eloan.domain.money import CENT

MAX_BYTES = 10 * 1024 * 1024
# The registry check is ONE `uscc IN (...)` query over all codes of the file; 30,000 stays inside
# SQLite's 32,766 and PostgreSQL's 65,535 bind parameters, and is far beyond a district's registry.
MAX_ROWS = 30_000
# A 10 MB .xlsx can unpack to gigabytes (a "zip bomb"), and reading one costs about twice its
# unpacked size in memory (a 290 MB sheet took 590 MB). The largest real upload, MAX_ROWS rows of
# the 15-column registry, unpacks to 25 MB as openpyxl writes it (a few thousand loans: ~1-2 MB);
# Excel's own XML is somewhat wordier, so 50 MB leaves room and bounds a read to ~100 MB.
MAX_UNPACKED = 50 * 1024 * 1024
# An .xlsx holds a dozen or so parts (a few more per sheet or picture); thousands is no workbook.
MAX_ENTRIES = 1000
# Real sheets deflate 10-30 to 1 (measured: 12-14, a sheet of 30,000 identical rows 28); deflate
# can reach 1,000 to 1, which only generated filler does. Small parts are left alone.
MAX_RATIO = 100
_RATIO_FROM = 1024 * 1024
HEADER_SEARCH_ROWS = 5
# Below 10^13 yuan (15 significant digits with the fen, Excel's own precision) neighbouring doubles
# are less than 0.01 apart, so no two amounts in fen share a double (see money()).
_MONEY_LIMIT = 1e13
_MAX_EXACT_INT = 2**53


class CellProblem(ValueError):
    """A cell whose value cannot be taken as it stands; the message is for people."""


def file_error(code: str, message: str) -> RuleViolation:
    return RuleViolation([Violation(code, message, None, "file")])


# ---- the file ------------------------------------------------------------------------------------


def open_first_sheet(content: bytes):
    """(workbook, first worksheet) of an .xlsx upload, or a file-level RuleViolation."""
    if not content:
        raise file_error("empty_file", "上传的文件是空的，请选择填写好的 Excel 文件。")
    if len(content) > MAX_BYTES:
        raise file_error(
            "file_too_large", f"文件大小 {len(content) / 1024 / 1024:.1f} MB，超过 10 MB 的上限；请分成几个文件导入。"
        )
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: Excel 97-2003
        raise file_error("not_xlsx", "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传。")
    if content[:4] != b"PK\x03\x04":  # every .xlsx is a zip archive
        raise file_error("not_xlsx", "文件不是 Excel（.xlsx）格式，请使用导入模板填写后上传。")
    try:
        _check_archive(content)  # before openpyxl inflates anything
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except RuleViolation:
        raise
    except Exception:  # openpyxl raises many kinds (KeyError, BadZipFile, InvalidFileException …)
        raise file_error(
            "not_xlsx",
            "无法读取该文件：文件已损坏或不是 Excel（.xlsx）格式，请用 Excel 打开确认后另存为 .xlsx 再上传。",
        ) from None
    if not workbook.worksheets:
        workbook.close()
        raise file_error("not_xlsx", "文件中没有工作表。")
    sheet = workbook.worksheets[0]
    if not hasattr(sheet, "iter_rows"):  # a chart sheet first
        workbook.close()
        raise file_error("not_xlsx", "第一个工作表不是数据表，请把填写好的表放在第一个工作表。")
    # The stored <dimension> is often wrong in files from other tools; read what is really there.
    sheet.reset_dimensions()
    return workbook, sheet


def _check_archive(content: bytes) -> None:
    """Refuse, before openpyxl inflates anything, an archive that unpacks to far more than a sheet.

    The sizes come from the zip's directory; Python's zipfile never inflates an entry past its
    stated size (and checks its CRC), so they bound what openpyxl can unpack. Other compression
    methods than Excel's deflate (or none) are refused: bzip2 and lzma inflate without that bound.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # a broken archive: the caller's "cannot read"
        entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    advice = "请只保留要导入的数据，在 Excel 中另存为新的 .xlsx 文件后上传；数据较多时请分成几个文件导入。"
    if len(entries) > MAX_ENTRIES:
        raise file_error(
            "file_too_large",
            f"文件由 {len(entries)} 个部件组成，超过 {MAX_ENTRIES} 个，不像是正常的 Excel 表格。" + advice,
        )
    if unpacked > MAX_UNPACKED:
        raise file_error(
            "file_too_large",
            f"文件解压后有 {unpacked / 1024 / 1024:.1f} MB，超过 {MAX_UNPACKED // 1024 // 1024} MB 的上限。" + advice,
        )
    if any(
        entry.file_size > _RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1) for entry in entries
    ):
        raise file_error(
            "file_too_large",
            f"文件的压缩比超过 {MAX_RATIO}:1，内容像是大量重复的填充，不像是正常的 Excel 表格。" + advice,
        )
    if any(entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries):
        raise file_error("not_xlsx", "文件使用了 Excel 不使用的压缩方式，请用 Excel 打开后另存为 .xlsx 再上传。")


def header_key(value: Any) -> str | None:
    """A header cell as compared: no blanks anywhere, half-width brackets as full-width."""
    if not isinstance(value, str):
        return None
    return "".join(value.split()).replace("(", "（").replace(")", "）") or None


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]  # field → the cell's raw value


def read_rows(content: bytes, labels: Mapping[str, str], required: Sequence[str]) -> list[SheetRow]:
    """The non-empty data rows below the header row, with cells mapped to fields by header text.

    The header row is the row among the first five that names the most known columns; unknown
    columns are ignored. A missing required column, a repeated one, or too many rows is a
    file-level RuleViolation.
    """
    by_key = {header_key(label): field for field, label in labels.items()}
    workbook, sheet = open_first_sheet(content)
    try:
        rows = sheet.iter_rows(min_row=1, values_only=True)
        head = []
        for number, cells in enumerate(rows, start=1):
            head.append((number, cells))
            if number == HEADER_SEARCH_ROWS:
                break
        header_number, columns = _header(head, by_key, labels, required)
        found: list[SheetRow] = []
        pending = [(n, c) for n, c in head if n > header_number]
        for number, cells in _chain(pending, rows, start=len(head) + 1):
            values = {field: cells[i] if i < len(cells) else None for field, i in columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            if len(found) == MAX_ROWS:
                raise file_error("too_many_rows", f"一个文件最多导入 {MAX_ROWS} 行，请分成几个文件导入。")
            found.append(SheetRow(number, values))
        return found
    finally:
        workbook.close()


def _chain(first, rest, start: int):
    yield from first
    yield from enumerate(rest, start=start)


def _header(head, by_key, labels, required) -> tuple[int, dict[str, int]]:
    best_number, best, repeated = 0, {}, None
    for number, cells in head:
        columns: dict[str, int] = {}
        twice = None
        for index, cell in enumerate(cells):
            field = by_key.get(header_key(cell))
            if field is None:
                continue
            if field in columns:
                twice = twice or field
            else:
                columns[field] = index
        if len(columns) > len(best):
            best_number, best, repeated = number, columns, twice
    if not best:
        raise file_error(
            "header_not_found", "第一个工作表的前 5 行中没有找到表头（如“统一社会信用代码”），请使用导入模板填写。"
        )
    if repeated:
        raise file_error(
            "header_repeated", f"第 {best_number} 行的表头中“{labels[repeated]}”出现了不止一次，请删除多余的一列。"
        )
    missing = [labels[f] for f in required if f not in best]
    if missing:
        raise file_error("header_missing", f"表头缺少必填列：{'、'.join(missing)}（表头在第 {best_number} 行）。")
    return best_number, best


# ---- the cells -----------------------------------------------------------------------------------


def _integral(value: float) -> int | None:
    if math.isfinite(value) and value.is_integer() and abs(value) < _MAX_EXACT_INT:
        return int(value)
    return None


def text(value: Any) -> Any:
    """Text columns: a whole number (e.g. a phone typed as a number) becomes its digits."""
    if isinstance(value, (bool, datetime, date, time, timedelta)):
        raise CellProblem("应填写文字，请将该单元格设为“文本”格式后重新填写")
    if isinstance(value, float):
        whole = _integral(value)
        if whole is None:
            raise CellProblem("应填写文字，请将该单元格设为“文本”格式后重新填写")
        return str(whole)
    if isinstance(value, int):
        return str(value)
    return value


def code(value: Any) -> Any:
    """The credit code: a float means Excel took it for a number and kept only 15 digits."""
    if isinstance(value, float):
        raise CellProblem("被 Excel 当作数字保存，后几位已丢失；请将该列设为“文本”格式后重新输入完整的 18 位代码")
    return text(value)


def integer(value: Any) -> Any:
    """Counts and years: a float cell is accepted only when it holds a whole number."""
    if isinstance(value, (datetime, date, time, timedelta)):
        raise CellProblem("须为整数")
    if isinstance(value, float):
        whole = _integral(value)
        if whole is None:
            raise CellProblem("须为整数")
        return whole
    return value


def money(value: Any) -> Any:
    """An amount in yuan, exactly, or refused.

    Excel keeps a number as an IEEE double, so a typed 1234.56 arrives as the double nearest to
    1234.56. Decimal(value) is that double's exact value (no rounding); rounding it to the fen
    gives the one candidate amount; the candidate is accepted only if it converts back to the very
    same double (float(Decimal) is correctly rounded), i.e. the cell holds exactly what typing that
    amount stores. Below 10^13 yuan no two amounts in fen share a double, so the answer is unique.
    Anything else — 1234.567, a formula's 0.30000000000000004 — is refused, never guessed.
    """
    if isinstance(value, (datetime, date, time, timedelta)):
        raise CellProblem("须为金额（元）")
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= _MONEY_LIMIT:
            raise CellProblem("金额超出范围")
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)
        if float(amount) != value:
            raise CellProblem("金额最多两位小数；如由公式计算，请用 ROUND(…,2) 取整到分，或以文本格式填写")
        return amount
    return value


def day(value: Any) -> Any:
    """A date: a date-formatted cell, or text the registry parses (YYYY-MM-DD)."""
    if isinstance(value, (datetime, date, str)) or value is None:
        return value
    raise CellProblem("请填写 YYYY-MM-DD 格式的日期，如 2018-05-20（或将单元格设为日期格式）")


def flag(value: Any) -> Any:
    """是/否, or an Excel TRUE/FALSE, or 1/0."""
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, float)) and _integral(float(value)) in (0, 1):
        return str(int(value))
    raise CellProblem("请填写“是”或“否”")


def convert(
    row: SheetRow, kinds: Mapping[str, Callable[[Any], Any]], labels: Mapping[str, str]
) -> tuple[dict[str, Any], list[Violation]]:
    """The row's values as the parsers take them, and a Violation for each cell refused."""
    values: dict[str, Any] = {}
    problems: list[Violation] = []
    for field, raw in row.values.items():
        try:
            values[field] = kinds[field](raw)
        except CellProblem as problem:
            values[field] = None
            problems.append(Violation("invalid_field", f"{labels[field]}：{problem}", None, field))
    return values, problems
