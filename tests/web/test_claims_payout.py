"""Payout out of the fund (第十六条): by a finance user other than the opinion's author (four eyes), once,
and only when the fund can cover it — otherwise the claim waits as awaiting funds."""

from __future__ import annotations

import re

from eloan.services import claims
from tests.fixtures.claims import approved_claim, fund_with
from tests.fixtures.web import flash_text


def _pay_box(html: str) -> str:
    return re.search(r'<form[^>]*action="/claims/\d+/pay".*?</form>', html, re.S).group(0)


def test_the_opinions_author_is_refused_the_payout_on_the_form(client, npl, as_user):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    as_user("finance")

    html = client.post(f"/claims/{claim.id}/pay", data={"pay-paid_on": "2024-10-08", "pay-reference": "ZF-1"}).get_data(
        as_text=True
    )

    box = _pay_box(html)
    assert "拨付须由出具意见以外的另一位区财政局人员办理（双人复核）。" in box
    assert 'value="ZF-1"' in box and claim.status == "approved"


def test_a_second_finance_user_pays_and_the_fund_page_shows_the_payout(client, npl, as_user, page):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    as_user("finance2")

    response = client.post(
        f"/claims/{claim.id}/pay",
        data={"pay-paid_on": "2024-10-08", "pay-reference": "ZF-2024-031"},
        follow_redirects=True,
    )
    fund_html = page("/fund/")

    assert "已从风险补偿资金专户拨付补偿申请" in flash_text(response.get_data(as_text=True))
    assert claim.status == "paid"
    row = re.search(r'<tr class="ledger__row ledger__row--payout.*?</tr>', fund_html, re.S).group(0)
    assert "拨付补偿" in row and "¥864,197.52" in row and "ZF-2024-031" in row and f"/claims/{claim.id}" in row
    assert "¥9,135,802.48" in row  # the balance after it


def test_a_payout_the_fund_cannot_cover_leaves_the_claim_awaiting_funds(client, npl, as_user):
    fund_with(npl, "500000")
    claim = approved_claim(npl)
    as_user("finance2")

    html = client.post(f"/claims/{claim.id}/pay", data={"pay-paid_on": "2024-10-08"}).get_data(as_text=True)

    assert claim.status == "awaiting_funds"
    assert "专户余额 ¥500,000.00 不足以拨付 ¥864,197.52，申请已转为“待资金拨付”。" in _pay_box(html)
    assert "同意补偿，待资金拨付" in html


def test_the_payout_form_states_the_four_eyes_rule(client, npl, as_user, page):
    claim = approved_claim(npl)
    as_user("finance2")

    box = _pay_box(page(f"/claims/{claim.id}"))

    assert "双人复核" in box and "以外的另一位区财政局工作人员办理" in box


def test_a_paid_claim_shows_the_payout_and_no_second_pay_form(client, npl, as_user, page):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, claim.opinion_on, "ZF-9")
    as_user("finance")

    html = page(f"/claims/{claim.id}")

    assert f'action="/claims/{claim.id}/pay"' not in html
    assert "ZF-9" in html and "已于 2024-09-30 拨付" in html
