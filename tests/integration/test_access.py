"""The one place that scopes data for bank users: another bank's rows do not exist for them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.errors import NotFound
from eloan.extensions import db as _db
from eloan.models import Bank, Enterprise, Loan, User
from eloan.services.access import get_scoped, scope


@pytest.fixture()
def two_banks_with_a_loan_each(db, make_bank, make_user):
    first, second = make_bank("B1"), make_bank("B2")
    enterprise = Enterprise(uscc="91370405MA0000001X", name="甲", industry="new_materials")
    db.session.add(enterprise)
    db.session.flush()
    loans = []
    for bank in (first, second):
        loan = Loan(
            bank_id=bank.id,
            enterprise_id=enterprise.id,
            contract_no="HT-1",
            amount=Decimal("100.00"),
            rate_percent=Decimal("3.6"),
            contract_date=date(2024, 1, 2),
            drawdown_date=date(2024, 1, 2),
            maturity_date=date(2025, 1, 2),
            guarantees=[],
            policy_code="TZ-2023-9",
            lpr_percent=Decimal("3.45"),
            outstanding_principal=Decimal("100.00"),
        )
        db.session.add(loan)
        loans.append(loan)
    db.session.commit()
    teller = make_user("teller", roles=("bank",), bank_code="B1")
    reviewer = make_user("reviewer", roles=("finance",))
    return teller, reviewer, loans


def test_a_bank_user_lists_only_their_own_banks_loans(two_banks_with_a_loan_each):
    teller, _, (own, _other) = two_banks_with_a_loan_each
    assert _db.session.scalars(scope(teller, Loan)).all() == [own]


def test_another_banks_loan_is_not_found_for_a_bank_user(two_banks_with_a_loan_each):
    teller, _, (_own, other) = two_banks_with_a_loan_each
    with pytest.raises(NotFound):
        get_scoped(teller, Loan, other.id)


def test_government_users_see_every_bank(two_banks_with_a_loan_each):
    _, reviewer, loans = two_banks_with_a_loan_each
    assert sorted(_db.session.scalars(scope(reviewer, Loan)).all(), key=lambda x: x.id) == loans
    assert len(_db.session.scalars(scope(reviewer, Bank)).all()) == 2


def test_a_bank_user_sees_their_own_bank_and_no_other(two_banks_with_a_loan_each):
    teller, _, _ = two_banks_with_a_loan_each
    assert [b.code for b in _db.session.scalars(scope(teller, Bank))] == ["B1"]


def test_a_bank_user_sees_only_colleagues_of_their_own_bank(two_banks_with_a_loan_each, make_user):
    teller, _, _ = two_banks_with_a_loan_each
    make_user("other-teller", roles=("bank",), bank_code="B2")
    assert [u.username for u in _db.session.scalars(scope(teller, User))] == ["teller"]


def test_tables_with_no_route_to_a_bank_are_closed_to_bank_users(two_banks_with_a_loan_each):
    teller, reviewer, _ = two_banks_with_a_loan_each
    assert _db.session.scalars(scope(teller, Enterprise)).all() == []
    assert len(_db.session.scalars(scope(reviewer, Enterprise)).all()) == 1
