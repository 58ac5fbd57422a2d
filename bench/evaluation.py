"""Benchmark: the annual evaluation of 50 banks (第二十条; target: under 5 s).

    .venv/bin/python bench/evaluation.py [--loans 200000] [--banks 50] [--claims-per-bank 20] [--database-url URL]

Builds the daily-job benchmark's programme (bench/daily_job.py: five years of loans, repayments and status
events per bank) in a throw-away database, adds claims first submitted in 2024 for every bank — some late,
some returned once — then times, in this process with a warm app: computing the 2024 evaluation (finance),
recomputing it, reading it as the page does, and the report PDF and Excel. Prints the statements each ran.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.daily_job import build
from bench.harness import fresh_schema, shown_url, temporary_app

YEAR = 2024
TODAY = date(2025, 6, 30)


def add_claims(per_bank: int) -> int:
    """Claims on NPL loans, first submitted in 2024: every third late, every fourth returned once."""
    from sqlalchemy import insert, select

    from eloan.domain.calendar import TZ
    from eloan.extensions import db
    from eloan.models import Claim, ClaimTransition, Loan

    loans = db.session.execute(
        select(Loan.id, Loan.bank_id).where(Loan.drawdown_date < date(2024, 6, 1)).order_by(Loan.id)
    ).all()
    by_bank: dict[int, list[int]] = {}
    for loan_id, bank_id in loans:
        if len(by_bank.setdefault(bank_id, [])) < per_bank:
            by_bank[bank_id].append(loan_id)
    claims, transitions, n = [], [], 0
    for bank_id, loan_ids in by_bank.items():
        for k, loan_id in enumerate(loan_ids):
            n += 1
            npl_on = date(2024, 3, 1) + timedelta(days=(n * 7) % 270)
            deadline = npl_on + timedelta(days=7)
            submitted = datetime.combine(deadline + timedelta(days=3 if k % 3 == 0 else -2), datetime.min.time(), TZ)
            claims.append(
                {
                    "id": n,
                    "loan_id": loan_id,
                    "bank_id": bank_id,
                    "status": "in_review",
                    "policy_code": "TZ-2023-9",
                    "npl_recognised_on": npl_on,
                    "principal": Decimal("100000.00"),
                    "bank_share": Decimal("0.2500"),
                    "fund_ratio": Decimal("0.7500"),
                    "compensation": Decimal("75000.00"),
                    "filing_deadline": deadline,
                    "filing_deadline_provisional": False,
                    "opinion_deadline_provisional": False,
                    "payout_deadline_provisional": False,
                    "fraud": False,
                    "created_at": submitted,
                }
            )
            transitions.append(
                {"claim_id": n, "from_status": "draft", "to_status": "submitted", "created_at": submitted}
            )
            if k % 4 == 0:
                later = submitted + timedelta(days=2)
                transitions.append(
                    {"claim_id": n, "from_status": "in_review", "to_status": "returned", "created_at": later}
                )
                transitions.append(
                    {
                        "claim_id": n,
                        "from_status": "returned",
                        "to_status": "submitted",
                        "created_at": later + timedelta(days=1),
                    }
                )
    db.session.execute(insert(Claim.__table__), claims)
    db.session.execute(insert(ClaimTransition.__table__), transitions)
    db.session.commit()
    return len(claims)


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, *args):
        self.n += 1


def timed(label, fn, results):
    from sqlalchemy import event

    from eloan.extensions import db

    counter = Counter()
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", counter)
    started = time.perf_counter()
    try:
        value = fn()
    finally:
        elapsed = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", counter)
    results.append((label, elapsed, counter.n))
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--banks", type=int, default=50)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--claims-per-bank", type=int, default=20)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()

    app, workdir = temporary_app("evaluation", args.database_url, today=TODAY.isoformat())
    from sqlalchemy import select

    from eloan.extensions import db
    from eloan.models import User
    from eloan.pdf.evaluation import render_evaluation_report
    from eloan.services import evaluations
    from eloan.services.spreadsheets.evaluation import evaluation_workbook

    with app.app_context(), fresh_schema(workdir):
        started = time.perf_counter()
        counts = build(args.loans, args.banks, args.enterprises)
        claims = add_claims(args.claims_per_bank)
        built = time.perf_counter() - started
        finance_id = db.session.scalar(select(User.id).where(User.username == "finance1"))
        results: list = []

        def finance():
            return db.session.get(User, finance_id)

        ev = timed("compute", lambda: evaluations.compute(finance(), YEAR), results)
        rows = len(ev.rows)
        timed("recompute", lambda: evaluations.compute(finance(), YEAR), results)
        timed("read (page/API)", lambda: len(evaluations.get(finance(), YEAR).rows), results)
        pdf = timed("report PDF", lambda: render_evaluation_report(evaluations.get(finance(), YEAR)), results)
        xlsx = timed("report Excel", lambda: evaluation_workbook(evaluations.get(finance(), YEAR)), results)
        top = min(evaluations.get(finance(), YEAR).rows, key=lambda r: r.rank)
        first = f"{top.bank.code} total {top.total}"

    print(f"database        {shown_url(app)}")
    print(
        f"data            {args.loans:,} loans, {args.banks} banks, {counts['repayments']:,} repayments, "
        f"{counts['events']:,} status events, {claims:,} claims; build {built:.1f} s (not counted)"
    )
    print(f"evaluated       {rows} banks; first: {first}; PDF {len(pdf):,} B, Excel {len(xlsx):,} B")
    for label, elapsed, statements in results:
        verdict = (
            "" if label not in ("compute", "recompute") else f"   (target < 5 s: {'met' if elapsed < 5 else 'NOT met'})"
        )
        print(f"{label:<15} {elapsed:6.2f} s, {statements:3d} statements{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
