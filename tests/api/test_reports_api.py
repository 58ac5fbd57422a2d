"""GET /api/v1/reports/statistics (API.md; POLICY.md §12.4): JSON, Excel and PDF carry the same numbers."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import openpyxl
import pytest

PATH = "/reports/statistics?from=2024-01-01&to=2024-12-31"


@pytest.fixture()
def api(client, stats_programme, token_for):
    tokens = {name: token_for(name) for name in ("teller", "teller2", "finance", "auditor", "admin", "zone")}

    def call(path, who="finance"):
        return client.get("/api/v1" + path, headers=tokens[who])

    return call


def test_the_year_as_json(api):
    body = api(PATH).json
    assert body["from"] == "2024-01-01" and body["to"] == "2024-12-31"
    assert [r["bank"] for r in body["rows"]] == ["B1", "B2", "B3"]
    assert body["rows"][0] == {
        "bank": "B1",
        "bank_name": "B1银行台儿庄支行",
        "loans_made_count": 2,
        "loans_made_amount": "1500000.00",
        "enterprises_served": 2,
        "outstanding": "1000000.00",
        "overdue_balance": "500000.00",
        "overdue_ratio": "0.5000",
        "npl_balance": "500000.00",
        "npl_ratio": "0.5000",
        "claims_count": 1,
        "claims_amount": "350000.00",
        "paid": "0.00",
        "recovered": "0.00",
        "returned": "0.00",
        "status": "active",
    }
    # B2 has nothing outstanding at the year's end: its ratios are undefined, not zero.
    assert body["rows"][1]["overdue_ratio"] is None and body["rows"][1]["npl_ratio"] is None
    assert body["total"] == {
        "bank": None,
        "bank_name": "合计",
        "loans_made_count": 4,
        "loans_made_amount": "2600000.00",
        "enterprises_served": 3,
        "outstanding": "1000000.00",
        "overdue_balance": "500000.00",
        "overdue_ratio": "0.5000",
        "npl_balance": "500000.00",
        "npl_ratio": "0.5000",
        "claims_count": 2,
        "claims_amount": "575000.00",
        "paid": "225000.00",
        "recovered": "48000.00",
        "returned": "30000.00",
        "status": None,
    }
    it = next(r for r in body["by_industry"] if r["industry"] == "next_gen_it")
    assert (it["industry_name"], it["paid"], it["recovered"], it["returned"]) == (
        "新一代信息技术",
        "225000.00",
        "48000.00",
        "30000.00",
    )
    assert [r["mu_class"] for r in body["by_mu_class"]] == ["A", "B", "C", "D", None]
    assert body["by_mu_class"][0]["loans_made_amount"] == "1800000.00"


def test_q1_ratios_have_four_places(api):
    body = api("/reports/statistics?from=2024-01-01&to=2024-03-31").json
    assert body["total"]["overdue_ratio"] == "0.2778"  # 500,000 / 1,800,000
    assert body["rows"][0]["overdue_ratio"] == "0.1333"  # 200,000 / 1,500,000


def test_a_bank_gets_its_own_row_only(api):
    body = api(PATH, who="teller").json
    assert [r["bank"] for r in body["rows"]] == ["B1"]
    assert body["total"]["loans_made_amount"] == "1500000.00"
    assert body["total"]["claims_amount"] == "350000.00"


def test_from_after_to_is_422_invalid_period(api):
    response = api("/reports/statistics?from=2024-04-01&to=2024-03-31")
    assert response.status_code == 422
    assert response.json["errors"][0]["code"] == "invalid_period"


def test_an_unknown_format_is_400(api):
    response = api(PATH + "&format=docx")
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "format"


def test_a_year_with_no_data_is_an_empty_valid_report(api):
    body = api("/reports/statistics?from=2022-01-01&to=2022-12-31").json
    assert body["total"]["loans_made_count"] == 0 and body["total"]["outstanding"] == "0.00"
    assert body["total"]["npl_ratio"] is None
    assert len(body["rows"]) == 3


def test_admin_is_refused(api):
    assert api(PATH, who="admin").status_code == 403


def _json_figures(row: dict) -> list:
    return [
        row["loans_made_count"],
        Decimal(row["loans_made_amount"]),
        row["enterprises_served"],
        Decimal(row["outstanding"]),
        Decimal(row["overdue_balance"]),
        None if row["overdue_ratio"] is None else Decimal(row["overdue_ratio"]),
        Decimal(row["npl_balance"]),
        None if row["npl_ratio"] is None else Decimal(row["npl_ratio"]),
        row["claims_count"],
        Decimal(row["claims_amount"]),
        Decimal(row["paid"]),
        Decimal(row["recovered"]),
        Decimal(row["returned"]),
    ]


def _sheet_figures(values) -> list:
    out = []
    for i, v in enumerate(values):
        if v is None or i in (0, 2, 8):  # counts
            out.append(v)
        elif i in (5, 7):  # ratios: the sheet holds the exact ratio, JSON writes 4 places
            out.append(Decimal(str(v)).quantize(Decimal("0.0001")))
        else:
            out.append(Decimal(str(v)).quantize(Decimal("0.01")))
    return out


def test_the_excel_sheet_carries_the_json_numbers(api):
    body = api(PATH).json
    response = api(PATH + "&format=xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=statistics-2024-01-01-2024-12-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["按银行", "按行业", "按亩产效益类别"]
    banks = book["按银行"]
    assert banks.freeze_panes == "D4"
    assert "2024年1月1日至2024年12月31日" in banks["A2"].value
    assert banks["E3"].value == "新增贷款金额（元）"
    lines = list(banks.iter_rows(min_row=4, values_only=True))
    assert [line[0] for line in lines] == ["B1", "B2", "B3", "合计"]
    for line, row in zip(lines, body["rows"] + [body["total"]], strict=True):
        assert _sheet_figures(line[3:]) == _json_figures(row)
    assert banks["D4"].number_format == "0" and banks["E4"].number_format == "#,##0.00"
    assert isinstance(banks["E4"].value, (int, float))  # a number, not text
    industry = list(book["按行业"].iter_rows(min_row=4, values_only=True))
    for line, row in zip(industry, body["by_industry"] + [body["total"]], strict=True):
        assert _sheet_figures(line[1:]) == _json_figures(row)
    mu = list(book["按亩产效益类别"].iter_rows(min_row=4, values_only=True))
    assert [line[0] for line in mu] == ["A类", "B类", "C类", "D类", "未评价", "合计"]
    for line, row in zip(mu, body["by_mu_class"] + [body["total"]], strict=True):
        assert _sheet_figures(line[1:]) == _json_figures(row)


def _layout_text(data: bytes, folder) -> str:
    """The PDF's text with each table row on one line (pdftotext -layout)."""
    path = folder / "attachment4.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _wan(text: str) -> str:
    return f"{(Decimal(text) / 10000).quantize(Decimal('0.01')):,.2f}"


