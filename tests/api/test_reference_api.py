"""The API skeleton: tokens, problem+json, the reference endpoints, idempotency, /openapi.json."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eloan.models import AuditEntry, CalendarDay


@pytest.fixture()
def api(client, reference, make_user, token_for):
    make_user("reader", roles=("zone",))
    make_user("root", roles=("admin",))
    headers = token_for("reader")

    def get(path, headers=headers, **kw):
        return client.get("/api/v1" + path, headers=headers, **kw)

    get.admin = token_for("root")
    get.client = client
    return get


def test_no_token_is_401_problem_json(api):
    response = api("/me", headers={})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_401(api):
    assert api("/me", headers={"Authorization": "Bearer eln_nonsense"}).status_code == 401


def test_me_names_the_user_and_roles(api):
    assert api("/me").json == {"username": "reader", "display_name": "reader", "roles": ["zone"], "bank": None}


def test_a_bank_users_me_names_the_bank(api, make_bank, make_user, token_for):
    make_bank("B1", name="测试银行")
    make_user("teller", roles=("bank",), bank_code="B1")
    assert api("/me", headers=token_for("teller")).json["bank"] == {"code": "B1", "name": "测试银行"}


def test_five_working_days_after_2024_09_27_is_2024_10_10(api):
    body = api("/calendar/deadline?from=2024-09-27&working_days=5").json
    assert body["deadline"] == "2024-10-10" and body["provisional"] is False
    assert body["end_of_day"] == "2024-10-10T23:59:59+08:00"


def test_fifteen_days_after_2024_09_20_rolls_forward_to_2024_10_08(api):
    assert api("/calendar/deadline?from=2024-09-20&days=15").json["deadline"] == "2024-10-08"


def test_a_deadline_in_a_year_without_calendar_data_is_provisional(api):
    body = api("/calendar/deadline?from=2026-12-28&working_days=5").json
    assert body == {"deadline": "2027-01-04", "provisional": True, "end_of_day": "2027-01-04T23:59:59+08:00"}


def test_deadline_needs_exactly_one_kind_of_period(api):
    response = api("/calendar/deadline?from=2024-09-27&working_days=5&days=3")
    assert response.status_code == 400 and response.json["errors"][0]["code"] == "invalid_field"
    assert api("/calendar/deadline?from=2024-13-01&days=3").status_code == 400


def test_policy_in_force_has_every_parameter(api):
    body = api("/policy?date=2024-06-01").json
    assert body["code"] == "TZ-2023-9"
    assert body["max_compensation_ratio"] == "0.8000" and body["min_bank_share"] == "0.2000"
    assert body["max_outstanding_per_enterprise"] == "5000000.00" and body["rate_spread_bp"] == 60
    assert body["eligible_industries"] == [
        "high_end_equipment",
        "new_materials",
        "new_energy",
        "new_medicine",
        "next_gen_it",
    ]


def test_no_policy_in_force_is_404_with_its_code(api):
    response = api("/policy?date=2026-06-01")
    assert response.status_code == 404
    assert response.json["errors"][0]["code"] == "no_policy_in_force"
    assert "2026-06-01" in response.json["errors"][0]["message"]


def test_policy_without_a_date_uses_the_one_clock(api, today):
    today("2024-06-01")
    assert api("/policy").json["code"] == "TZ-2023-9"
    today("2026-06-01")
    assert api("/policy").status_code == 404


def test_lpr_on_a_date(api):
    assert api("/lpr?date=2025-06-01").json == {
        "date": "2025-06-01",
        "lpr_1y_percent": "3.00",
        "published": "2025-05-20",
    }


def test_unknown_api_path_is_problem_json_404(api):
    response = api("/no-such-thing")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_audit_trail_is_for_auditors_and_admins_only(api):
    assert api("/audit").status_code == 403
    body = api("/audit?object=lpr_rates&per_page=2", headers=api.admin).json
    assert body["page"] == 1 and body["per_page"] == 2 and body["total"] >= 0


def _post_day(api, key, payload):
    return api.client.post("/api/v1/calendar/days", json=payload, headers={**api.admin, "Idempotency-Key": key})


def test_same_idempotency_key_and_body_replays_the_first_answer_and_writes_once(api, db):
    payload = {"date": "2027-01-01", "workday": False, "note": "元旦"}
    first = _post_day(api, "k-1", payload)
    second = _post_day(api, "k-1", payload)
    assert first.status_code == second.status_code == 201
    assert second.json == first.json and second.headers["Idempotent-Replayed"] == "true"
    writes = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "calendar.set_day")
    )
    assert writes == 1


def test_same_idempotency_key_with_another_body_is_422(api, db):
    _post_day(api, "k-2", {"date": "2027-01-01", "workday": False})
    response = _post_day(api, "k-2", {"date": "2027-01-02", "workday": False})
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "idempotency_key_reused"
    assert db.session.get(CalendarDay, __import__("datetime").date(2027, 1, 2)) is None


def test_a_refused_write_changes_nothing(api, db):
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = api.client.post(
        "/api/v1/lpr", json={"effective_from": "2025-12-22", "lpr_1y_percent": "0"}, headers=api.admin
    )
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "invalid_rate"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_malformed_json_is_400(api):
    response = api.client.post("/api/v1/lpr", data="{oops", headers={**api.admin, "Content-Type": "application/json"})
    assert response.status_code == 400 and response.json["errors"][0]["code"] == "malformed_json"


def test_a_zone_user_cannot_change_the_calendar(api, token_for):
    response = api.client.post(
        "/api/v1/calendar/days", json={"date": "2027-01-01", "workday": False}, headers=token_for("reader")
    )
    assert response.status_code == 403


def test_openapi_describes_every_endpoint_from_the_code(api):
    from eloan.api.registry import ENDPOINTS

    doc = api("/openapi.json", headers={}).json
    assert doc["openapi"].startswith("3.")
    described = {(p, m.upper()) for p, ops in doc["paths"].items() for m in ops}
    import re

    for ep in ENDPOINTS:
        assert (re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", ep.rule), ep.method) in described
    deadline = doc["paths"]["/calendar/deadline"]["get"]
    assert {p["name"] for p in deadline["parameters"]} >= {"from", "working_days", "days"}
    assert doc["paths"]["/me"]["get"]["responses"]["401"]["content"]["application/problem+json"]
