"""Claims from filing to payout (第十五、十六条; POLICY.md §7), with the policy's worked examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from eloan.domain.errors import Forbidden, RuleViolation, StateConflict
from eloan.models import Notification
from eloan.services import claim_facts, claims, fund, loans
from tests.fixtures.claims import PDF, approved_claim, complete, fund_with, reviewed
from tests.fixtures.loans import loan_body


def test_a_claim_on_the_policy_example_computes_p_f_and_c(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    assert claim.principal == Decimal("1234567.89")
    assert (claim.bank_share, claim.fund_ratio) == (Decimal("0.3000"), Decimal("0.7000"))
    assert claim.compensation == Decimal("864197.52") and claim.status == "draft"


def test_the_filing_deadline_is_five_working_days_after_recognition_across_national_day(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    assert claim.filing_deadline == date(2024, 10, 10) and claim.filing_deadline_provisional is False


def test_repayments_after_recognition_do_not_reduce_p(npl):
    loans.record_repayment(npl["teller"], npl["loan"].id, date(2024, 9, 29), "34567.89", "0")
    assert claims.open_claim(npl["teller"], npl["loan"].id).principal == Decimal("1234567.89")


def test_only_an_npl_loan_can_be_claimed(npl):
    other = loans.register(npl["teller"], loan_body(2, contract_no="HT-OK"))
    with pytest.raises(RuleViolation) as caught:
        claims.open_claim(npl["teller"], other.id)
    assert caught.value.codes == ["loan_not_npl"]


def test_a_loan_marked_not_compensable_cannot_be_claimed(npl):
    loans.mark_not_compensable(npl["finance"], npl["loan"].id, "违反第八条")
    with pytest.raises(RuleViolation) as caught:
        claims.open_claim(npl["teller"], npl["loan"].id)
    assert caught.value.codes == ["loan_not_compensable"]


def test_submission_without_every_material_is_refused_naming_what_is_missing(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    claims.add_document(npl["teller"], claim.id, "contracts", PDF, "c.pdf")
    with pytest.raises(RuleViolation) as caught:
        claims.submit(npl["teller"], claim.id)
    assert caught.value.codes == ["materials_incomplete"]
    assert "不良贷款认定证明" in caught.value.violations[0].message


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    with pytest.raises(RuleViolation) as caught:
        claims.add_document(npl["teller"], claim.id, "contracts", b"PK\x03\x04 a zip", "contract.pdf")
    assert caught.value.codes == ["file_type_not_allowed"]


def test_submission_after_the_deadline_is_refused_until_finance_extends_it(npl, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    today("2024-10-11")
    with pytest.raises(RuleViolation) as caught:
        claims.submit(npl["teller"], claim.id)
    assert caught.value.codes == ["filing_deadline_passed"]
    claims.grant_extension(npl["finance"], claim.id, date(2024, 10, 18), "银行系统故障，材料延误")
    assert claims.submit(npl["teller"], claim.id).status == "in_review"


def test_submission_on_the_last_day_is_in_time(npl, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    today("2024-10-10")
    assert claims.submit(npl["teller"], claim.id).status == "in_review"


def test_acceptance_sets_the_opinion_deadline_fifteen_days_on(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    # Accepted Mon 2024-09-30: +15 = Tue 2024-10-15, a working day.
    assert (claim.accepted_on, claim.opinion_deadline) == (date(2024, 9, 30), date(2024, 10, 15))


def test_a_return_goes_back_to_the_bank_and_resubmission_restarts_the_opinion_clock(npl, today):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    claims.review(npl["zone"], claim.id, "approve")
    claims.review(npl["industry"], claim.id, "return", "担保合同缺少签字页")
    assert claim.status == "returned"
    today("2024-10-21")  # past the filing deadline: a resubmission is not a late filing
    claims.add_document(npl["teller"], claim.id, "contracts", PDF, "contracts-fixed.pdf")
    claims.submit(npl["teller"], claim.id)
    assert claim.accepted_on == date(2024, 10, 21) and claim.opinion_deadline == date(2024, 11, 5)
    assert claim_facts.current_reviews(claim) == {}


def test_the_opinion_waits_for_all_three_reviews(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    claims.review(npl["zone"], claim.id, "approve")
    with pytest.raises(StateConflict) as caught:
        claims.give_opinion(npl["finance"], claim.id, "approve")
    assert caught.value.code == "reviews_pending" and "行业主管部门" in caught.value.message


def test_a_reduced_opinion_needs_a_reason_and_an_amount_not_above_c(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    reviewed(npl, claim)
    with pytest.raises(RuleViolation):
        claims.give_opinion(npl["finance"], claim.id, "reduce", "800000.00")
    with pytest.raises(RuleViolation):
        claims.give_opinion(npl["finance"], claim.id, "reduce", "864197.53", "超出")
    claims.give_opinion(npl["finance"], claim.id, "reduce", "800000.00", "部分担保已代偿")
    assert claim.approved_amount == Decimal("800000.00") and claim.status == "approved"
    assert claim.payout_deadline == date(2024, 10, 15)


def test_a_rejection_needs_a_reason_and_is_final(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    complete(npl["teller"], claim)
    claims.submit(npl["teller"], claim.id)
    reviewed(npl, claim)
    claims.give_opinion(npl["finance"], claim.id, "reject", reason="贷款发放时企业不在名单内")
    assert claim.status == "rejected"
    with pytest.raises(StateConflict):
        claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))


def test_the_opinion_author_cannot_also_pay(npl):
    claim = approved_claim(npl)
    fund_with(npl, "10000000.00")
    with pytest.raises(Forbidden) as caught:
        claims.pay(npl["finance"], claim.id, date(2024, 10, 8))
    assert caught.value.code == "four_eyes"


def test_payout_debits_the_fund_once(npl):
    claim = approved_claim(npl)
    fund_with(npl, "10000000.00")
    payout = claims.pay(npl["finance2"], claim.id, date(2024, 10, 8), "国库支付 2024-118")
    assert payout.amount == Decimal("864197.52") and claim.status == "paid"
    assert fund.account().balance == Decimal("9135802.48")
    with pytest.raises(StateConflict) as caught:
        claims.pay(npl["finance2"], claim.id, date(2024, 10, 9))
    assert caught.value.code == "already_paid"


def test_a_short_fund_leaves_the_claim_awaiting_funds_and_tells_finance(npl, db):
    claim = approved_claim(npl)
    fund_with(npl, "500000.00")
    with pytest.raises(StateConflict) as caught:
        claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))
    assert caught.value.code == "insufficient_funds"
    assert claim.status == "awaiting_funds" and fund.account().balance == Decimal("500000.00")
    assert db.session.scalars(select(Notification).where(Notification.kind == "insufficient_funds")).all()
    fund_with(npl, "500000.00", date(2024, 10, 9))
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 9))
    assert claim.status == "paid" and fund.account().balance == Decimal("135802.48")


def test_a_bank_sees_only_its_own_claims(npl):
    from eloan.domain.errors import NotFound

    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    with pytest.raises(NotFound):
        claims.get(npl["teller2"], claim.id)
    assert claims.search(npl["teller2"])[1] == 0
