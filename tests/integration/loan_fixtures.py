"""A small programme to register loans in: two banks, listed enterprises, one unlisted, tellers."""
from __future__ import annotations

from datetime import date

import pytest

from eloan.services import enterprises, lists
from tests.integration.test_registry import data, uscc


def loan_body(n=1, **overrides):
    body = {"contract_no": "HT-2024-001", "enterprise_uscc": uscc(n), "amount": "1000000.00", "rate_percent": "3.60",
            "contract_date": "2024-06-03", "drawdown_date": "2024-06-05", "maturity_date": "2025-06-05",
            "guarantees": ["legal_rep", "spouse"]}
    body.update(overrides)
    return body


@pytest.fixture()
def programme(reference, today, make_user, make_bank):
    """Today 2024-06-20; batch with enterprises 1 and 2 in force since 2024-01-15; enterprise 3 unlisted."""
    today("2024-06-20")
    for code, share in (("B1", "0.3000"), ("B2", "0.2500")):
        make_bank(code, name=f"{code}银行台儿庄支行", loss_share=share, agreement_from=date(2023, 12, 1),
                  agreement_to=date(2025, 11, 29))
    people = {role: make_user(role, roles=(role,)) for role in ("zone", "industry", "fsc", "finance", "auditor")}
    people["teller"] = make_user("teller", roles=("bank",), bank_code="B1")
    people["teller2"] = make_user("teller2", roles=("bank",), bank_code="B2")
    for n in (1, 2, 3):
        enterprises.create(people["zone"], data(n))
    batch = lists.create_batch(people["zone"])
    for n in (1, 2):
        lists.add_entry(people["zone"], batch.id, uscc(n), "5000000.00")
    for role in ("zone", "industry", "fsc"):
        lists.confirm(people[role], batch.id)
    lists.issue(people["zone"], batch.id, date(2024, 1, 15))
    return people
