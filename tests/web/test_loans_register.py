"""Registering a programme loan through the form (第五至八条): accepted, or refused with every rule's
message beside its field and in a summary at the top, the typed values kept."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from eloan.models import Loan
from eloan.services import loans
from tests.fixtures.loans import form_data, loan_body
from tests.fixtures.web import flash_text


def summary_items(html: str) -> list[str]:
    box = re.search(r'<div class="form-errors form-errors--summary".*?</div>', html, re.S)
    if box is None:
        return []
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", box.group(0), re.S)]


def test_the_teller_registers_a_loan_through_the_form(client, programme, as_user, db):
    as_user("teller")

    response = client.post("/loans/new", data=form_data(), follow_redirects=True)

    html = response.get_data(as_text=True)
    loan = db.session.scalars(select(Loan)).one()
    assert response.request.path == f"/loans/{loan.id}"
    assert "已登记贷款：合同 HT-2024-001" in flash_text(html) and "¥1,000,000.00" in flash_text(html)
    assert loan.bank.code == "B1" and loan.guarantees == ["legal_rep", "spouse"]


def test_a_refused_registration_shows_every_rule_beside_its_field_and_keeps_the_values(
    client, programme, as_user, beside, db
):
    as_user("teller")

    response = client.post(
        "/loans/new",
        data=form_data(
            rate_percent="4.06", amount="5000000.01", maturity_date="2025-06-06", guarantees=["legal_rep", "mortgage"]
        ),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Loan)) == 0
    assert any("4.06%" in e and "4.05%" in e and "第五条" in e for e in beside(html, "rate_percent"))
    assert any(
        "上限为 ¥5,000,000.00" in e and "可用额度 ¥5,000,000.00" in e and "第六条" in e for e in beside(html, "amount")
    )
    assert any("最迟 2025-06-05" in e and "第六条" in e for e in beside(html, "maturity_date"))
    assert any("第七条" in e for e in beside(html, "guarantees"))
    summary = summary_items(html)
    assert len(summary) == 4 and all("第" in item and "条" in item for item in summary)
    assert 'value="4.06"' in html and 'value="5000000.01"' in html and 'value="HT-2024-001"' in html
    assert re.search(r'<input checked[^>]*value="legal_rep"', html)
    assert not re.search(r'<input checked[^>]*value="spouse"', html)


def test_an_unlisted_enterprise_is_refused_beside_the_credit_code(client, programme, as_user, beside):
    as_user("teller")

    html = client.post("/loans/new", data=form_data(3)).get_data(as_text=True)

    assert any("推荐企业名单" in e and "第十条" in e for e in beside(html, "enterprise_uscc"))


def test_the_register_form_states_the_rate_cap_rule(client, programme, as_user, page):
    as_user("teller")

    html = page("/loans/new")

    assert "利率不得高于合同签订日一年期LPR加60个基点" in html and "上限 <strong>4.05%</strong>" in html
    assert "法定代表人" in html and "控股股东" in html and "配偶" in html and "实际控制人" in html


def test_a_department_cannot_open_the_register_form(client, programme, as_user):
    as_user("finance")

    assert client.get("/loans/new").status_code == 403
    assert client.post("/loans/new", data=form_data()).status_code == 403


def test_a_cap_refusal_on_the_form_shows_the_headroom_and_not_another_banks_balance(client, programme, as_user, beside):
    loans.register(programme["teller"], loan_body(amount="3200000.00"))
    as_user("teller2")

    response = client.post("/loans/new", data=form_data(contract_no="B2-1", amount="2000000.00"))

    html = response.get_data(as_text=True)
    assert any("可用额度 ¥1,800,000.00" in e for e in beside(html, "amount"))
    assert "3,200,000" not in html and "5,200,000" not in html
