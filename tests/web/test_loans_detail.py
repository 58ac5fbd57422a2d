"""A loan's page: the timeline, the bank's repayments and events (an NPL only with its proof), the
departments' not-compensable marking, and the proof download for those who may see the loan."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from eloan.services import loans
from tests.fixtures.loans import loan_body
from tests.fixtures.web import flash_text

PDF = b"%PDF-1.4 npl recognition notice"


@pytest.fixture()
def loan(programme):
    return loans.register(programme["teller"], loan_body())


def _overdue(programme, loan):
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 12))


def test_a_repayment_lowers_the_outstanding_principal(client, loan, as_user):
    as_user("teller")

    response = client.post(
        f"/loans/{loan.id}/repayments",
        data={"rp-paid_on": "2024-06-10", "rp-principal": "100000.00", "rp-interest": "3000.00"},
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "已登记2024年6月10日的还款：本金 ¥100,000.00，利息 ¥3,000.00。贷款余额现为 ¥900,000.00" in flash_text(html)
    assert loan.outstanding_principal == 900000


def test_an_overpayment_is_refused_beside_the_principal(client, loan, as_user, beside):
    as_user("teller")

    response = client.post(
        f"/loans/{loan.id}/repayments",
        data={"rp-paid_on": "2024-06-10", "rp-principal": "1000000.01", "rp-interest": "0"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert beside(html, "rp-principal") == ["还款本金 ¥1,000,000.01 超过贷款余额 ¥1,000,000.00。（第七条）"]
    assert 'value="1000000.01"' in html and loan.outstanding_principal == 1000000


def test_an_npl_without_a_proof_is_refused_beside_the_upload(client, programme, loan, as_user, beside):
    _overdue(programme, loan)
    as_user("teller")

    response = client.post(
        f"/loans/{loan.id}/events", data={"ev-type": "npl", "ev-date": "2024-06-19"}, content_type="multipart/form-data"
    )

    html = response.get_data(as_text=True)
    assert any("须上传不良认定证明" in e and "第十五条" in e for e in beside(html, "ev-proof"))
    assert loan.status == "overdue"


def test_an_npl_with_a_pdf_proof_is_recorded_with_the_claim_deadline(client, programme, loan, as_user):
    _overdue(programme, loan)
    as_user("teller")

    response = client.post(
        f"/loans/{loan.id}/events",
        data={"ev-type": "npl", "ev-date": "2024-06-19", "ev-proof": (io.BytesIO(PDF), "不良认定.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    message = flash_text(response.get_data(as_text=True))
    assert loan.status == "npl" and loan.npl_recognised_on == date(2024, 6, 19)
    assert "已登记“认定为不良”（2024年6月19日）" in message and "请在2024年6月26日前" in message


def test_the_government_downloads_the_npl_proof(client, programme, loan, as_user):
    _overdue(programme, loan)
    event = loans.record_event(programme["teller"], loan.id, "npl", date(2024, 6, 19), proof=(PDF, "证明.pdf"))
    as_user("finance")

    html = client.get(f"/loans/{loan.id}").get_data(as_text=True)
    response = client.get(f"/loans/{loan.id}/events/{event.id}/proof")

    assert f"/loans/{loan.id}/events/{event.id}/proof" in html
    assert response.status_code == 200 and response.data == PDF and response.mimetype == "application/pdf"


def test_another_bank_gets_404_for_the_proof(client, programme, loan, as_user):
    _overdue(programme, loan)
    event = loans.record_event(programme["teller"], loan.id, "npl", date(2024, 6, 19), proof=(PDF, "证明.pdf"))
    as_user("teller2")

    assert client.get(f"/loans/{loan.id}/events/{event.id}/proof").status_code == 404


def test_the_timeline_lists_registration_repayments_and_events_in_date_order(client, programme, loan, as_user, page):
    loans.record_repayment(programme["teller"], loan.id, date(2024, 6, 15), "50000.00", "1200.00", "LS-001")
    _overdue(programme, loan)
    as_user("zone")

    html = page(f"/loans/{loan.id}")

    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    titles = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'<div class="timeline__title">([^<]*)', timeline)]
    dates = re.findall(r'<div class="timeline__date">([^<]*)</div>', timeline)
    assert titles == ["签订借款合同", "提款（贷款发放）", "逾期", "还款", "在本系统登记"]
    assert dates == ["2024年6月3日", "2024年6月5日", "2024年6月12日", "2024年6月15日", "2024年6月20日"]
    assert "LS-001" in timeline


def test_the_page_states_the_lpr_and_the_cap_on_the_contract_date(client, loan, as_user, page):
    as_user("fsc")

    html = page(f"/loans/{loan.id}")

    assert "合同签订日一年期LPR" in html and "3.45%" in html
    assert "利率上限（LPR + 60 个基点）" in html and "4.05%" in html


def test_finance_marks_a_loan_not_compensable_with_a_reason(client, loan, as_user):
    as_user("finance")

    response = client.post(
        f"/loans/{loan.id}/not-compensable", data={"nc-reason": "贷款资金用于偿还其他贷款"}, follow_redirects=True
    )

    html = response.get_data(as_text=True)
    assert "已认定合同 HT-2024-001 的贷款不予补偿（第八条）" in flash_text(html)
    assert loan.not_compensable and "认定不予补偿（第八条）" in html and "贷款资金用于偿还其他贷款" in html


def test_marking_not_compensable_without_a_reason_is_refused_beside_it(client, loan, as_user, beside):
    as_user("finance")

    html = client.post(f"/loans/{loan.id}/not-compensable", data={"nc-reason": " "}).get_data(as_text=True)

    assert beside(html, "nc-reason") == ["请写明不予补偿的理由。"]
    assert not loan.not_compensable


def test_a_department_sees_no_bank_forms_and_the_bank_no_marking(client, loan, as_user, page):
    as_user("industry")
    html = page(f"/loans/{loan.id}")
    assert "登记还款" not in html and "认定不予补偿" in html
    as_user("teller")
    html = page(f"/loans/{loan.id}")
    assert "登记还款" in html and 'name="nc-reason"' not in html


def test_a_repayment_works_with_csrf_on(csrf_client, csrf_as, loan):
    csrf_as("teller")

    response = csrf_client.post(
        f"/loans/{loan.id}/repayments",
        data={
            "rp-csrf_token": csrf_as.token(f"/loans/{loan.id}", "rp"),
            "rp-paid_on": "2024-06-10",
            "rp-principal": "1000.00",
            "rp-interest": "0",
        },
    )

    assert response.status_code == 302 and loan.outstanding_principal == 999000
