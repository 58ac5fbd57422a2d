"""Loans from Excel through the pages: the template, a preview naming every bad row's reasons with the
article, and a commit that registers the whole file."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import func, select

from eloan.models import Loan
from tests.fixtures.loans import HEADERS, row, xlsx
from tests.fixtures.web import flash_text


def _upload(client, content: bytes, name: str = "六月贷款.xlsx"):
    return client.post("/loans/import", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def test_the_bank_downloads_the_template(client, programme, as_user):
    as_user("teller")

    response = client.get("/loans/import/template.xlsx")

    assert response.status_code == 200
    assert [c.value for c in openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0][1]] == HEADERS


def test_the_preview_lists_every_bad_row_with_its_reasons_and_offers_no_import(client, programme, as_user, db):
    as_user("teller")

    html = _upload(
        client, xlsx([row(1), row(3, contract_no="HT-3"), row(2, contract_no="HT-2", rate_percent=4.06)])
    ).get_data(as_text=True)

    assert "有 2 行有问题，本文件不能导入" in html and "确认导入" not in html
    assert "第 3 行" in html and "第 4 行" in html and "第 2 行" not in html
    assert "（第十条）" in html and "4.06%" in html and "（第五条）" in html
    assert db.session.scalar(select(func.count()).select_from(Loan)) == 0


def test_a_good_file_is_registered_after_confirmation(client, programme, as_user, db):
    as_user("teller")
    preview = _upload(client, xlsx([row(1), row(2, contract_no="HT-2")])).get_data(as_text=True)
    token = preview.split('name="token" value="')[1].split('"')[0]

    response = client.post("/loans/import/commit", data={"token": token}, follow_redirects=True)

    assert "确认导入 2 笔贷款" in preview
    assert "已从“六月贷款.xlsx”登记 2 笔贷款，合计 ¥2,000,000.00，涉及 2 家企业" in flash_text(
        response.get_data(as_text=True)
    )
    assert db.session.scalar(select(func.count()).select_from(Loan)) == 2


def test_a_department_cannot_import_loans(client, programme, as_user):
    as_user("fsc")

    assert client.get("/loans/import").status_code == 403
    assert client.get("/loans/import/template.xlsx").status_code == 403
