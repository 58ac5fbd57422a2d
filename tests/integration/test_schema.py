"""The migration chain and the models describe the same schema, and the database guards the money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eloan import create_app
from eloan.extensions import db as _db
from eloan.models import Bank, Claim, Enterprise, FundEntry, Loan, Payout


def test_migrations_give_exactly_the_schema_of_the_models(empty_database_url):
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with _db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, _db.metadata)
        _db.engine.dispose()
    assert differences == []


def test_money_is_stored_and_summed_exactly(db, make_bank):
    bank = make_bank()
    enterprise = Enterprise(uscc="91370405MA0000001X", name="甲", industry="new_materials")
    db.session.add(enterprise)
    db.session.flush()
    # 0.1 + 0.2 is the classic float trap; stored exactly it sums to 0.30 and large amounts keep the fen.
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("4999999999999.99")]
    for i, amount in enumerate(amounts):
        db.session.add(
            Loan(
                bank_id=bank.id,
                enterprise_id=enterprise.id,
                contract_no=f"C{i}",
                amount=amount,
                rate_percent=Decimal("3.6000"),
                contract_date=date(2024, 1, 2),
                drawdown_date=date(2024, 1, 2),
                maturity_date=date(2025, 1, 2),
                guarantees=[],
                policy_code="TZ-2023-9",
                lpr_percent=Decimal("3.45"),
                outstanding_principal=amount,
            )
        )
    db.session.commit()
    total = db.session.scalar(select(func.sum(Loan.amount)))
    assert total == Decimal("5000000000000.29")
    assert db.session.scalar(select(Loan.amount).where(Loan.contract_no == "C0")) == Decimal("0.10")


def test_a_float_is_refused_for_a_money_column(db, make_bank):
    bank = make_bank()
    bank.loss_share = 0.3
    with pytest.raises(Exception, match="float"):
        db.session.commit()


def test_credit_code_is_unique(db):
    db.session.add(Enterprise(uscc="91370405MA0000001X", name="甲", industry="other"))
    db.session.commit()
    db.session.add(Enterprise(uscc="91370405MA0000001X", name="乙", industry="other"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def _loan(bank, enterprise, contract_no="HT-1", amount=Decimal("100000.00"), outstanding=None):
    return Loan(
        bank_id=bank.id,
        enterprise_id=enterprise.id,
        contract_no=contract_no,
        amount=amount,
        rate_percent=Decimal("3.6"),
        contract_date=date(2024, 1, 2),
        drawdown_date=date(2024, 1, 2),
        maturity_date=date(2025, 1, 2),
        guarantees=[],
        policy_code="TZ-2023-9",
        lpr_percent=Decimal("3.45"),
        outstanding_principal=amount if outstanding is None else outstanding,
    )


def test_contract_number_is_unique_per_bank_but_not_across_banks(db, make_bank):
    first, second = make_bank("B1"), make_bank("B2")
    enterprise = Enterprise(uscc="91370405MA0000001X", name="甲", industry="other")
    db.session.add(enterprise)
    db.session.flush()
    db.session.add_all([_loan(first, enterprise), _loan(second, enterprise)])
    db.session.commit()
    db.session.add(_loan(first, enterprise))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_negative_outstanding_principal_is_refused_by_the_database(db, make_bank):
    bank = make_bank()
    enterprise = Enterprise(uscc="91370405MA0000001X", name="甲", industry="other")
    db.session.add(enterprise)
    db.session.flush()
    db.session.add(_loan(bank, enterprise, outstanding=Decimal("-0.01")))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_fund_balance_can_never_be_negative_in_the_ledger(db):
    db.session.add(
        FundEntry(
            entry_date=date(2024, 1, 2),
            kind="payout",
            direction="out",
            amount=Decimal("1.00"),
            balance_after=Decimal("-1.00"),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_a_claim_can_be_paid_at_most_once(db, make_bank, make_user):
    bank = make_bank()
    payer = make_user("payer", roles=("finance",))
    enterprise = Enterprise(uscc="91370405MA0000001X", name="甲", industry="other")
    db.session.add(enterprise)
    db.session.flush()
    loan = _loan(bank, enterprise)
    db.session.add(loan)
    db.session.flush()
    claim = Claim(
        loan_id=loan.id,
        bank_id=bank.id,
        policy_code="TZ-2023-9",
        npl_recognised_on=date(2024, 9, 27),
        principal=Decimal("100000.00"),
        bank_share=Decimal("0.3"),
        fund_ratio=Decimal("0.7"),
        compensation=Decimal("70000.00"),
        filing_deadline=date(2024, 10, 10),
    )
    db.session.add(claim)
    db.session.flush()
    db.session.add(
        Payout(claim_id=claim.id, amount=Decimal("70000.00"), paid_on=date(2024, 10, 20), paid_by_id=payer.id)
    )
    db.session.commit()
    db.session.add(
        Payout(claim_id=claim.id, amount=Decimal("70000.00"), paid_on=date(2024, 10, 21), paid_by_id=payer.id)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_a_bank_status_outside_the_three_is_refused(db, make_bank):
    with pytest.raises(IntegrityError):
        make_bank(status="paused")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Bank)) == 0
