"""Banks with loan books shaped for 第十八条: loans written straight into the tables with a history
(repayments and status events), their stored state derived exactly as the loan service derives it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

import pytest

from eloan.domain.loans import EventFact, RepaymentFact, derive_state
from eloan.extensions import db
from eloan.models import Bank, Enterprise, Loan, LoanEvent, Repayment
from eloan.services import enterprises
from tests.integration.test_registry import data, uscc

_numbers = count(1)


def put_loan(bank_code: str, amount: str, *, drawdown: date = date(2024, 9, 2), maturity: date = date(2025, 9, 1),
             events: tuple[tuple[str, date], ...] = (), repayments: tuple[tuple[date, str], ...] = (),
             enterprise_no: int = 1) -> Loan:
    """A programme loan of `bank_code` with the given history; commits."""
    bank = db.session.query(Bank).filter_by(code=bank_code).one()
    enterprise = db.session.query(Enterprise).filter_by(uscc=uscc(enterprise_no)).one()
    state = derive_state(Decimal(amount), [RepaymentFact(d, Decimal(p)) for d, p in repayments],
                         [EventFact(t, d) for t, d in events])
    loan = Loan(bank_id=bank.id, enterprise_id=enterprise.id, contract_no=f"HT-{next(_numbers):06d}",
                amount=Decimal(amount), rate_percent=Decimal("3.6000"), contract_date=drawdown, drawdown_date=drawdown,
                maturity_date=maturity, guarantees=["legal_rep"], policy_code="TZ-2023-9",
                lpr_percent=Decimal("3.4500"), outstanding_principal=state.outstanding, status=state.status,
                overdue_since=state.overdue_since, npl_recognised_on=state.npl_recognised_on, closed_on=state.closed_on)
    loan.repayments = [Repayment(paid_on=d, principal=Decimal(p), interest=Decimal("0.00")) for d, p in repayments]
    loan.events = [LoanEvent(type=t, event_date=d) for t, d in events]
    db.session.add(loan)
    db.session.commit()
    return loan


@pytest.fixture()
def monitored(reference, today, make_user, make_bank):
    """Today 2025-03-10 (TZ-2023-9 in force); banks B1 and B2 active; one user per role that hears of it."""
    today("2025-03-10")
    for code, share in (("B1", "0.3000"), ("B2", "0.2500")):
        make_bank(code, name=f"{code}银行台儿庄支行", loss_share=share, agreement_from=date(2023, 12, 1),
                  agreement_to=date(2025, 11, 29))
    people = {role: make_user(role, roles=(role,)) for role in ("zone", "industry", "fsc", "finance", "auditor")}
    people["admin"] = make_user("admin", roles=("admin",))
    people["finance2"] = make_user("finance2", roles=("finance",))
    people["teller"] = make_user("teller", roles=("bank",), bank_code="B1")
    people["teller2"] = make_user("teller2", roles=("bank",), bank_code="B2")
    for n in (1, 2):
        enterprises.create(people["zone"], data(n))
    return people
