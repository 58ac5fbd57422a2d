"""What a claim's page offers whom: the generated forms as PDFs, provisional deadlines marked 暂定, the
menu entries, a reader's page without forms, and a claim form working with CSRF on."""

from __future__ import annotations

import re
from urllib.parse import quote

from eloan.extensions import db
from eloan.services import claims
from tests.fixtures.claims import approved_claim, complete


def test_attachment_2_downloads_as_a_pdf(client, npl, as_user):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller")

    response = client.get(f"/claims/{claim.id}/attachment-2.pdf?for_signature=1")

    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert quote("供签字盖章") in response.headers["Content-Disposition"]


def test_the_opinion_prints_once_given(client, npl, as_user):
    claim = approved_claim(npl)
    as_user("fsc")

    response = client.get(f"/claims/{claim.id}/opinion.pdf")

    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_there_is_no_opinion_to_print_before_it_is_given(client, npl, as_user):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("finance")

    assert client.get(f"/claims/{claim.id}/opinion.pdf").status_code == 404


def test_a_provisional_deadline_is_marked_as_such(client, npl, as_user, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    claim.filing_deadline_provisional = True
    db.session.commit()
    as_user("teller")

    detail, listing = page(f"/claims/{claim.id}"), page("/claims/")

    assert re.search(r'<span class="tag tag--provisional"[^>]*>暂定</span>', detail)
    assert re.search(r'<span class="tag tag--provisional"[^>]*>暂定</span>', listing)


def test_the_menu_leads_to_the_claims_and_the_fund(client, npl, as_user, page):
    as_user("finance")
    finance_menu = re.search(r'<nav class="site-nav".*?</nav>', page("/"), re.S).group(0)
    as_user("teller")
    bank_menu = re.search(r'<nav class="site-nav".*?</nav>', page("/"), re.S).group(0)

    assert ">补偿申请<" in finance_menu and ">风险补偿资金<" in finance_menu
    assert ">本行补偿申请<" in bank_menu and "风险补偿资金" not in bank_menu


def test_the_auditor_reads_a_claim_without_any_form(client, npl, as_user, page):
    claim = approved_claim(npl)
    as_user("auditor")

    html = page(f"/claims/{claim.id}")

    assert "¥864,197.52" in html and 'method="post" action="/claims' not in html


def test_submitting_works_with_csrf_on(csrf_client, csrf_as, npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    csrf_as("teller")

    response = csrf_client.post(
        f"/claims/{claim.id}/submit",
        data={"sub-csrf_token": csrf_as.token(f"/claims/{claim.id}", "sub"), "sub-collection_measures": "催收"},
    )

    assert response.status_code == 302 and claim.status == "in_review"
