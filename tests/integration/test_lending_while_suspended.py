"""第十八条: a suspended bank makes no new loans from the suspension date; loans drawn before keep their place,
even when registered late, and a resumed bank cannot register loans drawn while it was suspended."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.domain.eligibility import bank_status_on
from eloan.domain.errors import RuleViolation
from eloan.services import banks, loans
from tests.fixtures.loans import loan_body


def test_the_status_on_a_date_comes_from_the_dated_changes():
    history = [
        (date(2024, 1, 1), 1, "active", None),
        (date(2024, 6, 10), 2, "suspended", "active"),
        (date(2024, 6, 18), 3, "active", "suspended"),
    ]
    assert bank_status_on(history, date(2024, 6, 9), "active") == "active"
    assert bank_status_on(history, date(2024, 6, 10), "active") == "suspended"
    assert bank_status_on(history, date(2024, 6, 18), "active") == "active"
    assert bank_status_on(history, date(2024, 6, 12), "disqualified") == "disqualified"  # final (第十九条)
    assert bank_status_on(history[1:], date(2024, 5, 1), "active") == "active"  # before the first change: its from


def test_a_loan_drawn_before_the_suspension_is_still_registered(programme, today):
    banks.change_status(programme["finance"], "B1", "suspended", "不良率超标", effective_on=date(2024, 6, 10))
    loan = loans.register(programme["teller"], loan_body(drawdown_date="2024-06-05"))
    assert loan.id is not None


def test_a_loan_drawn_on_or_after_the_suspension_is_refused(programme):
    banks.change_status(programme["finance"], "B1", "suspended", "不良率超标", effective_on=date(2024, 6, 5))
    with pytest.raises(RuleViolation) as refused:
        loans.register(programme["teller"], loan_body(drawdown_date="2024-06-05"))
    assert [v.code for v in refused.value.violations] == ["bank_not_active"]


def test_a_resumed_bank_cannot_register_a_loan_drawn_while_it_was_suspended(programme):
    banks.change_status(programme["finance"], "B1", "suspended", "不良率超标", effective_on=date(2024, 6, 1))
    banks.change_status(programme["finance"], "B1", "active", "指标恢复", effective_on=date(2024, 6, 15))
    with pytest.raises(RuleViolation) as refused:
        loans.register(programme["teller"], loan_body(drawdown_date="2024-06-05"))
    assert "暂停" in refused.value.violations[0].message
    assert loans.register(
        programme["teller"],
        loan_body(
            contract_no="HT-2", contract_date="2024-06-15", drawdown_date="2024-06-17", maturity_date="2025-06-17"
        ),
    )
