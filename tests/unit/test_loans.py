"""A loan's state follows from its history (domain/loans.py, domain/loan_input.py)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from eloan.domain.loan_input import parse_loan_input
from eloan.domain.loans import EventFact, LoanState, RepaymentFact, check_event, check_repayment, derive_state

D = Decimal


def test_a_new_loan_is_normal_with_its_whole_amount_outstanding():
    assert derive_state(D("100.00"), [], []) == LoanState(D("100.00"), "normal", None, None, None)


def test_overdue_then_npl_keeps_the_overdue_date_and_records_recognition():
    state = derive_state(D("100.00"), [], [EventFact("overdue", date(2024, 5, 1)), EventFact("npl", date(2024, 8, 1))])
    assert (state.status, state.overdue_since, state.npl_recognised_on) == ("npl", date(2024, 5, 1), date(2024, 8, 1))


def test_a_repayment_on_the_day_of_an_event_counts_before_it():
    state = derive_state(D("100.00"), [RepaymentFact(date(2024, 5, 1), D("100.00"))],
                         [EventFact("overdue", date(2024, 5, 1))])
    assert state.status == "overdue" and state.outstanding == D("0.00")


def test_full_repayment_closes_the_loan_on_that_day():
    state = derive_state(D("100.00"), [RepaymentFact(date(2024, 3, 1), D("60.00")),
                                       RepaymentFact(date(2024, 4, 1), D("40.00"))], [])
    assert (state.status, state.closed_on) == ("repaid", date(2024, 4, 1))


def test_npl_before_maturity_needs_an_overdue_first():
    normal = derive_state(D("1.00"), [], [])
    found = check_event(normal, "npl", date(2024, 6, 1), drawdown_date=date(2024, 1, 1),
                        maturity_date=date(2024, 12, 31), today=date(2024, 6, 2), last_event_date=None)
    assert [v.code for v in found] == ["npl_not_allowed"]


def test_npl_after_maturity_is_allowed_without_an_overdue_event():
    normal = derive_state(D("1.00"), [], [])
    assert check_event(normal, "npl", date(2025, 1, 2), drawdown_date=date(2024, 1, 1),
                       maturity_date=date(2024, 12, 31), today=date(2025, 1, 3), last_event_date=None) == []


def test_npl_is_not_undone_by_a_cure():
    npl = derive_state(D("1.00"), [], [EventFact("overdue", date(2024, 5, 1)), EventFact("npl", date(2024, 6, 1))])
    found = check_event(npl, "cured", date(2024, 6, 2), drawdown_date=date(2024, 1, 1),
                        maturity_date=date(2024, 12, 31), today=date(2024, 6, 3), last_event_date=date(2024, 6, 1))
    assert [v.code for v in found] == ["invalid_event"]


def test_repaying_more_than_outstanding_is_an_overpayment():
    state = derive_state(D("100.00"), [], [])
    found = check_repayment(state, D("100.01"), D("0"), date(2024, 2, 1), drawdown_date=date(2024, 1, 1),
                            today=date(2024, 2, 2))
    assert [v.code for v in found] == ["overpayment"]


@given(st.lists(st.integers(min_value=1, max_value=10_000), max_size=20))
def test_outstanding_is_the_amount_less_every_principal_repaid(parts):
    amount = D(sum(parts) + 1) / 100
    repayments = [RepaymentFact(date(2024, 1, 1 + i % 28), D(p) / 100) for i, p in enumerate(parts)]
    state = derive_state(amount, repayments, [])
    assert state.outstanding == amount - sum((r.principal for r in repayments), D(0))
    assert state.outstanding > 0 and state.status == "normal"


def test_loan_input_accepts_guarantee_labels_separated_as_in_a_spreadsheet():
    data, problems = parse_loan_input({"contract_no": "HT-1", "enterprise_uscc": "91370405ma0000001p",
                                       "amount": "1,000,000.00", "rate_percent": "3.60%", "contract_date": "2024-06-03",
                                       "drawdown_date": "2024/06/05", "maturity_date": "2025-06-05",
                                       "guarantees": "法定代表人、配偶"})
    assert problems == []
    assert data.guarantees == ("legal_rep", "spouse") and data.amount == D("1000000.00")
    assert data.enterprise_uscc == "91370405MA0000001P" and data.rate_percent == D("3.60")


def test_loan_input_reports_every_bad_field():
    _, problems = parse_loan_input({"amount": 1.5, "rate_percent": "3.123456", "contract_date": "06/03/2024"})
    assert {p.field for p in problems} >= {"contract_no", "enterprise_uscc", "amount", "rate_percent",
                                           "contract_date", "drawdown_date", "maturity_date"}
