"""Benchmark: a bank imports 10,000 programme loans from .xlsx, preview + commit (target: under 30 s).

    .venv/bin/python bench/import_loans.py [--rows 10000] [--enterprises 2000] [--database-url URL]

Creates a throw-away app database — a temporary SQLite file by default; with --database-url an EMPTY
database you name (its tables are created and dropped again) — loads the reference data (policy
TZ-2023-9, LPR, calendar), two cooperating banks, an issued list with `--enterprises` enterprises, and
one loan at the other bank for every tenth enterprise (so the ¥5M cap counts balances at all banks).
The sheet is built in memory as people fill Excel: amounts and rates typed as numbers, dates as date
cells; every loan fits every rule, with several loans per enterprise that together stay under the cap.
Then it times the two steps of services.spreadsheets as the page would call them, on 2024-06-20.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import fresh_schema, shown_url, temporary_app

TODAY = "2024-06-20"
LIST_FROM = date(2024, 1, 15)
GUARANTEES = ("法定代表人", "法定代表人、配偶", "实际控制人", "控股股东、配偶", None)
TRADES = ("精工", "新材", "光伏", "医药", "智能", "数控", "电子", "储能", "生物", "信息")
INDUSTRIES = ("high_end_equipment", "new_materials", "new_energy", "new_medicine", "next_gen_it")


def uscc(i: int) -> str:
    from eloan.domain.uscc import check_character

    body = f"91370405MB{i:07d}"
    return body + check_character(body)


MAX_AMOUNT = 780_000.5
OTHER_BANK_LOAN = 500_000


def loan_amount(i: int) -> float:
    """100,000.50 … 780,000.50 yuan, as a float cell with fen (converted exactly by the importer)."""
    return (100_000 + (i % 18) * 40_000) + 0.5


def build_file(rows: int, enterprises: int) -> bytes:
    from openpyxl import Workbook

    from eloan.domain.loan_input import LOAN_LABELS
    from eloan.services.spreadsheets.columns import LOAN_COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("贷款信息")
    sheet.append([LOAN_LABELS[f] for f in LOAN_COLUMNS])
    for i in range(rows):
        signed = date(2024, 3, 1) + timedelta(days=i % 100)  # before 2024-07-22: LPR 3.45 %, cap 4.05 %
        drawdown = signed + timedelta(days=i % 5)
        sheet.append(
            [
                f"HT-2024-{i + 1:06d}",
                uscc(1 + i % enterprises),
                loan_amount(i),
                (3.45, 3.6, 3.85, 4.05, 3.9)[i % 5],
                datetime.combine(signed, datetime.min.time()),
                datetime.combine(drawdown, datetime.min.time()),
                datetime.combine(drawdown + timedelta(days=180 + i % 180), datetime.min.time()),
                GUARANTEES[i % 5],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed(enterprises: int) -> None:
    """Reference data, banks, users, enterprises on an issued list, and some loans at the other bank."""
    from sqlalchemy import insert

    from eloan.extensions import db
    from eloan.models import Bank, Enterprise, ListBatch, ListEntry, Loan
    from eloan.services.calendar_year import load_reference_data
    from eloan.services.users import create_user

    load_reference_data()
    for code, share in (("B1", "0.3000"), ("B2", "0.2500")):
        db.session.add(
            Bank(
                code=code,
                name=f"{code}银行台儿庄支行",
                loss_share=Decimal(share),
                status="active",
                branch_in_district=True,
                product_recognised=True,
                agreement_from=date(2023, 12, 1),
                agreement_to=date(2025, 11, 29),
            )
        )
    db.session.commit()
    create_user(None, "bench-teller", roles=["bank"], password="Bench-Passw0rd!", bank_code="B1")
    create_user(None, "bench-teller2", roles=["bank"], password="Bench-Passw0rd!", bank_code="B2")
    db.session.execute(
        insert(Enterprise.__table__),
        [
            {
                "uscc": uscc(i),
                "name": f"台儿庄{TRADES[i % 10]}{i}号科技有限公司",
                "industry": INDUSTRIES[i % 5],
                "size_class": "small",
                "size_class_given": False,
                "in_zone": True,
                "mu_class": "AB"[i % 2],
                "mu_year": 2023,
                "sanctioned": False,
            }
            for i in range(1, enterprises + 1)
        ],
    )
    batch = ListBatch(number="2024-第1批", status="issued", effective_from=LIST_FROM)
    db.session.add(batch)
    db.session.flush()
    ids = dict(
        db.session.execute(
            Enterprise.__table__.select().with_only_columns(Enterprise.__table__.c.uscc, Enterprise.__table__.c.id)
        ).all()
    )
    db.session.execute(
        insert(ListEntry.__table__),
        [
            {
                "batch_id": batch.id,
                "enterprise_id": ids[uscc(i)],
                "position": i,
                "recommended_amount": Decimal("5000000.00"),
            }
            for i in range(1, enterprises + 1)
        ],
    )
    b2 = db.session.execute(Bank.__table__.select().where(Bank.__table__.c.code == "B2")).first().id
    db.session.execute(
        insert(Loan.__table__),
        [
            {
                "bank_id": b2,
                "enterprise_id": ids[uscc(i)],
                "contract_no": f"B2-{i:06d}",
                "amount": Decimal("500000.00"),
                "rate_percent": Decimal("3.6000"),
                "contract_date": date(2024, 2, 1),
                "drawdown_date": date(2024, 2, 2),
                "maturity_date": date(2025, 2, 1),
                "guarantees": ["legal_rep"],
                "list_batch_id": batch.id,
                "policy_code": "TZ-2023-9",
                "lpr_percent": Decimal("3.45"),
                "outstanding_principal": Decimal("500000.00"),
                "status": "normal",
                "not_compensable": False,
            }
            for i in range(1, enterprises + 1, 10)
        ],
    )
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()
    per_enterprise = -(-args.rows // args.enterprises)
    if per_enterprise * MAX_AMOUNT + OTHER_BANK_LOAN > 5_000_000:
        parser.error(f"{args.rows} 笔贷款分给 {args.enterprises} 户企业会超过单户 500 万元上限；请增加 --enterprises")

    app, workdir = temporary_app("loans", args.database_url, today=TODAY)

    from sqlalchemy import func, select

    from eloan.extensions import db
    from eloan.models import AuditEntry, Loan, User
    from eloan.services import spreadsheets

    started = time.perf_counter()
    content = build_file(args.rows, args.enterprises)
    built = time.perf_counter() - started

    with app.app_context(), fresh_schema(workdir):
        started = time.perf_counter()
        seed(args.enterprises)
        seeded = time.perf_counter() - started
        teller = db.session.scalars(select(User).where(User.username == "bench-teller")).one()

        started = time.perf_counter()
        preview = spreadsheets.preview_loan_import(teller, content, "bench.xlsx")
        previewed = time.perf_counter() - started
        if not preview.ok:
            print(f"预览发现 {preview.bad} 行有误，例如：{preview.errors[0]}", file=sys.stderr)
            return 1

        started = time.perf_counter()
        result = spreadsheets.commit_loan_import(teller, preview.token)
        committed = time.perf_counter() - started

        # The commonest mistake: the same file uploaded again. Every row is refused, as fast.
        started = time.perf_counter()
        again = spreadsheets.preview_loan_import(teller, content, "bench.xlsx")
        reviewed = time.perf_counter() - started

        counts = {
            "loans": db.session.scalar(select(func.count()).select_from(Loan)),
            "audit loan.import": db.session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "loan.import")
            ),
        }

    steps = previewed + committed
    print(f"database        {shown_url(app)}")
    print(
        f"rows            {args.rows} loans to {args.enterprises} enterprises "
        f"({len(content) / 1024 / 1024:.1f} MB .xlsx)"
    )
    print(f"build file      {built:6.2f} s   (not counted)")
    print(f"seed database   {seeded:6.2f} s   (not counted)")
    print(f"preview         {previewed:6.2f} s")
    print(
        f"commit          {committed:6.2f} s   ({result.rows} loans, {result.enterprises} enterprises, "
        f"¥{result.amount:,.2f})"
    )
    print(f"preview+commit  {steps:6.2f} s   (target < 30 s: {'met' if steps < 30 else 'NOT met'})")
    print(f"rows written    {counts}")
    print(
        f"same file again {reviewed:6.2f} s   (preview: {again.bad} of {again.rows} rows refused as already registered)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
