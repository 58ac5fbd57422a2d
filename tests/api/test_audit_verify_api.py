"""GET /api/v1/audit/verify: the audit log's hash chain checked for `auditor` and `admin` (API.md)."""

from __future__ import annotations

from sqlalchemy import func, select, text

from eloan.models import AuditEntry


def _get(client, headers):
    return client.get("/api/v1/audit/verify", headers=headers)


def test_an_auditor_is_told_the_chain_is_whole(client, db, make_user, token_for):
    make_user("inspector", roles=("auditor",))
    make_user("zhao", roles=("zone",))

    headers = token_for("inspector")
    entries = db.session.scalar(select(func.count()).select_from(AuditEntry))

    response = _get(client, headers)

    assert response.status_code == 200
    assert response.get_json() == {
        "entries": entries,
        "chain_ok": True,
        "first_bad_id": None,
        "reason": None,
        "message": None,
    }


def test_a_tampered_entry_is_named_with_its_id(client, db, make_user, token_for):
    make_user("root", roles=("admin",))
    make_user("zhao", roles=("zone",))
    first = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id))
    db.session.execute(text("UPDATE audit_log SET actor_name = 'nobody' WHERE id = :id"), {"id": first})
    db.session.commit()

    body = _get(client, token_for("root")).get_json()

    assert (body["chain_ok"], body["first_bad_id"], body["reason"]) == (False, first, "hash_mismatch")
    assert "修改" in body["message"]


def test_a_bank_user_may_not_verify_the_audit_log(client, make_bank, make_user, token_for):
    make_bank()
    make_user("teller", roles=("bank",), bank_code="B001")

    response = _get(client, token_for("teller"))

    assert response.status_code == 403
    assert response.get_json()["errors"][0]["code"] == "forbidden"


def test_the_operation_is_described_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/audit/verify"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "chain_ok" in str(schema) or "AuditVerifyOut" in str(schema)
