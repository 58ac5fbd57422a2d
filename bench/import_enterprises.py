"""Benchmark: importing a 20,000-row registry sheet, preview + commit (target: total under 30 s).

    .venv/bin/python bench/import_enterprises.py [--rows 20000] [--database-url URL]

Builds the .xlsx in memory (amounts typed as numbers, dates as date cells, as people fill Excel),
creates a throw-away app database — a temporary SQLite file by default; with --database-url an
EMPTY database you name (its tables are created and dropped again) — and times the two steps of
services.spreadsheets as the page would call them.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import fresh_schema, shown_url, temporary_app

PLACES = ("台儿庄", "枣庄", "山东", "运河", "古城", "鲁南")
TRADES = ("精工", "新材", "光伏", "医药", "智能", "数控", "电子", "储能", "生物", "信息")
SUFFIXES = ("有限公司", "科技有限公司", "股份有限公司", "制造有限公司")
INDUSTRY_LABELS = ("高端装备", "新材料", "新能源", "新医药", "新一代信息技术", "其他")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def build_file(rows: int) -> bytes:
    from openpyxl import Workbook

    from eloan.domain.registry import FIELD_LABELS
    from eloan.domain.uscc import check_character
    from eloan.services.spreadsheets.columns import ENTERPRISE_COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业信息")
    sheet.append([FIELD_LABELS[f] for f in ENTERPRISE_COLUMNS])
    for i in range(1, rows + 1):
        body = f"91370405MA{i:07d}"
        sheet.append(
            [
                body + check_character(body),
                f"{PLACES[i % 6]}{TRADES[i % 10]}{i}号{SUFFIXES[i % 4]}",
                INDUSTRY_LABELS[i % 6],
                "中型" if i % 7 == 0 else None,  # mostly left empty: computed from employees and revenue
                "是" if i % 9 else "否",
                "区政府〔2024〕特优认定" if i % 9 == 0 else None,
                date(2005, 1, 1) + timedelta(days=i % 6000),
                10 + i % 500,
                (i % 50_000) * 1000 + 0.25 * (i % 4),  # floats with fen, read exactly by the importer
                (i % 40_000) * 1000 + 0.5,
                "ABCD"[i % 4],
                2023 + i % 2,
                SURNAMES[i % 20] + "建国",
                f"139{i:08d}",
                f"山东省枣庄市台儿庄区经济开发区{i % 200}号",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()

    app, workdir = temporary_app("import", args.database_url)

    from sqlalchemy import func, select

    from eloan.extensions import db
    from eloan.models import AuditEntry, Enterprise, MuRating
    from eloan.services import spreadsheets
    from eloan.services.users import create_user

    started = time.perf_counter()
    content = build_file(args.rows)
    built = time.perf_counter() - started

    with app.app_context(), fresh_schema(workdir):
        zone = create_user(None, "bench-zone", roles=["zone"], password="Bench-Passw0rd!")

        started = time.perf_counter()
        preview = spreadsheets.preview_enterprise_import(zone, content, "bench.xlsx")
        previewed = time.perf_counter() - started
        if not preview.ok:
            print(f"预览发现 {preview.bad} 行有误，例如：{preview.errors[0]}", file=sys.stderr)
            return 1

        started = time.perf_counter()
        result = spreadsheets.commit_enterprise_import(zone, preview.token)
        committed = time.perf_counter() - started

        counts = {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Enterprise, MuRating, AuditEntry)
        }

    total = built + previewed + committed
    print(f"database        {shown_url(app)}")
    print(f"rows            {args.rows} ({len(content) / 1024 / 1024:.1f} MB .xlsx)")
    print(f"build file      {built:6.2f} s")
    print(f"preview         {previewed:6.2f} s")
    print(f"commit          {committed:6.2f} s   ({result.enterprises} enterprises, {result.ratings_created} ratings)")
    print(f"preview+commit  {previewed + committed:6.2f} s")
    print(f"total           {total:6.2f} s   (target < 30 s: {'met' if total < 30 else 'NOT met'})")
    print(f"rows written    {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
