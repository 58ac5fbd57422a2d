"""Registering programme loans: every rule of POLICY.md §6, at its exact boundary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.errors import NotFound, RuleViolation
from eloan.services import banks, loans
from tests.fixtures.loans import loan_body


def codes(caught) -> set[str]:
    return set(caught.value.codes)


def test_a_loan_within_every_rule_is_registered(programme):
    loan = loans.register(programme["teller"], loan_body())
    assert loan.status == "normal" and loan.outstanding_principal == Decimal("1000000.00")
    assert loan.lpr_percent == Decimal("3.45") and loan.policy_code == "TZ-2023-9"


def test_rate_exactly_at_lpr_plus_60_basis_points_is_accepted(programme):
    assert loans.register(programme["teller"], loan_body(rate_percent="4.05")).rate_percent == Decimal("4.05")


def test_rate_one_basis_point_above_the_cap_is_refused_naming_the_numbers(programme):
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller"], loan_body(rate_percent="4.06"))
    assert codes(caught) == {"rate_above_cap"}
    message = caught.value.violations[0].message
    assert "4.06%" in message and "4.05%" in message and "3.45%" in message


def test_the_lpr_of_the_contract_date_sets_the_cap(programme, today):
    # 2024-07-22 the LPR fell to 3.35 %: the cap is 3.95 % for a contract signed that day.
    today("2024-08-01")
    with pytest.raises(RuleViolation) as caught:
        loans.register(
            programme["teller"],
            loan_body(
                rate_percent="4.00", contract_date="2024-07-22", drawdown_date="2024-07-22", maturity_date="2025-07-22"
            ),
        )
    assert codes(caught) == {"rate_above_cap"} and "3.95%" in caught.value.violations[0].message


def test_five_million_in_total_at_all_banks_is_accepted_and_one_fen_more_refused(programme):
    loans.register(programme["teller"], loan_body(amount="3000000.00"))
    loans.register(programme["teller2"], loan_body(contract_no="B2-1", amount="2000000.00"))
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller2"], loan_body(contract_no="B2-2", amount="0.01"))
    assert codes(caught) == {"enterprise_cap_exceeded"}


def test_repaid_principal_frees_room_under_the_cap(programme):
    first = loans.register(programme["teller"], loan_body(amount="5000000.00"))
    loans.record_repayment(programme["teller"], first.id, date(2024, 6, 10), "1000000.00", "0.00")
    assert loans.register(programme["teller2"], loan_body(contract_no="B2-1", amount="1000000.00"))


def test_twelve_months_from_2024_02_29_ends_on_2025_02_28(programme):
    ok = loan_body(
        contract_date="2024-02-29", drawdown_date="2024-02-29", maturity_date="2025-02-28", rate_percent="4.05"
    )
    assert loans.register(programme["teller"], ok).maturity_date == date(2025, 2, 28)
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller"], dict(ok, contract_no="HT-2", maturity_date="2025-03-01"))
    assert codes(caught) == {"term_too_long"}


def test_an_unlisted_enterprise_is_refused(programme):
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller"], loan_body(3))
    assert codes(caught) == {"not_on_list"}


def test_a_contract_signed_before_the_list_was_issued_is_refused(programme):
    with pytest.raises(RuleViolation) as caught:
        loans.register(
            programme["teller"],
            loan_body(
                contract_date="2024-01-14", drawdown_date="2024-01-15", maturity_date="2025-01-14", rate_percent="4.05"
            ),
        )
    assert codes(caught) == {"not_on_list"}


def test_guarantees_other_than_the_allowed_persons_are_refused(programme):
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller"], loan_body(guarantees=["legal_rep", "担保公司"]))
    assert codes(caught) == {"guarantee_not_allowed"}


def test_a_suspended_bank_cannot_register(programme):
    banks.change_status(programme["finance"], "B1", "suspended", "不良率超标")  # from today, 2024-06-20
    with pytest.raises(RuleViolation) as caught:
        loans.register(
            programme["teller"],
            loan_body(contract_date="2024-06-20", drawdown_date="2024-06-20", maturity_date="2025-06-20"),
        )
    assert codes(caught) == {"bank_not_active"}


def test_a_contract_date_with_no_policy_in_force_is_refused(programme):
    with pytest.raises(RuleViolation) as caught:
        loans.register(
            programme["teller"],
            loan_body(contract_date="2026-01-05", drawdown_date="2026-01-05", maturity_date="2026-12-31"),
        )
    assert codes(caught) == {"no_policy_in_force"}


def test_every_broken_rule_is_reported_at_once(programme):
    with pytest.raises(RuleViolation) as caught:
        loans.register(
            programme["teller"],
            loan_body(amount="6000000.00", rate_percent="5.00", maturity_date="2025-07-01", guarantees=["第三方"]),
        )
    assert codes(caught) == {"enterprise_cap_exceeded", "rate_above_cap", "term_too_long", "guarantee_not_allowed"}
    assert all(v.article for v in caught.value.violations)


def test_the_same_contract_number_twice_at_one_bank_is_refused(programme):
    loans.register(programme["teller"], loan_body(amount="100.00"))
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller"], loan_body(amount="100.00"))
    assert codes(caught) == {"duplicate_contract_no"}


def test_only_bank_users_register_loans(programme):
    from eloan.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        loans.register(programme["finance"], loan_body())


def test_repayments_reduce_the_outstanding_principal_and_a_full_one_closes_the_loan(programme):
    loan = loans.register(programme["teller"], loan_body())
    loans.record_repayment(programme["teller"], loan.id, date(2024, 6, 10), "400000.00", "3000.00")
    assert loan.outstanding_principal == Decimal("600000.00") and loan.status == "normal"
    loans.record_repayment(programme["teller"], loan.id, date(2024, 6, 15), "600000.00", "1500.00")
    assert loan.status == "repaid" and loan.closed_on == date(2024, 6, 15)


def test_more_principal_than_outstanding_is_an_overpayment(programme):
    loan = loans.register(programme["teller"], loan_body())
    with pytest.raises(RuleViolation) as caught:
        loans.record_repayment(programme["teller"], loan.id, date(2024, 6, 10), "1000000.01", "0")
    assert codes(caught) == {"overpayment"}
    assert loan.outstanding_principal == Decimal("1000000.00")


def test_npl_needs_the_loan_overdue_or_past_maturity(programme):
    loan = loans.register(programme["teller"], loan_body())
    with pytest.raises(RuleViolation) as caught:
        loans.record_event(programme["teller"], loan.id, "npl", date(2024, 6, 19), proof=(b"%PDF-1.4 x", "p.pdf"))
    assert codes(caught) == {"npl_not_allowed"}
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 15))
    loans.record_event(programme["teller"], loan.id, "npl", date(2024, 6, 19), proof=(b"%PDF-1.4 x", "p.pdf"))
    assert loan.status == "npl" and loan.npl_recognised_on == date(2024, 6, 19)


def test_npl_needs_a_proof_recognised_by_its_content(programme):
    loan = loans.register(programme["teller"], loan_body())
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 15))
    with pytest.raises(RuleViolation) as caught:
        loans.record_event(programme["teller"], loan.id, "npl", date(2024, 6, 19))
    assert codes(caught) == {"proof_required"}
    with pytest.raises(RuleViolation) as caught:
        loans.record_event(programme["teller"], loan.id, "npl", date(2024, 6, 19), proof=(b"MZ not a pdf", "p.pdf"))
    assert codes(caught) == {"file_type_not_allowed"}


def test_an_overdue_loan_flags_its_enterprise_at_once(programme):
    loan = loans.register(programme["teller"], loan_body())
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 15), "未按期还款")
    assert loan.enterprise.sanctioned is True


def test_a_cured_overdue_returns_to_normal(programme):
    loan = loans.register(programme["teller"], loan_body())
    loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 15))
    loans.record_event(programme["teller"], loan.id, "cured", date(2024, 6, 18))
    assert loan.status == "normal" and loan.overdue_since is None


def test_events_in_the_future_are_refused(programme):
    loan = loans.register(programme["teller"], loan_body())
    with pytest.raises(RuleViolation) as caught:
        loans.record_event(programme["teller"], loan.id, "overdue", date(2024, 6, 21))
    assert codes(caught) == {"date_in_future"}


def test_another_banks_loan_does_not_exist_for_a_bank_user(programme):
    loan = loans.register(programme["teller"], loan_body())
    for call in (
        lambda: loans.get(programme["teller2"], loan.id),
        lambda: loans.record_repayment(programme["teller2"], loan.id, date(2024, 6, 10), "1.00", "0"),
        lambda: loans.record_event(programme["teller2"], loan.id, "overdue", date(2024, 6, 10)),
    ):
        with pytest.raises(NotFound):
            call()
    assert loans.search(programme["teller2"])[1] == 0 and loans.search(programme["finance"])[1] == 1


def test_government_marks_a_loan_not_compensable_with_a_reason(programme):
    loan = loans.register(programme["teller"], loan_body())
    with pytest.raises(RuleViolation):
        loans.mark_not_compensable(programme["finance"], loan.id, "")
    loans.mark_not_compensable(programme["finance"], loan.id, "贷款用于偿还其他债务，违反第八条")
    assert loan.not_compensable is True and loan.status == "normal"


def test_a_second_banks_cap_refusal_does_not_reveal_the_first_banks_balance(programme):
    # Bank B1 lends ¥3,200,000.00; bank B2, with no loan there, asks for ¥2,000,000.00.
    loans.register(programme["teller"], loan_body(amount="3200000.00"))
    with pytest.raises(RuleViolation) as caught:
        loans.register(programme["teller2"], loan_body(contract_no="B2-1", amount="2000000.00"))
    (refusal,) = caught.value.violations
    assert refusal.code == "enterprise_cap_exceeded"
    assert "上限为 ¥5,000,000.00" in refusal.message and "可用额度 ¥1,800,000.00" in refusal.message
    assert "3,200,000.00" not in refusal.message and "5,200,000.00" not in refusal.message
