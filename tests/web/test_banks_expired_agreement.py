"""A bank whose agreement has ended is shown as such wherever banks are shown, and cannot lend (第十二条).

Its stored status stays `active` (nobody recorded a change: the agreement simply ran out), so every
page and the API derive what they show from services.banks.standing: 协议已到期, never 正常合作.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.fixtures.loans import form_data, loan_body
from tests.fixtures.web import page_text


@pytest.fixture()
def expired(programme, make_bank, make_user):
    """Today 2024-06-20 (programme); bank B3's agreement ended on 2024-05-31, its status still active."""
    bank = make_bank(
        "B3",
        name="B3银行台儿庄支行",
        loss_share="0.3500",
        agreement_from=date(2022, 6, 1),
        agreement_to=date(2024, 5, 31),
    )
    make_user("teller3", roles=("bank",), bank_code="B3")
    assert bank.status == "active"
    return bank


def test_the_banks_list_and_ranking_show_the_expired_agreement(client, expired, as_user, page):
    as_user("finance")

    html = page("/banks/")

    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S) if "B3银行" in r)
    assert "协议已到期" in page_text(row) and "正常合作" not in page_text(row)
    ranking = re.search(r'<ol class="ranking">(.*?)</ol>', html, re.S).group(1)
    first = page_text(re.findall(r"<li[^>]*>(.*?)</li>", ranking, re.S)[0])
    assert "B3银行" in first and "协议已到期" in first  # the highest share, but it cannot lend


def test_the_bank_page_says_when_the_agreement_ended(client, expired, as_user, page):
    as_user("fsc")

    html = page("/banks/B3")

    heading = page_text(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
    assert heading == "B3银行台儿庄支行 协议已到期"
    assert "合作协议已于 2024年5月31日 到期" in page_text(html)
    assert "正常合作" not in page_text(html)


def test_the_banks_own_home_and_page_show_the_expired_agreement_and_offer_no_new_loan(client, expired, as_user, page):
    as_user("teller3")

    home = page_text(page("/"))
    own = page_text(page("/banks/B3"))

    assert "合作状态 协议已到期" in home and "登记贷款" not in home
    assert "合作协议已于 2024年5月31日 到期" in own


def test_the_home_cards_count_the_bank_under_its_expired_agreement(client, expired, as_user, page):
    as_user("finance")

    home = page_text(page("/"))

    assert "合作银行·协议已到期 1" in home and "合作银行·正常合作 2" in home


def test_the_monitoring_page_shows_the_expired_agreement(client, expired, as_user, page):
    as_user("finance")

    html = page("/monitoring")

    row = page_text(re.search(r'<tr[^>]*id="bank-B3"[^>]*>(.*?)</tr>', html, re.S).group(1))
    assert "协议已到期" in row and "正常合作" not in row


def test_the_refusal_of_a_loan_says_the_agreement_ended_and_when(client, expired, as_user, beside):
    as_user("teller3")

    response = client.post("/loans/new", data=form_data(contract_no="B3-1"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "B3银行台儿庄支行”的合作协议已于 2024-05-31 到期" in page_text(html)


def test_the_api_adds_the_agreement_state_and_keeps_the_stored_status(client, expired, token_for):
    headers = token_for("finance")

    one = client.get("/api/v1/banks/B3", headers=headers).json
    listed = {b["code"]: b for b in client.get("/api/v1/banks", headers=headers).json}
    ranked = {b["code"]: b for b in client.get("/api/v1/banks/ranking", headers=headers).json}

    expected = {
        "status": "active",
        "agreement_state": "expired",
        "standing": "agreement_expired",
        "standing_label": "协议已到期",
    }
    for answer in (one, listed["B3"], ranked["B3"]):
        assert {k: answer[k] for k in expected} == expected
    assert {k: listed["B1"][k] for k in expected} == {
        "status": "active",
        "agreement_state": "in_force",
        "standing": "active",
        "standing_label": "正常合作",
    }


def test_the_api_refuses_a_loan_of_the_expired_bank_saying_why(client, expired, token_for):
    response = client.post("/api/v1/loans", headers=token_for("teller3"), json=loan_body(contract_no="B3-1"))

    assert response.status_code == 422
    (error,) = [e for e in response.json["errors"] if e["code"] == "bank_not_active"]
    assert "合作协议已于 2024-05-31 到期" in error["message"] and error["article"] == "第十二条"
