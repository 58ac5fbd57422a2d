"""Claims and the fund over the API, with the stable codes of API.md."""

from __future__ import annotations

import io

import pytest

from eloan.services import claims
from tests.fixtures.claims import PDF, approved_claim


@pytest.fixture()
def api(client, npl, token_for):
    tokens = {name: token_for(name) for name in ("teller", "teller2", "finance", "finance2", "zone", "industry", "fsc")}

    def call(method, path, who="teller", **kw):
        return client.open("/api/v1" + path, method=method, headers=tokens[who], **kw)

    call.people = npl
    return call


def _upload(api, claim_id, kind):
    return api(
        "POST",
        f"/claims/{claim_id}/documents",
        content_type="multipart/form-data",
        data={"kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")},
    )


def test_the_whole_claim_by_api(api):
    opened = api("POST", "/claims", json={"loan_id": api.people["loan"].id})
    assert opened.status_code == 201
    body = opened.json
    assert (body["status"], body["compensation"], body["fund_ratio"]) == ("draft", "864197.52", "0.7000")
    assert body["filing_deadline"] == "2024-10-10" and body["deadline_provisional"] is False
    claim_id = body["id"]
    refused = api("POST", f"/claims/{claim_id}/submit", json={})
    assert refused.status_code == 422 and refused.json["errors"][0]["code"] == "materials_incomplete"
    for kind in ("application_form", "contracts", "npl_proof"):
        assert _upload(api, claim_id, kind).status_code == 201
    assert (
        api("POST", f"/claims/{claim_id}/submit", json={"collection_measures": "已起诉"}).json["status"] == "in_review"
    )
    early = api("POST", f"/claims/{claim_id}/opinion", who="finance", json={"decision": "approve"})
    assert early.status_code == 409 and early.json["errors"][0]["code"] == "reviews_pending"
    for who in ("zone", "industry", "fsc"):
        assert api("POST", f"/claims/{claim_id}/reviews", who=who, json={"decision": "approve"}).status_code == 200
    assert (
        api("POST", f"/claims/{claim_id}/opinion", who="finance", json={"decision": "approve"}).json["status"]
        == "approved"
    )
    assert (
        api(
            "POST", "/fund/appropriations", who="finance", json={"amount": "10000000.00", "date": "2024-01-02"}
        ).status_code
        == 201
    )
    same_person = api("POST", f"/claims/{claim_id}/payout", who="finance", json={"date": "2024-10-08"})
    assert same_person.status_code == 403 and same_person.json["errors"][0]["code"] == "four_eyes"
    paid = api("POST", f"/claims/{claim_id}/payout", who="finance2", json={"date": "2024-10-08", "reference": "NO.1"})
    assert paid.json["status"] == "paid" and paid.json["paid_amount"] == "864197.52"
    again = api("POST", f"/claims/{claim_id}/payout", who="finance2", json={"date": "2024-10-08"})
    assert again.status_code == 409 and again.json["errors"][0]["code"] == "already_paid"
    split = api("POST", f"/claims/{claim_id}/recoveries", json={"date": "2024-09-30", "amount": "100000.00"})
    assert (split.json["fund_part"], split.json["bank_part"]) == ("70000.00", "30000.00")
    assert api("GET", "/fund", who="finance").json["balance"] == "9135802.48"


def test_a_late_submission_is_422_filing_deadline_passed(api, today):
    claim = claims.open_claim(api.people["teller"], api.people["loan"].id)
    for kind in ("application_form", "contracts", "npl_proof"):
        _upload(api, claim.id, kind)
    today("2024-10-11")
    response = api("POST", f"/claims/{claim.id}/submit", json={})
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "filing_deadline_passed"


def test_a_short_fund_is_409_insufficient_funds(api):
    claim = approved_claim(api.people)
    response = api("POST", f"/claims/{claim.id}/payout", who="finance2", json={"date": "2024-10-08"})
    assert response.status_code == 409 and response.json["errors"][0]["code"] == "insufficient_funds"
    assert api("GET", f"/claims/{claim.id}", who="finance").json["status"] == "awaiting_funds"


def test_appropriation_beyond_the_scale_is_422(api):
    response = api("POST", "/fund/appropriations", who="finance", json={"amount": "100000000.01", "date": "2024-01-02"})
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "fund_scale_exceeded"


def test_a_bank_cannot_read_the_fund_or_another_banks_claim(api):
    claim = claims.open_claim(api.people["teller"], api.people["loan"].id)
    assert api("GET", "/fund", who="teller").status_code == 403
    assert api("GET", f"/claims/{claim.id}", who="teller2").status_code == 404
    assert api("GET", "/claims", who="teller2").json["total"] == 0


def test_the_ledger_is_oldest_first_with_running_balance(api):
    api("POST", "/fund/appropriations", who="finance", json={"amount": "100.00", "date": "2024-01-02"})
    api("POST", "/fund/appropriations", who="finance", json={"amount": "50.00", "date": "2024-02-02"})
    items = api("GET", "/fund/entries", who="fsc").json["items"]
    assert [(e["amount"], e["balance"]) for e in items] == [("100.00", "100.00"), ("50.00", "150.00")]


CLAIM_BODIES = {
    "submit": {},
    "extension": {"reason": "理由", "until": "2024-10-20"},
    "reviews": {"decision": "approve"},
    "opinion": {"decision": "approve"},
    "payout": {"date": "2024-10-08"},
    "recoveries": {"date": "2024-09-30", "amount": "1.00"},
    "fraud": {"reason": "理由"},
}


def test_another_banks_claim_is_indistinguishable_from_no_claim_on_every_route(app, api, client, login):
    """Sweeps the URL map (API and pages) for every route naming a claim."""
    claim = claims.open_claim(api.people["teller"], api.people["loan"].id)
    claims.add_document(api.people["teller"], claim.id, "contracts", PDF, "c.pdf")
    # Other ids in a claim's routes (a recovery, say) stay the same in both requests.
    real = {"claim_id": claim.id, "document_id": claim.documents[0].id, "recovery_id": 1}
    missing = {**real, "claim_id": 999999}
    rules = [r for r in app.url_map.iter_rules() if "claim_id" in r.arguments]
    assert rules
    login("teller2")

    def url(rule, values):
        text = rule.rule
        for name in rule.arguments:
            text = text.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
        return text

    def send(method, path):
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if path.startswith("/api/"):
            if last == "documents" and method == "POST":
                return api(
                    method,
                    path.removeprefix("/api/v1"),
                    who="teller2",
                    content_type="multipart/form-data",
                    data={"kind": "contracts", "file": (io.BytesIO(PDF), "c.pdf")},
                )
            return api(method, path.removeprefix("/api/v1"), who="teller2", json=CLAIM_BODIES.get(last, {}))
        return client.open(path, method=method, data=CLAIM_BODIES.get(last, {}))

    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            other, absent = send(method, url(rule, real)), send(method, url(rule, missing))
            where = f"{method} {rule.rule}"
            assert other.status_code == absent.status_code, f"{where}: {other.status_code} vs {absent.status_code}"
            assert other.status_code in (403, 404), f"{where} gave {other.status_code}"
    assert claim.status == "draft" and len(claim.documents) == 1
