"""After payout (第十七、十九条): the bank reports recoveries, split by the fund ratio; 区财政局 confirms the
fund's part arriving; a fraudulent claim is marked with a typed confirmation and clawed back."""

from __future__ import annotations

import re
from datetime import date

import pytest

from eloan.services import claims, recoveries
from tests.fixtures.claims import approved_claim, fund_with
from tests.fixtures.web import flash_text


@pytest.fixture()
def paid(npl):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8), "ZF-1")
    return claim


def test_a_recovery_is_split_seventy_thirty_between_the_fund_and_the_bank(client, paid, as_user):
    as_user("teller")

    response = client.post(
        f"/claims/{paid.id}/recoveries",
        data={"rc-recovered_on": "2024-12-02", "rc-amount": "100000"},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert (
        "已登记2024年12月2日追回 ¥100,000.00：应返还专户 ¥70,000.00（70.00%），银行留存 ¥30,000.00（30.00%）"
        in flash_text(html)
    )
    table = re.search(r'<table class="table recoveries">.*?</table>', html, re.S).group(0)
    assert "返还专户（70.00%）" in table and "银行留存（30.00%）" in table
    assert "¥70,000.00" in table and "¥30,000.00" in table and "待返还" in table


def test_a_recovery_without_an_amount_is_refused_beside_it(client, paid, as_user, beside):
    as_user("teller")

    html = client.post(f"/claims/{paid.id}/recoveries", data={"rc-recovered_on": "2024-12-02"}).get_data(as_text=True)

    assert beside(html, "rc-amount") == ["请填写追回金额。"]


def test_the_page_shows_what_the_bank_still_owes_the_fund(client, npl, paid, as_user, page):
    recoveries.report_recovery(npl["teller"], paid.id, date(2024, 12, 2), "100000")
    as_user("fsc")

    html = page(f"/claims/{paid.id}")

    owed = re.search(r'<div class="summary__item summary__item--danger"><dt>待返还专户</dt><dd>([^<]*)</dd>', html)
    assert owed.group(1) == "¥70,000.00"


def test_finance_confirms_the_funds_part_arriving(client, npl, paid, as_user, page):
    recovery = recoveries.report_recovery(npl["teller"], paid.id, date(2024, 12, 2), "100000")
    as_user("finance")

    response = client.post(
        f"/claims/{paid.id}/recoveries/{recovery.id}/remit",
        data={f"rm{recovery.id}-remitted_on": "2024-12-05", f"rm{recovery.id}-reference": "HK-7"},
        follow_redirects=True,
    )

    assert "已确认 ¥70,000.00 返还风险补偿资金专户" in flash_text(response.get_data(as_text=True))
    assert recovery.remitted_on == date(2024, 12, 5)
    assert "追偿款返还" in page("/fund/")


def test_fraud_is_refused_without_typing_the_banks_code(client, paid, as_user, beside):
    as_user("finance")

    html = client.post(
        f"/claims/{paid.id}/fraud", data={"fr-reason": "伪造不良认定证明", "fr-confirm_code": ""}
    ).get_data(as_text=True)

    assert beside(html, "fr-confirm_code") == ["请输入银行代码 B1 以确认。"]
    assert not paid.fraud


def test_finance_marks_fraud_and_the_clawback_is_raised(client, paid, as_user):
    as_user("finance")

    response = client.post(
        f"/claims/{paid.id}/fraud",
        data={"fr-reason": "伪造不良认定证明", "fr-confirm_code": "b1"},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert paid.fraud and paid.status == "clawed_back" and paid.bank.status == "disqualified"
    assert "B1银行台儿庄支行已被取消合作资格" in flash_text(html)
    assert "应追回" in html and "¥864,197.52" in html and f'action="/claims/{paid.id}/clawback"' in html
