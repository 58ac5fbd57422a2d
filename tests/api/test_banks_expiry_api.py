"""The bank's agreement_days_left over the API: the days left within 60 days of its end (POLICY.md §16)."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture()
def banks_ending(reference, today, make_bank, make_user):
    today("2025-10-15")
    make_bank("B1", agreement_from=date(2023, 12, 1), agreement_to=date(2025, 11, 29))  # 45 days
    make_bank("B2", agreement_from=date(2024, 1, 1), agreement_to=date(2025, 12, 15))  # 61 days
    make_bank("B3", agreement_from=date(2024, 1, 1), agreement_to=date(2025, 10, 14))  # ended yesterday
    make_user("finance", roles=("finance",))
    make_user("teller", roles=("bank",), bank_code="B1")


def _days_left(client, token_for, username, code):
    response = client.get(f"/api/v1/banks/{code}", headers=token_for(username))
    assert response.status_code == 200
    return response.json["agreement_days_left"]


def test_days_left_only_within_sixty_days_of_an_agreement_in_force(client, token_for, banks_ending):
    assert _days_left(client, token_for, "finance", "B1") == 45
    assert _days_left(client, token_for, "finance", "B2") is None
    assert _days_left(client, token_for, "finance", "B3") is None  # expired: agreement_state says so


def test_a_bank_reads_its_own(client, token_for, banks_ending):
    assert _days_left(client, token_for, "teller", "B1") == 45
    assert client.get("/api/v1/banks/B2", headers=token_for("teller")).status_code == 404
