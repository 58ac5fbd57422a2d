"""Benchmark: the audit log's hash chain — writing (chaining at commit) and `audit-verify` over a long log
(target: verify 200,000 entries in under 20 s, memory flat).

    .venv/bin/python bench/audit_verify.py [--entries 200000] [--database-url URL]

Writes the entries through audit.record_many in commits of 10,000 (as bulk imports do), so every entry is
chained by the commit hook exactly as in production; then times one single-entry commit on the long log
(the chain's cost per ordinary write must not grow with the log), a full verification, and a verification
that finds an entry tampered with half-way. Peak RSS is read before and after verifying: the walk reads the
log in keyset pages, so it should not grow with the number of entries. A temporary SQLite file by default;
with --database-url an EMPTY database you name (its tables are created and dropped again).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import fresh_schema, shown_url, temporary_app

CHUNK = 10_000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()

    app, workdir = temporary_app("audit", args.database_url)

    from sqlalchemy import select, text

    from eloan.models import AuditEntry
    from eloan.services import audit
    from eloan.services.audit_chain import verify

    with app.app_context(), fresh_schema(workdir) as db:
        print(f"数据库：{shown_url(app)}；审计记录 {args.entries:,} 条")
        started = time.perf_counter()
        for first in range(0, args.entries, CHUNK):
            items = (
                (n, {"名称": f"企业{n}", "注册资本": f"{n * 1000}.00", "等级": "ABCD"[n % 4]})
                for n in range(first, min(first + CHUNK, args.entries))
            )
            audit.record_many(None, "enterprise.import", "enterprises", items)
            db.session.commit()
        print(f"写入并入链（每次提交 {CHUNK:,} 条）：{time.perf_counter() - started:.1f} s")

        single = []
        for n in range(21):
            started = time.perf_counter()
            audit.record(None, "bench.one", object_type="bench", object_id=n)
            db.session.commit()
            single.append(time.perf_counter() - started)
        print(f"长日志上的单条提交（含入链）：中位数 {statistics.median(single) * 1000:.1f} ms（21 次）")

        before = _rss_mb()
        started = time.perf_counter()
        report = verify()
        took = time.perf_counter() - started
        print(
            f"完整校验：{took:.1f} s（{report.entries / took:,.0f} 条/秒），结果 chain_ok={report.chain_ok}；"
            f"峰值内存 {before:.0f} MB → {_rss_mb():.0f} MB"
        )
        if not report.chain_ok:
            print(f"意外：校验未通过 {report}")
            return 1

        middle = db.session.scalar(select(AuditEntry.id).where(AuditEntry.seq == args.entries // 2))
        db.session.execute(text("UPDATE audit_log SET object_id = 'x' WHERE id = :id"), {"id": middle})
        db.session.commit()
        started = time.perf_counter()
        report = verify()
        print(
            f"篡改中间一条后校验：{time.perf_counter() - started:.1f} s，first_bad_id={report.first_bad_id}"
            f"（应为 {middle}），reason={report.reason}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
