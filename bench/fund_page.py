"""Benchmark: the fund page with 100,000 ledger entries (target: under 200 ms).

    .venv/bin/python bench/fund_page.py [--entries 100000] [--loans 20000] [--repeat 7] [--database-url URL]
                                        [--index kind,amount]

Creates a throw-away app database — a temporary SQLite file by default; with --database-url an EMPTY
database you name (its tables are created and dropped again) — with the reference data, banks, an
issued list and `--loans` loans (bench/loan_list.py's seed), then `--entries` fund ledger entries written
with Core bulk inserts: appropriated tranches within the fund scale, payouts, recovery returns and
clawback receipts, each with the running balance after it (`balance_after`) exactly as fund.post writes
it, and the account row (`fund_accounts` id 1) with the final balance and the appropriated total.
Then ANALYZE, as autovacuum or a DBA would have done.

It times what the fund page needs — fund.summary(actor) and fund.entries(actor, page=1, per_page=50,
newest_first=True) — warm (after one untimed run), best of `--repeat`, each run in a fresh session as
a request would be; then each statement on its own, and the query plans (EXPLAIN) of the slow ones.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import fresh_schema, query_plan, shown_url, temporary_app
from bench.loan_list import TODAY
from bench.loan_list import seed as seed_loans

CHUNK = 10_000
TRANCHE = 5_000_000_00  # fen; the first is the policy's first tranche (第十四条)
FIRST_TRANCHE = 10_000_000_00
MS = Decimal("0.1")


def _ledger(entries: int, scale_fen: int, user_id: int) -> tuple[list[dict], int, int]:
    """(rows, final balance, appropriated) in fen; every balance_after is the running sum, never negative.

    Cycles of 10 entries: 5 payouts of varying amounts, a clawback receipt, and 4 recovery returns that
    bring back all but ¥1,000.00 of the cycle's payouts, so the fund drains slowly; a tranche is
    appropriated whenever a payout would overdraw the account, and never past the fund scale.
    """
    rows, balance = [], 0

    def add(kind: str, direction: str, fen: int) -> None:
        nonlocal balance
        balance += fen if direction == "in" else -fen
        n = len(rows)
        day = date(2024, 1, 2) + timedelta(days=n // 60)
        rows.append(
            {
                "entry_date": day,
                "kind": kind,
                "direction": direction,
                "amount": Decimal(fen) / 100,
                "balance_after": Decimal(balance) / 100,
                "reference": f"BENCH-{n:06d}",
                "note": None,
                "claim_id": None,
                "recovery_id": None,
                "clawback_id": None,
                "reverses_entry_id": None,
                "created_by_id": user_id,
                "created_at": datetime.combine(day, clock_time(9, 0)),
            }
        )

    add("appropriation", "in", FIRST_TRANCHE)
    appropriated, cycle = FIRST_TRANCHE, 0
    while len(rows) < entries:
        paid = 0
        for k in range(5):
            fen = 4_000_000 + (cycle * 7919 + k * 104_729) % 2_000_000  # ¥40,000.00 to ¥60,000.00
            if fen > balance:
                if appropriated + TRANCHE > scale_fen:
                    raise SystemExit("the ledger would pass the fund scale; use fewer --entries")
                add("appropriation", "in", TRANCHE)
                appropriated += TRANCHE
            add("payout", "out", fen)
            paid += fen
        clawback = 100_000 + (cycle * 31) % 900_000
        add("clawback_receipt", "in", clawback)
        back = paid - 100_000 - clawback
        for k in range(4):
            add("recovery_return", "in", back // 4 if k < 3 else back - 3 * (back // 4))
        cycle += 1
    rows = rows[:entries]
    kept_appropriated = sum(int(r["amount"] * 100) for r in rows if r["kind"] == "appropriation")
    return rows, int(rows[-1]["balance_after"] * 100), kept_appropriated


def seed(entries: int, loans: int) -> None:
    from sqlalchemy import insert, text

    from eloan.extensions import db
    from eloan.models import FundAccount, FundEntry
    from eloan.services.reference import policy_on
    from eloan.services.users import create_user

    seed_loans(loans, 5, None)
    finance = create_user(None, "bench-finance", roles=["finance"], password="Bench-Passw0rd!")
    scale_fen = int(policy_on(date.fromisoformat(TODAY)).fund_scale * 100)
    rows, balance, appropriated = _ledger(entries, scale_fen, finance.id)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(FundEntry.__table__), rows[start : start + CHUNK])
    db.session.execute(
        insert(FundAccount.__table__),
        [
            {
                "id": 1,
                "name": "园区E贷风险补偿资金专户",
                "balance": Decimal(balance) / 100,
                "appropriated": Decimal(appropriated) / 100,
            }
        ],
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _ms(started: int) -> Decimal:
    return Decimal(time.perf_counter_ns() - started) / Decimal(1_000_000)


def _time_page(repeat: int) -> tuple[Decimal, Decimal, Decimal, object, int]:
    """Best (summary, entries, both) in ms over `repeat` warm runs, each in a new session; and what they gave."""
    from sqlalchemy import select

    from eloan.extensions import db
    from eloan.models import User
    from eloan.services import fund

    best = [None, None, None]
    for run in range(repeat + 1):
        db.session.remove()
        actor = db.session.scalars(select(User).where(User.username == "bench-finance")).one()
        _ = actor.roles_rel  # the login loads the user with its roles; not part of the page
        started = time.perf_counter_ns()
        summary = fund.summary(actor)
        summary_ms = _ms(started)
        middle = time.perf_counter_ns()
        items, total = fund.entries(actor, page=1, per_page=50, newest_first=True)
        entries_ms, both_ms = _ms(middle), _ms(started)
        if run:  # the first run warms caches and is not counted
            best = [m if b is None else min(b, m) for b, m in zip(best, (summary_ms, entries_ms, both_ms), strict=True)]
    assert len(items) == 50 and items[0].balance_after == summary.balance, "ledger and account disagree"
    return best[0], best[1], best[2], summary, total


def _statements() -> dict:
    """The statements the page runs, as fund.summary and fund.entries build them."""
    from sqlalchemy import func, select

    from eloan.models import FundAccount, FundEntry, Loan

    return {
        "account": select(FundAccount).where(FundAccount.id == 1),
        "outstanding loans": select(func.coalesce(func.sum(Loan.outstanding_principal), 0)).where(
            Loan.status.in_(("normal", "overdue", "npl"))
        ),
        **{
            f"sum {kind}": select(func.coalesce(func.sum(FundEntry.amount), 0)).where(FundEntry.kind == kind)
            for kind in ("payout", "recovery_return", "clawback_receipt")
        },
        "count": select(func.count()).select_from(FundEntry),
        "page": select(FundEntry).order_by(FundEntry.id.desc()).limit(50).offset(0),
    }


def _each_statement(repeat: int) -> list[tuple[str, Decimal, str]]:
    """(name, best ms, plan) of each statement on its own."""

    from eloan.extensions import db

    found = []
    for name, statement in _statements().items():
        best = None
        for run in range(repeat + 1):
            started = time.perf_counter_ns()
            db.session.execute(statement).all()
            elapsed = _ms(started)
            if run:
                best = elapsed if best is None else min(best, elapsed)
        found.append((name, best, "\n".join("    " + line for line in query_plan(statement))))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--index", metavar="COLUMNS", help="also create this index on fund_entries, e.g. kind,amount")
    args = parser.parse_args()

    app, workdir = temporary_app("fund", args.database_url, today=TODAY)

    from sqlalchemy import Index, text

    from eloan.extensions import db
    from eloan.models import FundEntry

    with app.app_context(), fresh_schema(workdir):
        started = time.perf_counter_ns()
        seed(args.entries, args.loans)
        if args.index:  # an index the model does not have, to see what it would change
            columns = [FundEntry.__table__.c[name.strip()] for name in args.index.split(",")]
            Index("ix_bench_fund_entries_" + "_".join(c.name for c in columns), *columns).create(db.engine)
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        seeded_s = _ms(started) / 1000
        summary_ms, entries_ms, both_ms, summary, total = _time_page(args.repeat)
        statements = _each_statement(args.repeat)

    print(f"database        {shown_url(app)}")
    print(
        f"ledger          {total} entries, balance ¥{summary.balance:,}, appropriated ¥{summary.appropriated:,}, "
        f"paid out ¥{summary.paid_out:,}; {args.loans} loans (seeded in {seeded_s.quantize(MS)} s)"
        + (f"; extra index on fund_entries ({args.index})" if args.index else "")
    )
    print(f"runs            best of {args.repeat}, warm, each in a new session; target < 200 ms")
    verdict = "met" if both_ms < 200 else "NOT met"
    print(
        f"fund page       summary {summary_ms.quantize(MS)} ms + entries page 1 {entries_ms.quantize(MS)} ms "
        f"= {both_ms.quantize(MS)} ms ({verdict})"
    )
    print("statements on their own (best ms) and plans:")
    for name, best, plan in statements:
        print(f"  {name:20} {best.quantize(MS):>7} ms\n{plan}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
