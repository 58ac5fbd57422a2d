"""Concurrent payouts (第十六条): the fund never goes negative and no claim is paid twice."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from eloan.domain.errors import DomainError
from eloan.extensions import db as _db
from eloan.models import Claim, FundEntry, Loan, Payout, User
from eloan.services import claims, fund
from tests.fixtures.claims import ledger_total


def _approved_claims(people, count: int) -> list[int]:
    """`count` claims of ¥70,000 each, approved by `finance`, written directly: the race is the subject here."""
    bank, enterprise = people["teller"].bank, people["loan"].enterprise
    ids = []
    for n in range(count):
        loan = Loan(
            bank_id=bank.id,
            enterprise_id=enterprise.id,
            contract_no=f"RACE-{n}",
            amount=Decimal("100000.00"),
            rate_percent=Decimal("3.6"),
            contract_date=date(2024, 6, 3),
            drawdown_date=date(2024, 6, 3),
            maturity_date=date(2025, 6, 3),
            guarantees=[],
            policy_code="TZ-2023-9",
            lpr_percent=Decimal("3.45"),
            outstanding_principal=Decimal("100000.00"),
            status="npl",
            npl_recognised_on=date(2024, 9, 27),
        )
        _db.session.add(loan)
        _db.session.flush()
        claim = Claim(
            loan_id=loan.id,
            bank_id=bank.id,
            status="approved",
            policy_code="TZ-2023-9",
            npl_recognised_on=date(2024, 9, 27),
            principal=Decimal("100000.00"),
            bank_share=Decimal("0.3"),
            fund_ratio=Decimal("0.7"),
            compensation=Decimal("70000.00"),
            approved_amount=Decimal("70000.00"),
            filing_deadline=date(2024, 10, 10),
            opinion_by_id=people["finance"].id,
            opinion_decision="approve",
        )
        _db.session.add(claim)
        _db.session.flush()
        ids.append(claim.id)
    _db.session.commit()
    return ids


def _pay_in_threads(app, payer_id: int, claim_ids: list[int]) -> list[str]:
    start = threading.Barrier(len(claim_ids))
    outcomes: list[str] = []

    def pay(claim_id: int):
        with app.app_context():
            start.wait()
            payer = _db.session.get(User, payer_id)
            try:
                claims.pay(payer, claim_id, date(2024, 10, 8))
                outcomes.append("paid")
            except DomainError as exc:
                outcomes.append(getattr(exc, "code", type(exc).__name__))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=pay, args=(cid,)) for cid in claim_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_twenty_payouts_against_room_for_five_pay_exactly_five(app, npl):
    fund.appropriate(npl["finance"], "350000.00", date(2024, 1, 2))
    ids = _approved_claims(npl, 20)
    outcomes = _pay_in_threads(app, npl["finance2"].id, ids)
    assert outcomes.count("paid") == 5 and outcomes.count("insufficient_funds") == 15
    _db.session.expire_all()
    assert fund.account().balance == Decimal("0.00") == ledger_total()
    assert _db.session.scalar(select(func.count()).select_from(Payout)) == 5
    assert _db.session.scalar(select(func.count()).select_from(Claim).where(Claim.status == "awaiting_funds")) == 15
    assert _db.session.scalar(select(func.min(FundEntry.balance_after))) >= 0


def test_two_clicks_on_pay_make_one_payout(app, npl):
    fund.appropriate(npl["finance"], "1000000.00", date(2024, 1, 2))
    claim_id = _approved_claims(npl, 1)[0]
    outcomes = _pay_in_threads(app, npl["finance2"].id, [claim_id, claim_id])
    assert sorted(outcomes) == ["already_paid", "paid"]
    _db.session.expire_all()
    assert _db.session.scalar(select(func.count()).select_from(Payout)) == 1
    assert fund.account().balance == Decimal("930000.00") == ledger_total()
