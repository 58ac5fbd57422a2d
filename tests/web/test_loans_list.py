"""The loan list: one page at a time, filters, the export of the current filter, and a bank that sees
its own loans only — another bank's loan is 404 on every loan page."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest

from eloan.services import loans
from eloan.web.loans import list_views
from tests.fixtures.loans import loan_body


def _contracts(html: str) -> list[str]:
    return re.findall(r'<a href="/loans/\d+">([^<]+)</a>', html)


@pytest.fixture()
def three_loans(programme):
    made = [
        loans.register(programme["teller"], loan_body(1, contract_no=f"HT-{n}", amount="100000.00")) for n in (1, 2, 3)
    ]
    made.append(loans.register(programme["teller2"], loan_body(2, contract_no="B2-HT-9", amount="100000.00")))
    return made


def test_the_loan_list_paginates(client, three_loans, as_user, page, monkeypatch):
    monkeypatch.setattr(list_views, "PER_PAGE", 2)
    as_user("finance")

    first, second = page("/loans/"), page("/loans/?page=2")

    assert _contracts(first) == ["B2-HT-9", "HT-3"] and _contracts(second) == ["HT-2", "HT-1"]
    assert "共登记贷款 <strong>4</strong> 笔，第 1 / 2 页" in first and 'href="/loans/?page=2"' in first


def test_the_pager_keeps_the_filters(client, three_loans, as_user, page, monkeypatch):
    monkeypatch.setattr(list_views, "PER_PAGE", 2)
    as_user("finance")

    html = page("/loans/?bank=B1")

    next_page = re.search(r'<a href="(/loans/\?[^"]*)">下一页', html).group(1)
    assert _contracts(html) == ["HT-3", "HT-2"] and "page=2" in next_page and "bank=B1" in next_page


def test_a_department_filters_by_status_and_searches_by_contract(client, programme, three_loans, as_user, page):
    loans.record_event(programme["teller"], three_loans[1].id, "overdue", date(2024, 6, 12))
    as_user("zone")

    assert _contracts(page("/loans/?status=overdue")) == ["HT-2"]
    assert _contracts(page("/loans/?q=B2-HT")) == ["B2-HT-9"]


def test_a_bank_sees_only_its_own_loans_and_no_bank_filter(client, three_loans, as_user, page):
    as_user("teller2")

    html = page("/loans/?bank=B1")

    assert _contracts(html) == ["B2-HT-9"] and 'name="bank"' not in html


def test_the_export_holds_the_filtered_loans(client, three_loans, as_user):
    as_user("finance")

    response = client.get("/loans/export.xlsx?bank=B2")

    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert response.status_code == 200
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["B2-HT-9"]


@pytest.mark.parametrize(
    "method,path,data",
    [
        ("GET", "", None),
        ("POST", "/repayments", {"rp-paid_on": "2024-06-10", "rp-principal": "1.00", "rp-interest": "0"}),
        ("POST", "/events", {"ev-type": "overdue", "ev-date": "2024-06-12"}),
        ("POST", "/not-compensable", {"nc-reason": "核查"}),
    ],
)
def test_another_bank_gets_404_on_the_loan_pages(client, three_loans, as_user, method, path, data):
    as_user("teller2")

    response = client.open(f"/loans/{three_loans[0].id}{path}", method=method, data=data)

    assert response.status_code == 404
    assert three_loans[0].outstanding_principal == 100000 and three_loans[0].status == "normal"
