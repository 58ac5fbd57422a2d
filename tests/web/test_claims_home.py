"""The home page's to-dos for claims: a department's pending reviews, finance's opinions and payouts with
the nearest deadline, a bank's drafts by their filing deadline and its returned claims."""

from __future__ import annotations

import re

from eloan.services import claims
from tests.fixtures.claims import approved_claim, complete, fund_with, reviewed


def _todos(html: str) -> str:
    return " ".join(re.sub(r"\s+", " ", t) for t in re.findall(r'<ul class="todos".*?</ul>', html, re.S))


def _submitted(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    return claims.submit(npl["teller"], claim.id)


def test_a_department_sees_the_claim_waiting_for_its_review(client, npl, as_user, page):
    claim = _submitted(npl)
    claims.review(npl["zone"], claim.id, "approve")
    as_user("industry")
    todos = _todos(page("/"))
    as_user("zone")

    assert f"补偿申请 #{claim.id}" in todos and "待行业主管部门审核" in todos and "期限 2024-10-15" in todos
    assert f"补偿申请 #{claim.id}" not in _todos(page("/"))


def test_finance_sees_the_opinion_due_with_its_deadline(client, npl, as_user, page):
    claim = reviewed(npl, _submitted(npl))
    as_user("finance")

    todos = _todos(page("/"))

    assert (
        f"补偿申请 #{claim.id}" in todos
        and "三方审核完毕，待出具意见" in todos
        and "期限 2024-10-15，还剩 15 天" in todos
    )


def test_finance_sees_a_claim_awaiting_funds(client, npl, as_user, page):
    fund_with(npl, "1000")
    claim = approved_claim(npl)
    as_user("finance2")
    client.post(f"/claims/{claim.id}/pay", data={"pay-paid_on": "2024-10-08"})

    todos = _todos(page("/"))

    assert "专户资金不足，待资金拨付" in todos and 'class="todo todo--danger"' in page("/")


def test_the_bank_sees_its_draft_with_the_filing_deadline(client, npl, as_user, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    todos = _todos(page("/"))

    assert f"补偿申请 #{claim.id}" in todos and "尚未提交" in todos and "期限 2024-10-10，还剩 10 天" in todos


def test_the_bank_sees_a_returned_claim_with_the_comment(client, npl, as_user, page):
    claim = _submitted(npl)
    claims.review(npl["fsc"], claim.id, "return", "请补充还款凭证")
    as_user("teller")

    todos = _todos(page("/"))

    assert f"补偿申请 #{claim.id}" in todos and "被区金融服务中心退回补正" in todos and "请补充还款凭证" in todos
