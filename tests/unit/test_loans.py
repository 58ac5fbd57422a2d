"""A loan's state follows from its history (domain/loans.py, domain/loan_input.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from eloan.domain.errors import Violation
from eloan.domain.loan_input import parse_loan_input
from eloan.domain.loans import EventFact, LoanState, RepaymentFact, check_event, check_repayment, derive_state

D = Decimal


def test_a_new_loan_is_normal_with_its_whole_amount_outstanding():
    assert derive_state(D("100.00"), [], []) == LoanState(D("100.00"), "normal", None, None, None)


def test_overdue_then_npl_keeps_the_overdue_date_and_records_recognition():
    state = derive_state(D("100.00"), [], [EventFact("overdue", date(2024, 5, 1)), EventFact("npl", date(2024, 8, 1))])
    assert (state.status, state.overdue_since, state.npl_recognised_on) == ("npl", date(2024, 5, 1), date(2024, 8, 1))


def test_a_repayment_on_the_day_of_an_event_counts_before_it():
    state = derive_state(
        D("100.00"), [RepaymentFact(date(2024, 5, 1), D("100.00"))], [EventFact("overdue", date(2024, 5, 1))]
    )
    assert state.status == "overdue" and state.outstanding == D("0.00")


def test_full_repayment_closes_the_loan_on_that_day():
    state = derive_state(
        D("100.00"), [RepaymentFact(date(2024, 3, 1), D("60.00")), RepaymentFact(date(2024, 4, 1), D("40.00"))], []
    )
    assert (state.status, state.closed_on) == ("repaid", date(2024, 4, 1))


def test_npl_before_maturity_needs_an_overdue_first():
    normal = derive_state(D("1.00"), [], [])
    found = check_event(
        normal,
        "npl",
        date(2024, 6, 1),
        drawdown_date=date(2024, 1, 1),
        maturity_date=date(2024, 12, 31),
        today=date(2024, 6, 2),
        last_event_date=None,
    )
    assert [v.code for v in found] == ["npl_not_allowed"]


def test_npl_after_maturity_is_allowed_without_an_overdue_event():
    normal = derive_state(D("1.00"), [], [])
    assert (
        check_event(
            normal,
            "npl",
            date(2025, 1, 2),
            drawdown_date=date(2024, 1, 1),
            maturity_date=date(2024, 12, 31),
            today=date(2025, 1, 3),
            last_event_date=None,
        )
        == []
    )


def test_npl_is_not_undone_by_a_cure():
    npl = derive_state(D("1.00"), [], [EventFact("overdue", date(2024, 5, 1)), EventFact("npl", date(2024, 6, 1))])
    found = check_event(
        npl,
        "cured",
        date(2024, 6, 2),
        drawdown_date=date(2024, 1, 1),
        maturity_date=date(2024, 12, 31),
        today=date(2024, 6, 3),
        last_event_date=date(2024, 6, 1),
    )
    assert [v.code for v in found] == ["invalid_event"]


def test_repaying_more_than_outstanding_is_an_overpayment():
    state = derive_state(D("100.00"), [], [])
    found = check_repayment(
        state, D("100.01"), D("0"), date(2024, 2, 1), drawdown_date=date(2024, 1, 1), today=date(2024, 2, 2)
    )
    assert [v.code for v in found] == ["overpayment"]


@given(st.lists(st.integers(min_value=1, max_value=10_000), max_size=20))
def test_outstanding_is_the_amount_less_every_principal_repaid(parts):
    amount = D(sum(parts) + 1) / 100
    repayments = [RepaymentFact(date(2024, 1, 1 + i % 28), D(p) / 100) for i, p in enumerate(parts)]
    state = derive_state(amount, repayments, [])
    assert state.outstanding == amount - sum((r.principal for r in repayments), D(0))
    assert state.outstanding > 0 and state.status == "normal"


def test_loan_input_accepts_guarantee_labels_separated_as_in_a_spreadsheet():
    data, problems = parse_loan_input(
        {
            "contract_no": "HT-1",
            "enterprise_uscc": "91370405ma0000001p",
            "amount": "1,000,000.00",
            "rate_percent": "3.60%",
            "contract_date": "2024-06-03",
            "drawdown_date": "2024/06/05",
            "maturity_date": "2025-06-05",
            "guarantees": "法定代表人、配偶",
        }
    )
    assert problems == []
    assert data.guarantees == ("legal_rep", "spouse") and data.amount == D("1000000.00")
    assert data.enterprise_uscc == "91370405MA0000001P" and data.rate_percent == D("3.60")


def test_loan_input_reports_every_bad_field():
    _, problems = parse_loan_input({"amount": 1.5, "rate_percent": "3.123456", "contract_date": "06/03/2024"})
    assert {p.field for p in problems} >= {
        "contract_no",
        "enterprise_uscc",
        "amount",
        "rate_percent",
        "contract_date",
        "drawdown_date",
        "maturity_date",
    }


# ---- the history replayed (第七、八条; POLICY.md §6) ---------------------------------------------------------

DRAWN, MATURES = date(2024, 1, 1), date(2024, 12, 31)


def test_a_cured_overdue_loan_is_normal_again_with_its_balance():
    state = derive_state(
        D("100.00"),
        [RepaymentFact(date(2024, 4, 1), D("30.00"))],
        [EventFact("overdue", date(2024, 5, 1)), EventFact("cured", date(2024, 5, 20))],
    )
    assert state == LoanState(D("70.00"), "normal", None, None, None)


def test_an_npl_without_an_overdue_event_counts_as_overdue_from_its_recognition():
    state = derive_state(D("100.00"), [], [EventFact("npl", date(2025, 1, 2))])
    assert state == LoanState(D("100.00"), "npl", date(2025, 1, 2), date(2025, 1, 2), None)


def test_a_write_off_keeps_the_balance_and_the_dates_and_closes_the_loan():
    state = derive_state(
        D("100.00"),
        [RepaymentFact(date(2024, 3, 1), D("10.00"))],
        [
            EventFact("overdue", date(2024, 5, 1)),
            EventFact("npl", date(2024, 8, 1)),
            EventFact("written_off", date(2024, 11, 1)),
        ],
    )
    assert state == LoanState(D("90.00"), "written_off", date(2024, 5, 1), date(2024, 8, 1), date(2024, 11, 1))


def test_a_written_off_loan_recovered_in_full_stays_written_off():
    state = derive_state(
        D("100.00"),
        [RepaymentFact(date(2024, 12, 1), D("100.00"))],
        [
            EventFact("overdue", date(2024, 5, 1)),
            EventFact("npl", date(2024, 8, 1)),
            EventFact("written_off", date(2024, 11, 1)),
        ],
    )
    assert (state.status, state.outstanding, state.closed_on) == ("written_off", D("0.00"), date(2024, 11, 1))


def test_a_partial_repayment_keeps_the_overdue_and_npl_dates_and_leaves_the_loan_open():
    overdue = derive_state(
        D("100.00"), [RepaymentFact(date(2024, 6, 1), D("40.00"))], [EventFact("overdue", date(2024, 5, 1))]
    )
    assert overdue == LoanState(D("60.00"), "overdue", date(2024, 5, 1), None, None)
    npl = derive_state(
        D("100.00"),
        [RepaymentFact(date(2024, 9, 1), D("40.00"))],
        [EventFact("overdue", date(2024, 5, 1)), EventFact("npl", date(2024, 8, 1))],
    )
    assert npl == LoanState(D("60.00"), "npl", date(2024, 5, 1), date(2024, 8, 1), None)


def test_the_history_is_replayed_by_date_whatever_order_it_is_given_in():
    # Overdue in May, then repaid in full in June: repaid, even though the event is listed after the repayment.
    state = derive_state(
        D("100.00"), [RepaymentFact(date(2024, 6, 1), D("100.00"))], [EventFact("overdue", date(2024, 5, 1))]
    )
    assert (state.status, state.closed_on) == ("repaid", date(2024, 6, 1))


def test_two_repayments_on_the_same_day_both_count():
    state = derive_state(
        D("100.00"), [RepaymentFact(date(2024, 6, 1), D("30.00")), RepaymentFact(date(2024, 6, 1), D("20.00"))], []
    )
    assert state == LoanState(D("50.00"), "normal", None, None, None)


# ---- what a bank may record (check_repayment, check_event) ----------------------------------------------------


def repayment(state, principal, interest="0.00", paid_on=date(2024, 6, 1), today=date(2024, 6, 1)):
    return check_repayment(state, D(principal), D(interest), paid_on, drawdown_date=DRAWN, today=today)


def test_repaying_exactly_the_outstanding_amount_is_accepted():
    assert repayment(derive_state(D("100.00"), [], []), "100.00") == []


def test_the_overpayment_refusal_names_both_amounts_on_the_principal_field():
    assert repayment(derive_state(D("100.00"), [], []), "100.01") == [
        Violation("overpayment", "还款本金 ¥100.01 超过贷款余额 ¥100.00。", "第七条", "principal")
    ]


def test_a_closed_loan_takes_no_more_repayments():
    repaid = derive_state(D("100.00"), [RepaymentFact(date(2024, 3, 1), D("100.00"))], [])
    assert repayment(repaid, "0.00", "1.00") == [Violation("loan_closed", "贷款已结清，不能再登记还款。")]
    written_off = derive_state(
        D("100.00"), [], [EventFact("npl", date(2025, 1, 2)), EventFact("written_off", date(2025, 2, 1))]
    )
    assert repayment(written_off, "0.00", "1.00") == [Violation("loan_closed", "贷款已核销，不能再登记还款。")]


def test_interest_alone_or_principal_alone_is_a_repayment():
    state = derive_state(D("100.00"), [], [])
    assert repayment(state, "0.00", "1.00") == []
    assert repayment(state, "1.00", "0.00") == []
    assert repayment(state, "0.01") == []


def test_a_negative_or_empty_repayment_is_refused_on_the_principal_field():
    state = derive_state(D("100.00"), [], [])
    refused = [Violation("invalid_amount", "还款本金和利息不能为负，且不能同时为零。", None, "principal")]
    assert repayment(state, "0.00", "0.00") == refused
    assert repayment(state, "-1.00", "5.00") == refused
    assert repayment(state, "5.00", "-1.00") == refused


def test_a_repayment_may_be_dated_from_the_drawdown_day_to_today():
    state = derive_state(D("100.00"), [], [])
    assert repayment(state, "1.00", paid_on=DRAWN) == []
    assert repayment(state, "1.00", paid_on=date(2024, 6, 1), today=date(2024, 6, 1)) == []
    assert repayment(state, "1.00", paid_on=date(2023, 12, 31)) == [
        Violation("invalid_dates", "日期 2023-12-31 早于提款日 2024-01-01。", None, "date")
    ]
    assert repayment(state, "1.00", paid_on=date(2024, 6, 2), today=date(2024, 6, 1)) == [
        Violation("date_in_future", "日期 2024-06-02 晚于今天 2024-06-01，不能登记尚未发生的事项。", None, "date")
    ]


def event(state, event_type, on, last=None, today=date(2025, 6, 1)):
    return check_event(
        state, event_type, on, drawdown_date=DRAWN, maturity_date=MATURES, today=today, last_event_date=last
    )


NORMAL = LoanState(D("100.00"), "normal", None, None, None)
OVERDUE = LoanState(D("100.00"), "overdue", date(2024, 5, 1), None, None)


def test_npl_on_exactly_the_maturity_date_still_needs_an_overdue_first():
    assert event(NORMAL, "npl", MATURES) == [
        Violation("npl_not_allowed", "贷款未逾期且未到期（到期日 2024-12-31），不能认定为不良。", "第十五条", "type")
    ]
    assert event(NORMAL, "npl", date(2025, 1, 1)) == []
    assert event(OVERDUE, "npl", date(2024, 8, 1)) == []


def test_an_unknown_event_is_refused_with_the_choices():
    assert event(NORMAL, "lost", date(2024, 6, 1)) == [
        Violation(
            "invalid_event",
            "未知的贷款状态事项“lost”，可选：overdue（逾期）、cured（逾期已纠正）、"
            "npl（认定为不良）、written_off（核销）。",
            None,
            "type",
        )
    ]


def test_events_are_recorded_in_date_order_and_two_may_share_a_day():
    assert event(OVERDUE, "npl", date(2024, 8, 1), last=date(2024, 8, 1)) == []
    assert event(OVERDUE, "npl", date(2024, 7, 31), last=date(2024, 8, 1)) == [
        Violation("invalid_dates", "事项日期 2024-07-31 早于上一事项日期 2024-08-01，请按时间顺序登记。", None, "date")
    ]


def test_an_event_is_dated_between_the_drawdown_and_today():
    assert event(NORMAL, "overdue", date(2023, 12, 31)) == [
        Violation("invalid_dates", "日期 2023-12-31 早于提款日 2024-01-01。", None, "date")
    ]
    assert event(NORMAL, "overdue", date(2025, 6, 2)) == [
        Violation("date_in_future", "日期 2025-06-02 晚于今天 2025-06-01，不能登记尚未发生的事项。", None, "date")
    ]


def test_only_an_overdue_loan_can_be_cured():
    assert event(OVERDUE, "cured", date(2024, 5, 20)) == []
    assert event(NORMAL, "cured", date(2024, 5, 20)) == [
        Violation("invalid_event", "贷款当前为“正常”，没有可纠正的逾期。", None, "type")
    ]


def test_an_event_that_would_not_change_the_status_or_is_not_a_transition_is_refused():
    assert event(OVERDUE, "overdue", date(2024, 6, 1)) == [
        Violation("invalid_event", "贷款当前为“逾期”，不能登记“逾期”。", None, "type")
    ]
    assert event(NORMAL, "written_off", date(2024, 6, 1)) == [
        Violation("invalid_event", "贷款当前为“正常”，不能登记“核销”。", None, "type")
    ]
    assert event(OVERDUE, "written_off", date(2024, 6, 1)) == []
