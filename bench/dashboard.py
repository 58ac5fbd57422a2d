"""Benchmark: the 数据看板 (issue 12) over the daily job's data — 50 banks, 20,000 enterprises, 1,000,000
loans — with two years of daily ratio snapshots (the programme's and each bank's) (target: under 300 ms).

    .venv/bin/python bench/dashboard.py [--loans 1000000] [--banks 50] [--enterprises 20000] [--database-url URL]

The data is bench/statistics.py's (bench/daily_job.py's loans, a claim for every NPL loan, payouts and
recoveries), with the claims' opinions dated (ten days after acceptance, a tenth of them late), a
fund of ¥100,000,000 appropriated with its payouts and returns in the ledger, and 730 days of snapshots.
Then, in this process and warm (the first call is not counted), best of three:

- `services.dashboard_figures.figures` for 区财政局 (the figures alone);
- GET /dashboard for 区财政局 (the page, both charts drawn);

with each part of the figures timed on its own, to show where the time goes.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.daily_job import CHUNK, TODAY, build
from bench.harness import fresh_schema, shown_url, temporary_app
from bench.statistics import add_claims, best_of, spread_enterprises

DAYS = 730


def date_the_opinions() -> int:
    """Opinions ten days after acceptance, within the fifteen days; one claim in ten a day past a deadline
    stored as nine days (as a claim accepted before a holiday correction might carry)."""
    from sqlalchemy import bindparam, select, update

    from eloan.extensions import db
    from eloan.models import Claim, Payout

    rows = db.session.execute(
        select(Claim.id, Claim.accepted_on, Payout.paid_on).join(Payout, Payout.claim_id == Claim.id)
    ).all()
    table = Claim.__table__
    stmt = (
        update(table)
        .where(table.c.id == bindparam("cid"))
        .values(
            opinion_on=bindparam("op"),
            opinion_deadline=bindparam("od"),
            payout_deadline=bindparam("pd"),
            opinion_deadline_provisional=False,
            payout_deadline_provisional=False,
        )
    )
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        db.session.execute(
            stmt,
            [
                {
                    "cid": cid,
                    "op": min(accepted + timedelta(days=10), paid),
                    "od": accepted + timedelta(days=9 if cid % 10 == 0 else 15),
                    "pd": accepted + timedelta(days=25),
                }
                for cid, accepted, paid in part
            ],
        )
    db.session.commit()
    return len(rows)


def fill_the_fund() -> int:
    """¥100,000,000 appropriated, then the ledger's payouts and remitted recovery parts (one entry each)."""
    from sqlalchemy import func, select

    from eloan.extensions import db
    from eloan.models import Payout, Recovery, User
    from eloan.services import fund

    finance = db.session.scalar(select(User).where(User.username == "finance1"))
    fund.appropriate(finance, "100000000.00", date(2023, 12, 1), "区财政拨入")
    paid = db.session.scalar(select(func.sum(Payout.amount)))
    returned = db.session.scalar(select(func.sum(Recovery.fund_part)).where(Recovery.remitted_on.is_not(None)))
    locked = fund.account(lock=True)
    if returned:
        fund.post(finance, locked, "recovery_return", "in", Decimal(returned), TODAY - timedelta(days=1))
    # The fund's scale caps what can be appropriated; the bench's payouts can exceed it, so the ledger pays
    # out what the account holds (the dashboard reads the ledger's sums, whatever they are).
    fund.post(finance, locked, "payout", "out", min(Decimal(paid or 0), locked.balance), TODAY)
    db.session.commit()
    return 3


