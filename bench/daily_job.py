"""Benchmark: the daily job over 50 banks, 20,000 enterprises and 1,000,000 loans (target: under 60 s, under 500 MB).

    .venv/bin/python bench/daily_job.py [--loans 1000000] [--banks 50] [--enterprises 20000] [--database-url URL]

Builds a throw-away database — a temporary SQLite file by default; with --database-url an EMPTY database
you name (its tables are created and dropped again) — holding five years of a large programme as the loan
service would have left it: most loans repaid at maturity, a fifth outstanding (some partly repaid), and per
bank 0.4 %–3.7 % of loans gone overdue, half of those recognised NPL and some written off, with their
enterprises sanctioned. One user per bank, two in 区财政局 and one in 区金融服务中心 receive the notices.

Then it runs `run_daily` in a child process, as `eloan run-daily` would, and prints that process's wall
time and peak memory (ru_maxrss): first the date's real run, then the same date again (idempotent), then
the next day. The database's plan for the ratio query is printed too, to show it is one set-based pass.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import fresh_schema, query_plan, shown_url, temporary_app

TODAY = date(2025, 6, 30)  # TZ-2023-9 in force, so the thresholds apply
FIRST_DRAWDOWN = date(2023, 12, 4)
CHUNK = 20_000


def uscc(i: int) -> str:
    from eloan.domain.uscc import check_character

    body = f"91370405MC{i:07d}"
    return body + check_character(body)


def _loan_story(i: int, banks: int):
    """(drawdown, maturity, amount, repayments [(date, principal)], events [(type, date)]) for loan i."""
    drawdown = FIRST_DRAWDOWN + timedelta(days=i % 570)
    maturity = drawdown + timedelta(days=180 + (i % 6) * 30)
    amount = Decimal(30_000 + (i * 7919) % 220_000)  # outstanding stays within the ¥5M cap per enterprise
    r = (i * 104_729) % 10_000
    default_per_10k = 40 + (i % banks % 12) * 30  # 0.4 % … 3.7 % of loans by bank
    if r < default_per_10k:
        overdue_on = max(
            drawdown + timedelta(days=30), min(maturity + timedelta(days=1), TODAY - timedelta(days=10 + r % 90))
        )
        events = [("overdue", overdue_on)]
        npl_on = overdue_on + timedelta(days=30)
        if r % 2 and npl_on <= TODAY:
            events.append(("npl", npl_on))
            if r % 7 == 1 and npl_on + timedelta(days=30) <= TODAY:
                events.append(("written_off", npl_on + timedelta(days=30)))
        return drawdown, maturity, amount, [], [e for e in events if e[1] <= TODAY]
    if maturity < TODAY:
        return drawdown, maturity, amount, [(maturity, amount)], []
    part = drawdown + timedelta(days=90)
    if i % 10 < 3 and part <= TODAY:
        return drawdown, maturity, amount, [(part, (amount / 10).quantize(Decimal("0.01")))], []
    return drawdown, maturity, amount, [], []


def build(loans: int, banks: int, enterprises: int) -> dict:
    from sqlalchemy import insert, select

    from eloan.domain.loans import EventFact, RepaymentFact, derive_state
    from eloan.extensions import db
    from eloan.models import Bank, Enterprise, Loan, LoanEvent, Repayment, Sanction
    from eloan.services.calendar_year import load_reference_data
    from eloan.services.users import create_user

    load_reference_data()
    db.session.execute(
        insert(Bank.__table__),
        [
            {
                "code": f"BK{b:02d}",
                "name": f"第{b}合作银行台儿庄支行",
                "loss_share": Decimal("0.2500"),
                "status": "active",
                "branch_in_district": True,
                "product_recognised": True,
                "agreement_from": date(2023, 12, 1),
                "agreement_to": date(2025, 11, 29),
            }
            for b in range(banks)
        ],
    )
    db.session.execute(
        insert(Enterprise.__table__),
        [
            {
                "uscc": uscc(e),
                "name": f"台儿庄基准测试{e}号科技有限公司",
                "industry": "new_materials",
                "size_class": "small",
                "size_class_given": False,
                "in_zone": True,
                "mu_class": "A",
                "mu_year": 2023,
                "sanctioned": False,
            }
            for e in range(enterprises)
        ],
    )
    db.session.commit()
    bank_ids = [db.session.scalar(select(Bank.id).where(Bank.code == f"BK{b:02d}")) for b in range(banks)]
    enterprise_ids = dict(db.session.execute(select(Enterprise.uscc, Enterprise.id)).all())
    enterprise_ids = [enterprise_ids[uscc(e)] for e in range(enterprises)]
    for b in range(banks):
        create_user(None, f"teller{b:02d}", roles=["bank"], password="Bench-Passw0rd!", bank_code=f"BK{b:02d}")
    for name, role in (("finance1", "finance"), ("finance2", "finance"), ("fsc1", "fsc")):
        create_user(None, name, roles=[role], password="Bench-Passw0rd!")

    loan_table, repayment_table, event_table = Loan.__table__, Repayment.__table__, LoanEvent.__table__
    defaulted: dict[int, int] = {}  # enterprise id → its first defaulted loan
    counts = {"repayments": 0, "events": 0}
    next_id = 1
    for start in range(0, loans, CHUNK):
        loan_rows, repayment_rows, event_rows = [], [], []
        for i in range(start, min(start + CHUNK, loans)):
            drawdown, maturity, amount, repayments, events = _loan_story(i, banks)
            state = derive_state(
                amount, [RepaymentFact(d, p) for d, p in repayments], [EventFact(t, d) for t, d in events]
            )
            enterprise_id = enterprise_ids[i % enterprises]
            loan_rows.append(
                {
                    "id": next_id,
                    "bank_id": bank_ids[i % banks],
                    "enterprise_id": enterprise_id,
                    "contract_no": f"L{i:07d}",
                    "amount": amount,
                    "rate_percent": Decimal("3.6000"),
                    "contract_date": drawdown,
                    "drawdown_date": drawdown,
                    "maturity_date": maturity,
                    "guarantees": ["legal_rep"],
                    "policy_code": "TZ-2023-9",
                    "lpr_percent": Decimal("3.4500"),
                    "outstanding_principal": state.outstanding,
                    "status": state.status,
                    "overdue_since": state.overdue_since,
                    "npl_recognised_on": state.npl_recognised_on,
                    "closed_on": state.closed_on,
                    "not_compensable": False,
                }
            )
            repayment_rows += [
                {"loan_id": next_id, "paid_on": d, "principal": p, "interest": Decimal("0.00")} for d, p in repayments
            ]
            event_rows += [{"loan_id": next_id, "type": t, "event_date": d} for t, d in events]
            if state.status in ("overdue", "npl"):
                defaulted.setdefault(enterprise_id, next_id)
            next_id += 1
        db.session.execute(insert(loan_table), loan_rows)
        if repayment_rows:
            db.session.execute(insert(repayment_table), repayment_rows)
        if event_rows:
            db.session.execute(insert(event_table), event_rows)
        db.session.commit()
        counts["repayments"] += len(repayment_rows)
        counts["events"] += len(event_rows)
    # As the loan service flags them when the events are recorded (第十七条).
    rows = [
        {"enterprise_id": e, "loan_id": loan_id, "reason": "逾期", "flagged_on": TODAY - timedelta(days=1)}
        for e, loan_id in defaulted.items()
    ]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Sanction.__table__), rows[start : start + CHUNK])
    db.session.execute(
        Enterprise.__table__.update().where(Enterprise.__table__.c.id.in_(list(defaulted))).values(sanctioned=True)
    )
    if db.engine.dialect.name == "postgresql":  # the loan ids were given explicitly
        from sqlalchemy import text

        db.session.execute(text("SELECT setval('loans_id_seq', (SELECT max(id) FROM loans))"))
        db.session.execute(text("ANALYZE"))
    db.session.commit()
    counts["sanctioned enterprises"] = len(defaulted)
    return counts


def run_child(database_url: str, day: date) -> dict:
    """Run the job in a fresh process; its wall time and peak resident memory."""
    env = {**os.environ, "ELOAN_DATABASE_URL": database_url, "ELOAN_TODAY": day.isoformat()}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", day.isoformat()], env=env, stdout=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    output = child.stdout.read()
    if status != 0:
        raise SystemExit(f"the job's process failed:\n{output}")
    return {"wall": wall, "max_rss_mb": usage.ru_maxrss / 1024, **json.loads(output.strip().splitlines()[-1])}


def child(day: str) -> int:
    """In the child: create the app as production does and run the job once."""
    import logging

    from eloan import create_app
    from eloan.jobs.daily import run_daily

    app = create_app()
    logging.getLogger("eloan").setLevel(logging.WARNING)
    with app.app_context():
        started = time.perf_counter()
        result = run_daily(date.fromisoformat(day), trigger="bench")
        job = time.perf_counter() - started
    print(json.dumps({"job": job, "outcome": result.outcome, "summary": result.summary}, ensure_ascii=False))
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        return child(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--banks", type=int, default=50)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()

    app, workdir = temporary_app("daily", args.database_url, today=TODAY.isoformat())
    url = os.environ["ELOAN_DATABASE_URL"]

    from eloan.extensions import db

    with app.app_context(), fresh_schema(workdir):
        started = time.perf_counter()
        counts = build(args.loans, args.banks, args.enterprises)
        built = time.perf_counter() - started
        db.session.remove()
        runs = [("first run", TODAY), ("same date again", TODAY), ("next day", TODAY + timedelta(days=1))]
        results = [(label, run_child(url, day)) for label, day in runs]
        from eloan.services.ratios import sums_statement

        plan = query_plan(sums_statement(TODAY))

    print(f"database        {shown_url(app)}")
    print(
        f"data            {args.loans:,} loans, {args.banks} banks, {args.enterprises:,} enterprises, "
        f"{counts['repayments']:,} repayments, {counts['events']:,} status events, "
        f"{counts['sanctioned enterprises']:,} sanctioned enterprises"
    )
    print(f"build           {built:6.1f} s   (not counted)")
    for label, r in results:
        s = r["summary"]
        verdict = "met" if r["wall"] < 60 and r["max_rss_mb"] < 500 else "NOT met"
        print(
            f"{label:<15} {r['wall']:6.1f} s wall, job {r['job']:6.1f} s, peak {r['max_rss_mb']:5.0f} MB   "
            f"(target < 60 s and < 500 MB: {verdict}) — {r['outcome']}"
        )
        if r["outcome"] == "done":
            print(
                f"                programme {s['programme']}, suspended {len(s['suspended'])}, "
                f"resumed {len(s['resumed'])}, reminders {s['reminders']}, escalations {s['escalations']}, "
                f"matured unreported {s['matured_unreported']}"
            )
    print("ratio query plan:")
    for line in plan:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
