"""A programme with NPL loans ready for claims: the loan of POLICY.md §7's example among them."""
from __future__ import annotations

from datetime import date

import pytest

from eloan.services import claims, fund, loans
from tests.integration.loan_fixtures import loan_body

PDF = b"%PDF-1.4 scanned and stamped"


@pytest.fixture()
def npl(programme, today, make_user):
    """B1 (share 30 %) has a loan of ¥1,234,567.89 recognised NPL on Fri 2024-09-27; today is 2024-09-30."""
    people = dict(programme)
    people["finance2"] = make_user("finance2", roles=("finance",))
    teller = people["teller"]
    loan = loans.register(teller, loan_body(amount="1234567.89", contract_no="HT-NPL-1"))
    today("2024-09-30")
    loans.record_event(teller, loan.id, "overdue", date(2024, 9, 2))
    loans.record_event(teller, loan.id, "npl", date(2024, 9, 27), proof=(PDF, "npl.pdf"))
    people["loan"] = loan
    return people


def complete(teller, claim):
    for kind in claims.REQUIRED_KINDS:
        claims.add_document(teller, claim.id, kind, PDF, f"{kind}.pdf")


def reviewed(people, claim):
    for role in ("zone", "industry", "fsc"):
        claims.review(people[role], claim.id, "approve")
    return claim


def approved_claim(people):
    claim = claims.open_claim(people["teller"], people["loan"].id)
    complete(people["teller"], claim)
    claims.submit(people["teller"], claim.id)
    reviewed(people, claim)
    claims.give_opinion(people["finance"], claim.id, "approve")
    return claim


def fund_with(people, amount: str, on: date = date(2024, 1, 2)):
    fund.appropriate(people["finance"], amount, on, "区财政拨入")
