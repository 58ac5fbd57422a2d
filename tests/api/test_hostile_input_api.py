"""Inputs a hostile or careless client sends get a clear 400/404/422 problem and change nothing — never a 500:
ids and page numbers beyond any column, amounts written oddly, deeply nested JSON, over-long text, NUL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eloan.models import AuditEntry, Repayment
from tests.fixtures.loans import loan_body

HUGE = "9999999999999999999999999"


@pytest.fixture()
def api(client, programme, token_for):
    tokens = {name: token_for(name) for name in ("teller", "finance", "zone")}

    def call(method, path, who="teller", **kw):
        return client.open("/api/v1" + path, method=method, headers=tokens[who], **kw)

    return call


@pytest.fixture()
def loan_id(api):
    return api("POST", "/loans", json=loan_body()).json["id"]


def _changes(db):
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize(
    "path",
    [f"/loans/{HUGE}", f"/loans/{2**31}", f"/claims/{HUGE}", f"/list-batches/{2**63}", f"/loans/{HUGE}/events/1/proof"],
)
def test_an_id_beyond_the_column_is_not_found(api, path):
    response = api("GET", path)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_a_write_to_a_huge_id_is_not_found(api, db):
    before = _changes(db)
    response = api("POST", f"/loans/{HUGE}/repayments", json={"date": "2024-06-10", "principal": "1.00"})
    assert response.status_code == 404 and _changes(db) == before


@pytest.mark.parametrize("query", [f"page={HUGE}", "page=1000001", f"per_page={HUGE}", "per_page=501", "page=0"])
def test_a_page_beyond_the_bounds_is_a_400_naming_the_parameter(api, query):
    response = api("GET", "/loans?" + query)
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == query.split("=")[0]


@pytest.mark.parametrize(
    "amount", ["1e309", "1" * 40, "1.005", "１００", "1_000", ".5", "1.", "-5", "inf", "NaN", "1,000.00"]
)
def test_an_amount_not_written_as_two_decimal_yuan_is_refused_and_changes_nothing(api, db, loan_id, amount):
    before = _changes(db)
    response = api("POST", f"/loans/{loan_id}/repayments", json={"date": "2024-06-10", "principal": amount})
    assert response.status_code in (400, 422), response.json
    error = response.json["errors"][0]
    assert (error["field"] == "principal" and "principal" in error["message"]) or "本金" in error["message"]
    assert _changes(db) == before
    assert db.session.scalar(select(func.count()).select_from(Repayment)) == 0


def test_three_decimals_are_refused_not_rounded_with_a_message_saying_so(api, loan_id):
    response = api("POST", f"/loans/{loan_id}/repayments", json={"date": "2024-06-10", "principal": "1.005"})
    assert response.status_code == 400 and "最多 2 位小数" in response.json["errors"][0]["message"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/fund/appropriations", {"date": "2024-06-10", "amount": "1.005"}, "amount"),
        ("/loans", loan_body(amount="１００００００.00"), "amount"),
        ("/loans", loan_body(rate_percent="3.60001"), "rate_percent"),
    ],
)
def test_every_amount_field_uses_the_strict_parser(api, path, body, field):
    who = "finance" if path.startswith("/fund") else "teller"
    response = api("POST", path, json=body, who=who)
    assert response.status_code == 400 and response.json["errors"][0]["field"] == field


def test_a_sixteen_digit_amount_is_refused_by_rule_not_by_an_overflow(api, db, loan_id):
    response = api("POST", f"/loans/{loan_id}/repayments", json={"date": "2024-06-10", "principal": "9" * 16})
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "invalid_amount"


def test_deeply_nested_json_is_a_400(api, db, loan_id):
    before = _changes(db)
    body = "[" * 100_000 + "]" * 100_000
    for path in ("/loans", f"/loans/{loan_id}/events"):
        response = api("POST", path, data=body, content_type="application/json")
        assert response.status_code == 400 and response.json["errors"][0]["code"] == "malformed_json"
    assert _changes(db) == before


def test_a_reference_longer_than_its_column_is_a_400_naming_the_field(api, db, loan_id):
    before = _changes(db)
    response = api(
        "POST",
        f"/loans/{loan_id}/repayments",
        json={"date": "2024-06-10", "principal": "1.00", "reference": "x" * 10_000},
    )
    assert response.status_code == 400
    error = response.json["errors"][0]
    assert error["field"] == "reference" and "不超过 100 个字符" in error["message"]
    assert _changes(db) == before


def test_text_with_a_nul_character_is_refused(api, loan_id):
    response = api("POST", f"/loans/{loan_id}/not-compensable", who="finance", json={"reason": "a\x00b"})
    assert response.status_code == 400 and response.json["errors"][0]["field"] == "reason"


def test_api_times_carry_the_beijing_offset(api, loan_id, client, token_for):
    response = api("GET", "/notifications?per_page=1", who="finance")
    deadline = client.get("/api/v1/calendar/deadline?from=2024-09-27&working_days=5", headers=token_for("finance"))
    assert deadline.json["end_of_day"].endswith("+08:00")
    for item in response.json["items"]:
        assert item["created_at"].endswith("+08:00")


def test_an_audit_entry_time_carries_the_offset(client, programme, make_user, token_for):
    make_user("auditor2", roles=("auditor",))
    response = client.get("/api/v1/audit?per_page=3", headers=token_for("auditor2"))
    assert response.status_code == 200 and response.json["items"]
    assert all(item["at"].endswith("+08:00") for item in response.json["items"])
