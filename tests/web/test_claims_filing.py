"""A bank files a claim (第十五条): opened from the NPL loan's page with P, the shares and C computed and
the filing deadline shown; the materials checklist with uploads; submission refused while a material is
missing, naming it, and accepted once all are there."""

from __future__ import annotations

import io
import re

from eloan.services import claim_facts, claims
from tests.fixtures.claims import PDF, complete
from tests.fixtures.web import flash_text


def _open(client, npl):
    return client.post("/claims/open", data={"loan_id": npl["loan"].id}, follow_redirects=True)


def test_the_bank_opens_a_claim_from_the_loan_page_and_sees_c_and_the_filing_deadline(client, npl, as_user, page):
    as_user("teller")
    loan_page = page(f"/loans/{npl['loan'].id}")
    assert "申请风险补偿" in loan_page and 'action="/claims/open"' in loan_page

    response = _open(client, npl)

    html = response.get_data(as_text=True)
    assert re.fullmatch(r"/claims/\d+", response.request.path)
    assert "应补偿 ¥864,197.52" in flash_text(html) and "请在2024年10月10日前" in flash_text(html)
    assert "¥1,234,567.89" in html and "30.00%" in html and "70.00%" in html and "¥864,197.52" in html
    assert "2024年10月10日" in html and "还剩 10 天" in html


def test_the_loan_page_links_to_the_claim_instead_of_offering_a_second_one(client, npl, as_user, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    html = page(f"/loans/{npl['loan'].id}")

    assert f'href="/claims/{claim.id}"' in html and 'action="/claims/open"' not in html


def test_submission_without_every_material_is_refused_naming_what_is_missing(client, npl, as_user):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    claims.add_document(npl["teller"], claim.id, "contracts", PDF, "合同.pdf")
    as_user("teller")

    html = client.post(f"/claims/{claim.id}/submit", data={"sub-collection_measures": "上门催收"}).get_data(
        as_text=True
    )

    box = re.search(r'<form[^>]*action="/claims/\d+/submit".*?</form>', html, re.S).group(0)
    assert "材料不全，还缺" in box and "风险补偿资金申请表" in box and "不良贷款认定证明" in box
    assert "上门催收" in box and claim.status == "draft"


def test_the_bank_uploads_a_material_and_the_checklist_shows_it(client, npl, as_user):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    response = client.post(
        f"/claims/{claim.id}/documents?kind=npl_proof",
        data={"doc-npl_proof-file": (io.BytesIO(PDF), "不良认定书.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "已上传“不良贷款认定证明”：不良认定书.pdf" in flash_text(html) and "还缺" in flash_text(html)
    document = claim_facts.current_documents(claim)["npl_proof"][0]
    assert f"/claims/{claim.id}/documents/{document.id}" in html


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_beside_the_upload(client, npl, as_user, beside):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    html = client.post(
        f"/claims/{claim.id}/documents?kind=contracts",
        data={"doc-contracts-file": (io.BytesIO(b"PK\x03\x04 zip"), "合同.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)

    assert beside(html, "doc-contracts-file") == ["只接受 PDF、JPEG 或 PNG 文件（按文件内容识别，不看扩展名）。"]


def test_a_complete_claim_is_submitted_and_accepted(client, npl, as_user):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    as_user("teller")

    response = client.post(
        f"/claims/{claim.id}/submit", data={"sub-collection_measures": "电话催收；起诉保证人"}, follow_redirects=True
    )

    message = flash_text(response.get_data(as_text=True))
    assert claim.status == "in_review" and claim.collection_measures == "电话催收；起诉保证人"
    assert f"补偿申请 #{claim.id} 已提交，2024年9月30日受理" in message and "2024年10月15日前出具意见" in message


def test_a_late_draft_shows_its_deadline_in_red_and_cannot_be_submitted(client, npl, as_user, today, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    today("2024-10-14")
    as_user("teller")

    html = page(f"/claims/{claim.id}")
    refused = client.post(f"/claims/{claim.id}/submit", data={}).get_data(as_text=True)

    assert "deadlines__item--overdue" in html and "已逾期 4 天" in html
    assert "申请期限已于 2024-10-10 届满" in refused and claim.status == "draft"


def test_finance_extends_a_late_draft_with_a_reason(client, npl, as_user, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    today("2024-10-14")
    as_user("finance")

    response = client.post(
        f"/claims/{claim.id}/extension",
        data={"ext-until": "2024-10-21", "ext-reason": "银行系统故障"},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "提交期限延至2024年10月21日" in flash_text(html) and claim.extended_until.isoformat() == "2024-10-21"
    assert "原期限 2024-10-10，经区财政局批准延期" in html and "还剩 7 天" in html


def test_the_list_shows_the_running_deadline_with_days_left(client, npl, as_user, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    html = page("/claims/")

    row = re.search(rf'<tr[^>]*>\s*<td class="nowrap"><a href="/claims/{claim.id}">.*?</tr>', html, re.S).group(0)
    assert "HT-NPL-1" in row and "¥864,197.52" in row and "2024-10-10" in row and "还剩 10 天" in row
    assert "草稿" in row


def test_the_list_marks_an_overdue_deadline_in_red(client, npl, as_user, today, page):
    claims.open_claim(npl["teller"], npl["loan"].id)
    today("2024-10-11")
    as_user("finance")

    html = page("/claims/?status=draft")

    assert 'class="row--overdue"' in html and "deadline--overdue" in html and "已逾期 1 天" in html


def test_the_checklist_links_the_generated_attachments(client, npl, as_user, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    html = page(f"/claims/{claim.id}")

    assert re.search(r'href="/lists/\d+/attachment-1.pdf"', html)
    assert f'href="/claims/{claim.id}/attachment-2.pdf?for_signature=1"' in html