def add_snapshots(banks: int) -> int:
    """730 days × (the programme + each bank): ratios drifting up and down a little."""
    from sqlalchemy import insert, select

    from eloan.extensions import db
    from eloan.models import Bank, RatioSnapshot

    bank_rows = db.session.execute(select(Bank.id, Bank.code)).all()
    rows = []
    for d in range(DAYS):
        on = TODAY - timedelta(days=DAYS - 1 - d)
        for bank_id, scope in [(None, "programme")] + [tuple(b) for b in bank_rows]:
            lent = Decimal(4_000_000_000 if bank_id is None else 80_000_000)
            npl = (lent * Decimal(10 + (d % 60)) / 1000).quantize(Decimal("0.01"))
            overdue = npl * 2
            rows.append(
                {
                    "on_date": on,
                    "scope": scope,
                    "bank_id": bank_id,
                    "outstanding": lent,
                    "npl_balance": npl,
                    "overdue_balance": overdue,
                    "npl_ratio": (npl / lent).quantize(Decimal("0.000001")),
                    "overdue_ratio": (overdue / lent).quantize(Decimal("0.000001")),
                }
            )
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(RatioSnapshot.__table__), rows[start : start + CHUNK])
    db.session.commit()
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--banks", type=int, default=50)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()

    app, workdir = temporary_app("dashboard", args.database_url, today=TODAY.isoformat())
    app.config["WTF_CSRF_ENABLED"] = False

    from sqlalchemy import select

    from eloan.extensions import db
    from eloan.models import User
    from eloan.services import dashboard_figures, fund, ratios, statistics

    with app.app_context(), fresh_schema(workdir):
        started = time.perf_counter()
        counts = build(args.loans, args.banks, args.enterprises)
        spread_enterprises()
        counts |= add_claims()
        counts["opinions"] = date_the_opinions()
        fill_the_fund()
        counts["snapshots"] = add_snapshots(args.banks)
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        built = time.perf_counter() - started
        finance = db.session.scalar(select(User).where(User.username == "finance1"))
        start = statistics.programme_start()

        figures_time, f = best_of(lambda: dashboard_figures.figures(finance))
        parts = {
            "fund summary": best_of(lambda: fund.summary(finance))[0],
            "附件4 since start": best_of(lambda: statistics.statistics(finance, start, TODAY))[0],
            "pricing under the cap": best_of(dashboard_figures._headroom)[0],
            "ratio trend": best_of(lambda: ratios.history(finance, None, TODAY - timedelta(days=89), TODAY))[0],
            "claim cycle times": best_of(lambda: dashboard_figures._cycles(_policy()))[0],
        }

        client = app.test_client()
        answer = client.post(
            "/login", data={"username": "finance1", "password": "Bench-Passw0rd!"}, follow_redirects=False
        )
        assert answer.status_code in (302, 303), answer.status_code

        def page():
            r = client.get("/dashboard")
            assert r.status_code == 200, r.status_code
            return r

        page_time, _ = best_of(page)
        db.session.remove()

    print(f"database        {shown_url(app)}")
    print(
        f"data            {args.loans:,} loans, {args.banks} banks, {counts['claims']:,} claims, "
        f"{counts['payouts']:,} payouts, {counts['opinions']:,} opinions, {counts['snapshots']:,} snapshots"
    )
    print(f"build           {built:6.1f} s   (not counted)")
    for label, took in (("figures", figures_time), ("GET /dashboard", page_time)):
        verdict = "met" if took < 0.3 else "NOT met"
        print(f"{label:<16}{took * 1000:7.0f} ms  (target < 300 ms: {verdict})")
    for label, took in parts.items():
        print(f"  {label:<22}{took * 1000:7.0f} ms")
    print(
        f"figures         loans {f.loans_count:,} / {f.loans_amount:,}, served {f.enterprises_served:,}, "
        f"headroom {f.mean_headroom}, utilisation {f.utilisation}, leverage {f.leverage}, trend {len(f.trend)} days, "
        + ", ".join(f"{c.key} {c.count:,} median {c.median_days} on time {c.on_time_share}" for c in f.cycles)
    )
    return 0


def _policy():
    from eloan.services.reference import policy_on

    return policy_on(TODAY)


if __name__ == "__main__":
    sys.exit(main())
