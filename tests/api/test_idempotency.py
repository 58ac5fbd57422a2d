"""Idempotency-Key after faults: a write cut off mid-way leaves no key behind, so the retry goes through;
the same request is recognised by its meaning (parsed JSON, form fields and file contents, the query),
not its bytes; identical requests racing each other still write once; old keys are forgotten."""

from __future__ import annotations

import io
import json
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from eloan import clock
from eloan.extensions import db as _db
from eloan.models import IdempotencyRecord, Loan
from eloan.services import audit
from tests.fixtures.loans import loan_body


@pytest.fixture()
def api(client, programme, token_for):
    tokens = {name: token_for(name) for name in ("teller", "teller2", "finance")}

    def call(method, path, who="teller", key=None, c=None, **kw):
        headers = {**tokens[who], **kw.pop("headers", {})}
        if key:
            headers["Idempotency-Key"] = key
        return (c or client).open("/api/v1" + path, method=method, headers=headers, **kw)

    return call


def _loans() -> int:
    return _db.session.scalar(select(func.count()).select_from(Loan))


def test_a_write_cut_off_mid_way_leaves_no_key_and_the_retry_goes_through(api, monkeypatch):
    real_record = audit.record

    def worker_killed(*args, **kwargs):
        raise SystemExit(1)  # what gunicorn does to a worker past its timeout, in the middle of the write

    monkeypatch.setattr(audit, "record", worker_killed)
    with pytest.raises(SystemExit):
        api("POST", "/loans", key="reg-crash", json=loan_body())
    _db.session.rollback()
    monkeypatch.setattr(audit, "record", real_record)

    retry = api("POST", "/loans", key="reg-crash", json=loan_body())

    assert retry.status_code == 201, retry.json
    assert _loans() == 1


def test_a_key_whose_answer_was_lost_says_so_instead_of_in_progress_forever(api, programme, monkeypatch):
    """The change committed with its key, then the process died before recording the answer."""
    import eloan.api.idempotency as idempotency

    _db.session.add(
        IdempotencyRecord(
            user_id=programme["teller"].id,
            key="reg-lost",
            method="POST",
            path="/api/v1/loans",
            request_hash="0" * 64,
            status_code=0,
            response_body="",
            created_at=clock.now() - timedelta(minutes=5),
        )
    )
    _db.session.commit()
    monkeypatch.setattr(idempotency, "_request_hash", lambda: "0" * 64)
    answer = api("POST", "/loans", key="reg-lost", json=loan_body())
    assert answer.status_code == 409 and answer.json["errors"][0]["code"] == "idempotency_answer_lost"
    assert _loans() == 0


def test_the_same_json_with_other_spacing_and_key_order_is_the_same_request(api):
    body = loan_body()
    first = api("POST", "/loans", key="reg-json", data=json.dumps(body), content_type="application/json")
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=4)
    again = api("POST", "/loans", key="reg-json", data=reordered, content_type="application/json")

    assert first.status_code == again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json["id"] == first.json["id"] and _loans() == 1


def test_another_json_value_with_the_same_key_is_refused(api):
    api("POST", "/loans", key="reg-other", json=loan_body())
    other = api("POST", "/loans", key="reg-other", json=loan_body(contract_no="B1-OTHER"))
    assert other.status_code == 422 and other.json["errors"][0]["code"] == "idempotency_key_reused"


def test_an_upload_is_the_same_request_by_its_fields_and_file_contents(api):
    loan_id = api("POST", "/loans", json=loan_body()).json["id"]
    api("POST", f"/loans/{loan_id}/events", json={"type": "overdue", "date": "2024-06-12"})

    def npl(proof: bytes):
        return api(
            "POST",
            f"/loans/{loan_id}/events",
            key="npl-1",
            content_type="multipart/form-data",
            data={"type": "npl", "date": "2024-06-19", "proof": (io.BytesIO(proof), "npl.pdf")},
        )

    first, again, changed = npl(b"%PDF-1.4 proof"), npl(b"%PDF-1.4 proof"), npl(b"%PDF-1.4 another proof")

    assert first.status_code == again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert changed.status_code == 422 and changed.json["errors"][0]["code"] == "idempotency_key_reused"


def test_the_query_is_part_of_the_request(client, monitored, token_for):
    headers = {**token_for("finance"), "Idempotency-Key": "job-q"}
    assert client.post("/api/v1/jobs/daily?date=2025-03-09", headers=headers).json["outcome"] == "done"
    other_day = client.post("/api/v1/jobs/daily?date=2025-03-10", headers=headers)
    assert other_day.status_code == 422 and other_day.json["errors"][0]["code"] == "idempotency_key_reused"


def test_keys_older_than_a_week_are_forgotten_by_the_daily_job(monitored):
    from eloan.jobs.daily import run_daily

    for key, age in (("old", timedelta(days=8)), ("recent", timedelta(days=6))):
        _db.session.add(
            IdempotencyRecord(
                user_id=monitored["finance"].id,
                key=key,
                method="POST",
                path="/api/v1/x",
                request_hash="0" * 64,
                status_code=201,
                response_body="{}",
                created_at=clock.now() - age,
            )
        )
    _db.session.commit()

    assert run_daily(date(2025, 3, 10)).summary["idempotency_keys_pruned"] == 1
    assert [r.key for r in _db.session.query(IdempotencyRecord)] == ["recent"]


@pytest.mark.postgres_only
def test_two_identical_requests_racing_write_one_loan(app, api, monkeypatch):
    """The second request reaches the key while the first is still writing: it waits, then finds the key taken."""
    first_is_writing, second_is_waiting = threading.Event(), threading.Event()
    real_record = audit.record

    def record_then_hold(*args, **kwargs):
        real_record(*args, **kwargs)
        if not first_is_writing.is_set():
            first_is_writing.set()
            assert second_is_waiting.wait(30)

    monkeypatch.setattr(audit, "record", record_then_hold)
    answers = {}

    def post(name):
        answers[name] = api("POST", "/loans", key="reg-race", json=loan_body(), c=app.test_client())

    first = threading.Thread(target=post, args=("first",))
    first.start()
    assert first_is_writing.wait(30)
    second = threading.Thread(target=post, args=("second",))
    second.start()
    # Until the second request's insert of the key waits on the first's transaction (or it has answered).
    for _ in range(300):
        if not second.is_alive():
            break
        waiting = _db.session.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%idempotency%'")
        )
        _db.session.rollback()
        if waiting:
            break
        threading.Event().wait(0.1)
    second_is_waiting.set()
    first.join(30)
    second.join(30)

    assert answers["first"].status_code == 201
    assert answers["second"].status_code in (201, 409)
    if answers["second"].status_code == 201:
        assert answers["second"].headers["Idempotent-Replayed"] == "true"
    else:
        assert answers["second"].json["errors"][0]["code"] == "idempotency_request_in_progress"
    assert _loans() == 1


@pytest.mark.parametrize("number", ["1e999999999999999999", "-1e999999999999999999"])
def test_a_number_beyond_any_decimal_with_a_key_is_refused_not_a_server_error(api, number):
    body = json.dumps(loan_body())[:-1] + f', "amount": {number}}}'

    answer = api("POST", "/loans", key="reg-huge", data=body, content_type="application/json")

    assert answer.status_code == 400, answer.json
    assert _loans() == 0
