"""The home pages point at the loans that need following up: overdue ones, and NPL ones whose claim
period of 第十五条 is running."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.services import loans
from tests.fixtures.loans import loan_body


@pytest.fixture()
def troubled(programme):
    teller = programme["teller"]
    late = loans.register(teller, loan_body(1, contract_no="HT-LATE", amount="200000.00"))
    bad = loans.register(teller, loan_body(2, contract_no="HT-BAD", amount="300000.00"))
    loans.record_event(teller, late.id, "overdue", date(2024, 6, 14))
    loans.record_event(teller, bad.id, "overdue", date(2024, 6, 12))
    loans.record_event(teller, bad.id, "npl", date(2024, 6, 19), proof=(b"%PDF-1.4 p", "p.pdf"))
    return programme


def test_the_bank_home_lists_an_overdue_loan_and_an_npl_loan_with_its_claim_deadline(client, troubled, as_user, page):
    as_user("teller")

    html = page("/")

    assert "贷款 HT-LATE（" in html and "自2024年6月14日起，余额 ¥200,000.00" in html
    assert "贷款 HT-BAD（" in html and "已认定不良，尚未申请补偿" in html and "申请期限 2024年6月26日" in html


def test_another_bank_home_shows_none_of_them(client, troubled, as_user, page):
    as_user("teller2")

    html = page("/")

    assert "HT-LATE" not in html and "HT-BAD" not in html


def test_the_finance_home_counts_loans_to_follow_up_with_their_bank(client, troubled, as_user, page):
    as_user("finance")

    html = page("/")

    assert "B1银行台儿庄支行，自2024年6月14日起" in html
    assert "逾期待跟进</dt><dd>1 笔" in html and "不良未申请补偿</dt><dd>1 笔" in html
