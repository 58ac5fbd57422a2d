"""The fund's ledger, recoveries after payout (第十七条) and fraud clawback (第十九条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from eloan.domain.errors import RuleViolation, StateConflict
from eloan.models import Clawback
from eloan.services import claim_facts, claims, fund, loans, recoveries
from tests.fixtures.claims import approved_claim, fund_with, ledger_total
from tests.fixtures.loans import loan_body


def test_appropriations_beyond_the_fund_scale_are_refused(programme):
    fund.appropriate(programme["finance"], "10000000.00", date(2024, 1, 2), "首期")
    fund.appropriate(programme["finance"], "90000000.00", date(2024, 3, 1), "二期")
    with pytest.raises(RuleViolation) as caught:
        fund.appropriate(programme["finance"], "0.01", date(2024, 4, 1))
    assert caught.value.codes == ["fund_scale_exceeded"]
    assert fund.account().balance == Decimal("100000000.00")


def test_the_ledger_keeps_a_running_balance_that_equals_the_sum_of_entries(npl):
    fund_with(npl, "1000000.00")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))
    items, _total = fund.entries(npl["finance"])
    assert [e.balance_after for e in items] == [Decimal("1000000.00"), Decimal("135802.48")]
    assert ledger_total() == fund.account().balance == items[-1].balance_after


def test_a_correction_reverses_an_entry_and_nothing_is_deleted(programme):
    entry = fund.appropriate(programme["finance"], "1000.00", date(2024, 1, 2), "录入错误")
    fund.correct(programme["finance"], entry.id, "金额录错")
    assert fund.account().balance == Decimal("0.00") and fund.account().appropriated == Decimal("0.00")
    assert fund.entries(programme["finance"])[1] == 2
    with pytest.raises(StateConflict):
        fund.correct(programme["finance"], entry.id, "再冲一次")


def test_leverage_is_outstanding_programme_loans_over_the_balance(programme):
    loans.register(programme["teller"], loan_body(amount="3000000.00"))
    fund.appropriate(programme["finance"], "1000000.00", date(2024, 1, 2))
    summary = fund.summary(programme["finance"])
    assert summary.outstanding_loans == Decimal("3000000.00") and summary.leverage == Decimal("3.00")


def test_a_recovery_is_split_by_the_fund_ratio_as_in_the_policy_example(npl):
    # P = 1,000,000, f = 70 %, C = 700,000; R = 100,000 → fund 70,000, bank 30,000.
    teller = npl["teller"]
    loan = loans.register(teller, loan_body(2, amount="1000000.00", contract_no="HT-R"))
    loans.record_event(teller, loan.id, "overdue", date(2024, 9, 2))
    loans.record_event(teller, loan.id, "npl", date(2024, 9, 27), proof=(b"%PDF-1.4", "p.pdf"))
    npl["loan"] = loan
    fund_with(npl, "1000000.00")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))
    recovery = recoveries.report_recovery(teller, claim.id, date(2024, 9, 30), "100000.00")
    assert (recovery.fund_part, recovery.bank_part) == (Decimal("70000.00"), Decimal("30000.00"))
    assert claim_facts.owed_to_fund(claim) == Decimal("70000.00")
    recoveries.remit(npl["finance"], recovery.id, date(2024, 9, 30), "追偿款返还")
    assert claim_facts.owed_to_fund(claim) == Decimal("0.00")
    assert fund.account().balance == Decimal("1000000.00") - Decimal("700000.00") + Decimal("70000.00")


def test_the_funds_recoveries_never_exceed_what_it_paid(npl):
    fund_with(npl, "1000000.00")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))
    recoveries.report_recovery(npl["teller"], claim.id, date(2024, 9, 30), "1234567.89")
    extra = recoveries.report_recovery(npl["teller"], claim.id, date(2024, 9, 30), "500000.00")
    assert extra.fund_part == Decimal("0.00") and extra.bank_part == Decimal("500000.00")
    assert claim_facts.fund_recovered(claim) == Decimal("864197.52")


def test_a_recovery_before_payout_is_refused(npl):
    claim = approved_claim(npl)
    with pytest.raises(StateConflict):
        recoveries.report_recovery(npl["teller"], claim.id, date(2024, 9, 30), "1.00")


def test_fraud_disqualifies_the_bank_and_raises_a_clawback_of_what_was_paid_and_not_returned(npl, db):
    fund_with(npl, "1000000.00")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))
    recovery = recoveries.report_recovery(npl["teller"], claim.id, date(2024, 9, 30), "100000.00")
    recoveries.remit(npl["finance"], recovery.id, date(2024, 9, 30))
    recoveries.mark_fraud(npl["finance"], claim.id, "伪造还款凭证")
    assert claim.status == "clawed_back" and claim.bank.status == "disqualified"
    clawback = db.session.scalars(select(Clawback)).one()
    assert clawback.amount == Decimal("864197.52") - Decimal("70000.00")
    recoveries.receive_clawback(npl["finance"], clawback.id, "500000.00", date(2024, 9, 30), "追缴第一笔")
    with pytest.raises(RuleViolation) as caught:
        recoveries.receive_clawback(npl["finance"], clawback.id, "294197.53", date(2024, 9, 30))
    assert caught.value.codes == ["overpayment"]
    assert claim_facts.clawback_received(clawback) == Decimal("500000.00")


def test_after_fraud_the_banks_new_loans_and_claims_are_refused(npl):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    recoveries.mark_fraud(npl["finance"], claim.id, "虚构贷款用途")
    assert claim.status == "rejected"
    with pytest.raises(RuleViolation) as caught:
        loans.register(npl["teller"], loan_body(2, contract_no="HT-NEW", amount="1.00"))
    assert "bank_not_active" in caught.value.codes
    with pytest.raises(RuleViolation) as caught:
        claims.open_claim(npl["teller"], npl["loan"].id)
    assert "bank_not_active" in caught.value.codes


def test_after_fraud_a_pending_recovery_is_collected_as_clawback_not_remitted(npl):
    fund_with(npl, "1000000.00")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8))
    recovery = recoveries.report_recovery(npl["teller"], claim.id, date(2024, 9, 30), "100000.00")
    recoveries.mark_fraud(npl["finance"], claim.id, "伪造凭证")
    with pytest.raises(StateConflict) as caught:
        recoveries.remit(npl["finance"], recovery.id, date(2024, 9, 30))
    assert caught.value.code == "claim_fraud"
