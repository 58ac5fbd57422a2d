"""Ratios, the daily job and notifications over the API (API.md; 第十八条)."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.models import BankStatusChange, DailyRun
from tests.fixtures.monitoring import put_loan


@pytest.fixture()
def api(client, monitored, token_for):
    tokens = {name: token_for(name) for name in ("teller", "teller2", "finance", "fsc", "auditor", "admin", "zone")}

    def call(method, path, who="finance", **kw):
        headers = {**tokens[who], **kw.pop("headers", {})}
        return client.open("/api/v1" + path, method=method, headers=headers, **kw)

    return call


def _npl_book():
    put_loan("B1", "9600000.00")
    put_loan("B1", "400000.00", events=(("overdue", date(2025, 2, 3)), ("npl", date(2025, 3, 3))))
    put_loan("B2", "30000000.00", enterprise_no=2)


def test_a_banks_ratios_with_the_breach_and_thresholds(api):
    _npl_book()
    body = api("GET", "/banks/B1/ratios?date=2025-03-10").json
    assert body == {
        "bank": "B1",
        "status": "active",
        "date": "2025-03-10",
        "outstanding": "10000000.00",
        "npl_balance": "400000.00",
        "overdue_balance": "400000.00",
        "npl_ratio": "0.0400",
        "overdue_ratio": "0.0400",
        "breaches": ["npl_ratio"],
        "npl_ratio_threshold": "0.0300",
        "overdue_ratio_threshold": "0.0500",
    }
    assert api("GET", "/banks/B1/ratios?date=2025-03-01").json["npl_balance"] == "0.00"  # before recognition


def test_a_bank_reads_its_own_ratios_and_another_banks_look_absent(api):
    _npl_book()
    assert api("GET", "/banks/B1/ratios", who="teller").status_code == 200
    assert api("GET", "/banks/B2/ratios", who="teller").status_code == 404
    assert api("GET", "/banks/NOPE/ratios", who="teller").status_code == 404
    assert api("GET", "/programme/ratios", who="teller").status_code == 403


def test_the_programme_ratios_cover_every_bank(api):
    _npl_book()
    body = api("GET", "/programme/ratios?date=2025-03-10", who="fsc").json
    assert body["outstanding"] == "40000000.00" and body["npl_ratio"] == "0.0100" and body["breaches"] == []


def test_the_job_over_the_api_runs_once_per_date(api, db):
    _npl_book()
    first = api("POST", "/jobs/daily?date=2025-03-10", headers={"Idempotency-Key": "job-1"})
    assert first.status_code == 200 and first.json["outcome"] == "done"
    assert first.json["summary"]["suspended"] == ["B1"]
    again = api("POST", "/jobs/daily?date=2025-03-10", who="admin")
    assert again.status_code == 200 and again.json["outcome"] == "already_done"
    assert db.session.query(BankStatusChange).filter_by(source="daily_job").count() == 1
    assert api("GET", "/banks/B1/ratios", who="teller").json["status"] == "suspended"
    history = api("GET", "/banks/B1/ratio-history?from=2025-03-01&to=2025-03-31").json
    assert history == [
        {
            "date": "2025-03-10",
            "outstanding": "10000000.00",
            "npl_balance": "400000.00",
            "overdue_balance": "400000.00",
            "npl_ratio": "0.0400",
            "overdue_ratio": "0.0400",
        }
    ]
    runs = api("GET", "/jobs/daily-runs", who="auditor").json
    assert runs[0]["date"] == "2025-03-10" and runs[0]["status"] == "done"


def test_only_admin_and_finance_start_the_job_and_not_in_the_future(api, db):
    assert api("POST", "/jobs/daily?date=2025-03-10", who="fsc").status_code == 403
    assert api("POST", "/jobs/daily?date=2025-03-10", who="teller").status_code == 403
    future = api("POST", "/jobs/daily?date=2025-03-11")
    assert future.status_code == 422 and future.json["errors"][0]["code"] == "date_in_future"
    assert api("POST", "/jobs/daily?date=2025-13-01").status_code == 400
    assert db.session.query(DailyRun).count() == 0


def test_an_earlier_date_than_the_last_run_is_a_conflict(api):
    api("POST", "/jobs/daily?date=2025-03-10")
    refused = api("POST", "/jobs/daily?date=2025-03-09")
    assert refused.status_code == 409 and refused.json["errors"][0]["code"] == "daily_run_out_of_order"


def test_notifications_are_listed_newest_first_and_marked_read_by_their_owner_only(api):
    _npl_book()
    api("POST", "/jobs/daily?date=2025-03-10")
    inbox = api("GET", "/notifications", who="teller").json
    assert inbox["total"] == inbox["unread"] >= 1
    kinds = [n["kind"] for n in inbox["items"]]
    # the suspension, and the NPL loan's filing deadline (5 working days after 03-03) falling today
    assert sorted(kinds) == ["bank_status", "deadline_reminder"]
    notice = inbox["items"][kinds.index("bank_status")]
    assert notice["read"] is False and "暂停" in notice["title"]
    assert api("POST", f"/notifications/{notice['id']}/read", who="teller2").status_code == 404
    read = api("POST", f"/notifications/{notice['id']}/read", who="teller")
    assert read.status_code == 200 and read.json["read"] is True
    after = api("GET", "/notifications?unread=true", who="teller").json
    assert after["unread"] == inbox["unread"] - 1 and all(n["id"] != notice["id"] for n in after["items"])
