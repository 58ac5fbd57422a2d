"""The three reviews and 区财政局's opinion (第十六条): a return with its comment shown to the bank, the
opinion refused while a department has not reviewed, approvals and reductions with their reasons."""

from __future__ import annotations

import re

from eloan.services import claim_facts, claims
from tests.fixtures.claims import complete, reviewed
from tests.fixtures.web import flash_text


def _submitted(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    return claim


def test_a_department_approves_and_the_others_are_still_awaited(client, npl, as_user):
    claim = _submitted(npl)
    as_user("zone")

    response = client.post(
        f"/claims/{claim.id}/review", data={"rv-decision": "approve", "rv-comment": "材料齐全"}, follow_redirects=True
    )

    html = response.get_data(as_text=True)
    assert "经济开发区已同意补偿申请" in flash_text(html) and "尚待行业主管部门、区金融服务中心审核" in flash_text(html)
    assert "材料齐全" in html and claim.status == "in_review"


def test_a_return_without_a_comment_is_refused_beside_the_comment(client, npl, as_user, beside):
    claim = _submitted(npl)
    as_user("industry")

    html = client.post(f"/claims/{claim.id}/review", data={"rv-decision": "return", "rv-comment": " "}).get_data(
        as_text=True
    )

    assert beside(html, "rv-comment") == ["退回补正须写明需要补正的内容。"]
    assert claim.status == "in_review"


def test_a_return_with_its_comment_is_shown_prominently_to_the_bank(client, npl, as_user, page):
    claim = _submitted(npl)
    claims.review(npl["fsc"], claim.id, "return", "保证合同缺少保证人签字页，请补充上传。")
    as_user("teller")

    html = page(f"/claims/{claim.id}")

    notice = re.search(r'<div class="notice notice--danger returned".*?</div>', html, re.S).group(0)
    assert "区金融服务中心已于2024年9月30日退回补正" in notice
    assert "保证合同缺少保证人签字页，请补充上传。" in notice and "重新提交" in notice
    assert f'action="/claims/{claim.id}/submit"' in html and "重新提交" in html


def test_the_opinion_is_refused_before_all_three_have_reviewed(client, npl, as_user):
    claim = _submitted(npl)
    claims.review(npl["zone"], claim.id, "approve")
    as_user("finance")

    page_html = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    html = client.post(f"/claims/{claim.id}/opinion", data={"op-decision": "approve"}).get_data(as_text=True)

    assert re.search(r'<fieldset class="plain-fieldset" disabled>', page_html)
    box = re.search(r'<form[^>]*action="/claims/\d+/opinion".*?</form>', html, re.S).group(0)
    assert "尚待行业主管部门、区金融服务中心审核，不能出具意见。" in box
    assert claim.status == "in_review" and claim.opinion_decision is None


def test_finance_approves_after_the_three_reviews(client, npl, as_user):
    claim = reviewed(npl, _submitted(npl))
    as_user("finance")

    response = client.post(f"/claims/{claim.id}/opinion", data={"op-decision": "approve"}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert claim.status == "approved" and claim.approved_amount == claim.compensation
    assert "同意补偿 ¥864,197.52" in flash_text(html) and "2024年10月15日前由另一位区财政局工作人员拨付" in flash_text(
        html
    )
    assert f'href="/claims/{claim.id}/opinion.pdf"' in html


def test_a_reduction_above_c_is_refused_beside_the_amount(client, npl, as_user, beside):
    claim = reviewed(npl, _submitted(npl))
    as_user("finance")

    html = client.post(
        f"/claims/{claim.id}/opinion",
        data={"op-decision": "reduce", "op-amount": "900000", "op-reason": "部分担保未落实"},
    ).get_data(as_text=True)

    assert any("不超过应补偿金额 ¥864,197.52" in e for e in beside(html, "op-amount"))
    assert 'value="900000"' in html and claim.status == "in_review"


def test_a_rejection_needs_a_reason_beside_it(client, npl, as_user, beside):
    claim = reviewed(npl, _submitted(npl))
    as_user("finance")

    html = client.post(f"/claims/{claim.id}/opinion", data={"op-decision": "reject"}).get_data(as_text=True)

    assert beside(html, "op-reason") == ["不予补偿须写明理由。"]


def test_a_user_of_two_departments_chooses_in_whose_name_to_review(client, npl, make_user, login, page):
    claim = _submitted(npl)
    make_user("both", roles=("zone", "industry"))
    login("both")

    html = page(f"/claims/{claim.id}")
    client.post(f"/claims/{claim.id}/review", data={"rv-role": "industry", "rv-decision": "approve"})

    assert 'name="rv-role"' in html
    assert set(claim_facts.current_reviews(claim)) == {"industry"}


def test_the_status_history_names_who_moved_the_claim(client, npl, as_user, page):
    claim = _submitted(npl)
    claims.review(npl["zone"], claim.id, "return", "请补充还款凭证")
    as_user("auditor")

    html = page(f"/claims/{claim.id}")

    history = re.search(r'<section class="panel" id="history">.*?</section>', html, re.S).group(0)
    assert "审核中 → </strong>" not in history
    assert "退回补正" in history and "请补充还款凭证" in history and "受理，进入会审" in history
