"""GET /api/v1/dashboard (API.md): the dashboard's figures as JSON, over tests/fixtures/dashboard.py."""

from __future__ import annotations

import pytest


@pytest.fixture()
def api(client, dashboard_programme, token_for):
    tokens = {name: token_for(name) for name in ("teller", "finance", "auditor", "admin")}

    def call(who="finance"):
        return client.get("/api/v1/dashboard", headers=tokens[who])

    return call


def test_the_figures(api):
    body = api().json
    assert body["as_of"] == "2025-03-10" and body["programme_start"] == "2023-11-30"
    assert body["fund"] == {
        "scale": "100000000.00",
        "appropriated": "10000000.00",
        "balance": "9810000.00",
        "utilisation": "0.0225",
        "outstanding_loans": "1000000.00",
        "leverage": "0.10",
    }
    assert body["loans"] == {
        "count": 5,
        "amount": "2800000.00",
        "enterprises_served": 4,
        "mean_headroom_percent": "0.3607",
        "rate_spread_bp": 60,
    }
    assert body["claims"] == {
        "count": 2,
        "amount": "575000.00",
        "paid": "225000.00",
        "recovered": "30000.00",
        "clawed_back": "5000.00",
        "net_loss": "190000.00",
    }
    ratios = body["ratios"]
    assert (ratios["from"], ratios["to"], ratios["npl_threshold"]) == ("2024-12-11", "2025-03-10", "0.0300")
    assert ratios["days"][-1] == {
        "date": "2025-03-10",
        "outstanding": "2000000.00",
        "npl_balance": "500000.00",
        "overdue_balance": "600000.00",
        "npl_ratio": "0.2500",
        "overdue_ratio": "0.3000",
    }
    assert len(ratios["days"]) == 2
    filing, opinion, payout = body["cycle_times"]
    assert filing == {
        "step": "filing",
        "label": "认定不良至提交申请",
        "limit": "5个工作日（第十五条）",
        "limit_days": 5,
        "count": 2,
        "median_days": "3.0",
        "max_days": 3,
        "on_time": 1,
        "on_time_share": "0.5000",
    }
    assert (opinion["median_days"], opinion["on_time_share"]) == ("10.0", "1.0000")
    assert (payout["median_days"], payout["max_days"]) == ("8.0", 8)


@pytest.mark.parametrize("who", ["teller", "admin"])
def test_banks_and_the_administrator_are_refused(api, who):
    answer = api(who)
    assert answer.status_code == 403


def test_the_auditor_reads_it(api):
    assert api("auditor").status_code == 200