def test_the_pdf_carries_the_json_numbers_in_wan(api, pdf, tmp_path):
    body = api(PATH).json
    response = api(PATH + "&format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf.text(response.data)
    flat = " ".join(text.split())
    for words in (
        "附件4",
        "业务情况统计表",
        "2024年1月1日至2024年12月31日",
        "单位：万元",
        "编制人",
        "审核人",
        "填报单位",
    ):
        assert words in flat, words
    pages = pdf.pages(response.data)
    assert f"第 1 页 共 {pages} 页" in flat and f"第 {pages} 页 共 {pages} 页" in flat
    # The 合计 line of the bank table: counts as they are, amounts in 万元, ratios as percentages.
    t = body["total"]
    laid_out = _layout_text(response.data, tmp_path)
    total_line = next(line for line in laid_out.splitlines() if line.strip().startswith("合计"))
    assert total_line.split()[1:] == [
        "4",
        _wan(t["loans_made_amount"]),
        "3",
        _wan(t["outstanding"]),
        _wan(t["overdue_balance"]),
        "50.00%",
        _wan(t["npl_balance"]),
        "50.00%",
        "2",
        _wan(t["claims_amount"]),
        _wan(t["paid"]),
        _wan(t["recovered"]),
        _wan(t["returned"]),
    ]
    assert total_line.split()[1:4] == ["4", "260.00", "3"]
    b2 = next(line for line in laid_out.splitlines() if "B2银行台儿庄支行" in line)
    assert b2.split()[2:] == [
        "2",
        "110.00",
        "2",
        "0.00",
        "0.00",
        "—",
        "0.00",
        "—",
        "1",
        "22.50",
        "22.50",
        "4.80",
        "3.00",
        "正常合作",
    ]


def test_a_bank_asking_for_another_banks_row_gets_its_own(api):
    body = api(PATH + "&bank=B2", who="teller").json
    assert [r["bank"] for r in body["rows"]] == ["B1"]
    assert body["total"]["loans_made_amount"] == "1500000.00"


def test_government_may_ask_for_one_bank(api):
    body = api(PATH + "&bank=B2", who="zone").json
    assert [r["bank"] for r in body["rows"]] == ["B2"]
    assert body["total"]["paid"] == "225000.00" and body["total"]["enterprises_served"] == 2
    assert api(PATH + "&bank=NOPE").status_code == 404
