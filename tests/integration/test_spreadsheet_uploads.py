"""An uploaded sheet is measured by what it unpacks to before anything is unpacked (issue 10, item 6).

A 10 MB .xlsx may unpack to gigabytes, and reading it costs about twice that in memory. The zip's
directory is looked at first; a file that unpacks beyond a real sheet is refused with a message,
for each of the three imports, and openpyxl never opens it.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from eloan.domain.errors import RuleViolation
from eloan.domain.loan_input import LOAN_LABELS
from eloan.services import spreadsheets
from eloan.services.spreadsheets import reading
from eloan.services.spreadsheets.columns import ENTERPRISE_LABELS, LOAN_COLUMNS, MU_LABELS

MB = 1024 * 1024
_ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def workbook_bytes(headers) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(list(headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rebuilt(content: bytes, *, sheet: bytes | None = None, extra: int = 0, method=zipfile.ZIP_DEFLATED) -> bytes:
    """The .xlsx with its first sheet's XML replaced, `extra` small parts added, all stored with `method`."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", method) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet is not None:
                data = sheet
            out.writestr(item.filename, data)
        for n in range(extra):
            out.writestr(f"xl/media/part{n}.bin", b"x")
    return target.getvalue()


def bomb(headers, unpacked: int) -> bytes:
    """A real header row followed by `unpacked` bytes of one repeated row: deflates about 1000 to 1."""
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers).encode()
    xml = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row>" + head + b"</row>" + _ROW * (unpacked // len(_ROW)) + b"</sheetData></worksheet>"
    )
    return rebuilt(workbook_bytes(headers), sheet=xml)


@pytest.fixture()
def never_opened(monkeypatch):
    """openpyxl must not be reached: the file is refused on its zip directory alone."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused")

    monkeypatch.setattr(reading, "load_workbook", refuse)


def refusal(call) -> RuleViolation:
    with pytest.raises(RuleViolation) as refused:
        call()
    return refused.value


@pytest.mark.parametrize("kind", ["enterprises", "mu_ratings", "loans"])
def test_a_zip_bomb_is_refused_by_each_import_before_it_is_unpacked(programme, never_opened, kind):
    imports = {
        "enterprises": (spreadsheets.preview_enterprise_import, "zone", list(ENTERPRISE_LABELS.values())),
        "mu_ratings": (spreadsheets.preview_mu_import, "zone", list(MU_LABELS.values())),
        "loans": (spreadsheets.preview_loan_import, "teller", [LOAN_LABELS[f] for f in LOAN_COLUMNS]),
    }
    preview, who, headers = imports[kind]
    content = bomb(headers, 60 * MB)
    assert len(content) < 200 * 1024  # far under the 10 MB upload limit

    refused = refusal(lambda: preview(programme[who], content, "bomb.xlsx"))

    assert refused.codes == ["file_too_large"]
    assert "解压后有 60.0 MB" in str(refused) and "50 MB" in str(refused)


def test_a_file_under_the_limit_that_deflates_like_filler_is_refused(never_opened):
    refused = refusal(lambda: reading.open_first_sheet(bomb(["统一社会信用代码"], 20 * MB)))
    assert refused.codes == ["file_too_large"] and "压缩比超过 100:1" in str(refused)


def test_an_archive_of_thousands_of_parts_is_refused(never_opened):
    content = rebuilt(workbook_bytes(["统一社会信用代码"]), extra=reading.MAX_ENTRIES)
    refused = refusal(lambda: reading.open_first_sheet(content))
    assert refused.codes == ["file_too_large"] and "部件" in str(refused)


def test_a_compression_excel_does_not_use_is_refused(never_opened):
    content = rebuilt(workbook_bytes(["统一社会信用代码"]), method=zipfile.ZIP_BZIP2)
    refused = refusal(lambda: reading.open_first_sheet(content))
    assert refused.codes == ["not_xlsx"] and "压缩方式" in str(refused)


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_a_truncated_file_is_refused_as_unreadable(cut):
    content = workbook_bytes(["统一社会信用代码"])
    refused = refusal(lambda: reading.open_first_sheet(content[: int(len(content) * cut)]))
    assert refused.codes == ["not_xlsx"] and "无法读取" in str(refused)


def test_a_large_real_loan_sheet_passes_the_size_checks():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([LOAN_LABELS[f] for f in LOAN_COLUMNS])
    for n in range(5000):
        sheet.append(
            [
                f"HT-2024-{n:06d}",
                "91370405MA00000011",
                1000000.0 + n,
                3.6,
                "2024-06-03",
                "2024-06-05",
                "2025-06-05",
                "法定代表人、配偶",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)

    opened, first = reading.open_first_sheet(buffer.getvalue())
    try:
        assert [line[0] for line in first.iter_rows(values_only=True)][-1] == "HT-2024-004999"
    finally:
        opened.close()
