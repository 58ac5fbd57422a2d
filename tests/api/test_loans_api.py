"""Loans over the API: registration refusals with every code, repayments, events, idempotency, and a sweep
proving another bank's loan is 404 on every route that names a loan."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from eloan.models import Loan, Repayment
from eloan.services import loans
from tests.fixtures.loans import loan_body


@pytest.fixture()
def api(client, programme, token_for):
    tokens = {name: token_for(name) for name in ("teller", "teller2", "finance", "zone")}

    def call(method, path, who="teller", **kw):
        headers = {**tokens[who], **kw.pop("headers", {})}
        return client.open("/api/v1" + path, method=method, headers=headers, **kw)

    return call


def test_a_loan_is_registered_with_201(api):
    response = api("POST", "/loans", json=loan_body())
    assert response.status_code == 201
    assert response.json["outstanding_principal"] == "1000000.00" and response.json["lpr_percent"] == "3.45"


def test_a_refusal_lists_every_violated_rule_with_article_and_field(api):
    response = api("POST", "/loans", json=loan_body(rate_percent="4.06", amount="5000000.01"))
    assert response.status_code == 422
    by_code = {e["code"]: e for e in response.json["errors"]}
    assert set(by_code) == {"rate_above_cap", "enterprise_cap_exceeded"}
    assert by_code["rate_above_cap"]["field"] == "rate_percent" and by_code["rate_above_cap"]["article"] == "第五条"


def test_a_cap_refusal_tells_the_second_bank_the_headroom_and_not_the_first_banks_balance(api):
    assert api("POST", "/loans", json=loan_body(amount="3200000.00")).status_code == 201

    response = api("POST", "/loans", who="teller2", json=loan_body(contract_no="B2-1", amount="2000000.00"))

    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert error["code"] == "enterprise_cap_exceeded" and "可用额度 ¥1,800,000.00" in error["message"]
    assert "3,200,000" not in response.get_data(as_text=True) and "5,200,000" not in response.get_data(as_text=True)


def test_the_same_idempotency_key_registers_one_loan(api, db):
    first = api("POST", "/loans", json=loan_body(), headers={"Idempotency-Key": "reg-1"})
    again = api("POST", "/loans", json=loan_body(), headers={"Idempotency-Key": "reg-1"})
    assert first.status_code == again.status_code == 201 and first.json["id"] == again.json["id"]
    assert db.session.scalar(select(func.count()).select_from(Loan)) == 1


def test_a_repeated_repayment_with_its_key_is_recorded_once(api, db):
    loan_id = api("POST", "/loans", json=loan_body()).json["id"]
    body = {"date": "2024-06-10", "principal": "100000.00", "interest": "500.00"}
    for _ in range(2):
        response = api("POST", f"/loans/{loan_id}/repayments", json=body, headers={"Idempotency-Key": "rp-1"})
        assert response.status_code == 201 and response.json["outstanding_principal"] == "900000.00"
    assert db.session.scalar(select(func.count()).select_from(Repayment)) == 1


def test_overpayment_is_422(api):
    loan_id = api("POST", "/loans", json=loan_body()).json["id"]
    response = api("POST", f"/loans/{loan_id}/repayments", json={"date": "2024-06-10", "principal": "1000000.01"})
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "overpayment"


def test_npl_with_its_proof_uploaded_as_multipart(api):
    loan_id = api("POST", "/loans", json=loan_body()).json["id"]
    api("POST", f"/loans/{loan_id}/events", json={"type": "overdue", "date": "2024-06-12"})
    response = api(
        "POST",
        f"/loans/{loan_id}/events",
        content_type="multipart/form-data",
        data={"type": "npl", "date": "2024-06-19", "proof": (io.BytesIO(b"%PDF-1.4 proof"), "npl.pdf")},
    )
    assert response.status_code == 201 and response.json["status"] == "npl"
    proof_url = response.json["events"][-1]["proof"]
    assert api("GET", proof_url.removeprefix("/api/v1")).data == b"%PDF-1.4 proof"
    assert api("GET", proof_url.removeprefix("/api/v1"), who="teller2").status_code == 404


def test_government_reads_every_loan_and_a_bank_only_its_own(api):
    api("POST", "/loans", json=loan_body())
    api("POST", "/loans", who="teller2", json=loan_body(2, contract_no="B2-1"))
    assert api("GET", "/loans", who="finance").json["total"] == 2
    assert [x["bank"] for x in api("GET", "/loans", who="teller2").json["items"]] == ["B2"]


def test_a_government_user_cannot_register_a_loan(api):
    assert api("POST", "/loans", who="finance", json=loan_body()).status_code == 403


def _url_for(rule, values):
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
    return url


# A valid body for each kind of write, so a 400 for a malformed request cannot hide what the service says.
VALID_BODIES = {
    "repayments": {"date": "2024-06-10", "principal": "1.00", "interest": "0.00"},
    "events": {"type": "overdue", "date": "2024-06-12"},
    "not-compensable": {"reason": "核查发现违反第八条"},
}


def test_another_banks_loan_is_indistinguishable_from_no_loan_on_every_route(app, api, client, login, db):
    """Sweeps the URL map, so a route added later is covered without editing this test: for the other
    bank, every route naming the loan answers exactly as for a loan that does not exist, never 2xx."""
    loan = loans.register(_teller(db, "teller"), loan_body())
    loans.record_event(_teller(db, "teller"), loan.id, "overdue", date(2024, 6, 12))
    loans.record_event(_teller(db, "teller"), loan.id, "npl", date(2024, 6, 19), proof=(b"%PDF-1.4 p", "p.pdf"))
    real = {"loan_id": loan.id, "event_id": loan.events[-1].id}
    missing = {"loan_id": 999999, "event_id": loan.events[-1].id}
    rules = [r for r in app.url_map.iter_rules() if "loan_id" in r.arguments]
    assert rules, "no loan routes found"
    login("teller2")

    def send(method, url):
        body = VALID_BODIES.get(url.rstrip("/").rsplit("/", 1)[-1], {})
        if url.startswith("/api/"):
            return api(method, url.removeprefix("/api/v1"), who="teller2", json=body)
        return client.open(url, method=method, data=body)

    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            other, absent = send(method, _url_for(rule, real)), send(method, _url_for(rule, missing))
            where = f"{method} {rule.rule}"
            assert other.status_code == absent.status_code, f"{where}: {other.status_code} vs {absent.status_code}"
            assert other.status_code in (403, 404), f"{where} gave {other.status_code}"
            if method == "GET":
                assert other.status_code == 404, where
    assert loan.outstanding_principal == loan.amount and len(loan.events) == 2


def _teller(db, username):
    from eloan.models import User

    return db.session.scalars(select(User).where(User.username == username)).one()
