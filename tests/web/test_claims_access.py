"""Who sees a claim: its bank and the departments. Another bank's claim is 404 on every claim route, as if
it did not exist (every route's arguments are claim_id, document_id, recovery_id), and the list shows a
bank its own claims only."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.services import claims, recoveries
from tests.fixtures.claims import approved_claim, fund_with

IDS = ("claim_id", "document_id", "recovery_id")


@pytest.fixture()
def paid_claim(npl):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8), "ZF-1")
    recovery = recoveries.report_recovery(npl["teller"], claim.id, date(2024, 12, 2), "100000")
    return {"claim_id": claim.id, "document_id": claim.documents[0].id, "recovery_id": recovery.id}


def _claim_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("claims.") and "claim_id" in rule.arguments:
            assert rule.arguments <= set(IDS), f"{rule.rule}: name its arguments {IDS} so this sweep covers them"
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield rule, method


def test_another_bank_gets_404_on_every_claim_route(app, client, paid_claim, as_user):
    as_user("teller2")
    answers = {}
    for rule, method in _claim_routes(app):
        url = rule.build({name: paid_claim[name] for name in rule.arguments}, append_unknown=False)[1]
        answers[f"{method} {url}"] = client.open(url, method=method).status_code

    assert len(answers) >= 14
    assert {url: code for url, code in answers.items() if code != 404} == {}


def test_the_claims_own_bank_opens_the_same_routes_it_reads(client, paid_claim, as_user):
    as_user("teller")
    claim_id, document_id = paid_claim["claim_id"], paid_claim["document_id"]

    assert client.get(f"/claims/{claim_id}").status_code == 200
    assert client.get(f"/claims/{claim_id}/documents/{document_id}").status_code == 200


def test_the_list_shows_a_bank_its_own_claims_only(client, npl, as_user, page):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    as_user("teller2")

    html = page("/claims/")

    assert f'href="/claims/{claim.id}"' not in html and "本行还没有补偿申请" in html


def test_a_bank_user_cannot_open_the_fund_page(client, npl, as_user):
    as_user("teller")

    assert client.get("/fund/").status_code == 403


def test_a_bank_cannot_open_a_claim_on_another_banks_loan(client, npl, as_user):
    as_user("teller2")

    assert client.post("/claims/open", data={"loan_id": npl["loan"].id}).status_code == 404
