"""The API's claim says what the caller may do to it now (`allowed_actions`), by the rules the claim page and the
services follow: the opinion's author is not offered the payout that a colleague is."""

from __future__ import annotations

from tests.fixtures.claims import approved_claim, fund_with


def _allowed(client, token_for, who: str, claim_id: int) -> list[str]:
    response = client.get(f"/api/v1/claims/{claim_id}", headers=token_for(who))
    assert response.status_code == 200
    return response.json["allowed_actions"]


def test_an_approved_claim_offers_the_payout_to_a_colleague_of_the_opinions_author(client, npl, token_for):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)

    assert _allowed(client, token_for, "finance2", claim.id) == ["pay", "mark_fraud"]
    assert _allowed(client, token_for, "finance", claim.id) == ["mark_fraud"]
    assert _allowed(client, token_for, "teller", claim.id) == []
    assert _allowed(client, token_for, "zone", claim.id) == []


def test_a_paying_colleague_finds_the_payout_made_and_no_longer_offered(client, npl, token_for):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)

    paid = client.post(
        f"/api/v1/claims/{claim.id}/payout",
        headers=token_for("finance2"),
        json={"date": "2024-10-08", "reference": "ZF-1"},
    )

    assert paid.status_code == 200 and paid.json["allowed_actions"] == ["mark_fraud"]
    assert _allowed(client, token_for, "teller", claim.id) == ["record_recovery"]
