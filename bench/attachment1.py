"""Benchmark: 附件1 推荐企业名单 with 500 entries (target: under 5 s on the 2-core machines).

    .venv/bin/python bench/attachment1.py [--entries 500] [--repeat 3] [--out /tmp/list.pdf]

The batch is made of plain objects shaped like ListBatch/ListEntry/Enterprise, so no database is
involved. Times are also given as a ratio to a blank page (the shared frame, same font) rendered
in the same run, which stays comparable between a fast and a slow machine (shared/FACTS.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eloan.domain.calendar import TZ
from eloan.domain.uscc import check_character
from eloan.pdf.attachment1 import attachment1_context
from eloan.pdf.render import render_document

PLACES = ("台儿庄", "枣庄", "山东", "运河", "古城", "鲁南")
TRADES = ("精工", "新材", "光伏", "医药", "智能", "数控", "电子", "储能", "生物", "信息")
SUFFIXES = ("有限公司", "科技有限公司", "股份有限公司", "制造有限公司")
INDUSTRIES = ("high_end_equipment", "new_materials", "new_energy", "new_medicine", "next_gen_it")
SIZES = ("medium", "small", "micro")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "伟", "秀英", "志强", "海燕", "明", "丽娟", "国庆", "立新", "静")


def _uscc(i: int) -> str:
    first17 = f"91370405MA{i:07d}"
    return first17 + check_character(first17)


def _enterprise(i: int) -> SimpleNamespace:
    name = PLACES[i % 6] + TRADES[i % 10] + SUFFIXES[i % 4]
    if i % 17 == 0:  # now and then a very long name, which must wrap inside its cell
        name = "台儿庄经济开发区" + TRADES[i % 10] + "高端装备与新一代信息技术产业融合发展" + SUFFIXES[i % 4]
    return SimpleNamespace(
        name=name,
        uscc=_uscc(i),
        industry=INDUSTRIES[i % 5],
        size_class=SIZES[i % 3],
        mu_class="AB"[i % 2],
        mu_year=2023,
        legal_rep=SURNAMES[i % 20] + GIVEN[i % 10],
        phone=f"0632-66{i % 100000:05d}" if i % 2 else f"139{i:08d}",
    )


def sample_batch(entries: int, status: str = "issued") -> SimpleNamespace:
    """A batch with `entries` enterprises, confirmed by all three units unless a draft."""
    at = datetime(2024, 3, 1, 10, 0, tzinfo=TZ)
    issued = status == "issued"
    confirmations = (
        []
        if status == "draft"
        else [
            SimpleNamespace(role=role, action="confirm", cleared_at=None, created_at=at)
            for role in ("zone", "industry", "fsc")
        ]
    )
    return SimpleNamespace(
        number="2024-第1批",
        title="",
        status=status,
        effective_from=date(2024, 3, 5) if issued else None,
        effective_to=None,
        issued_at=at if issued else None,
        note="",
        entries=[
            SimpleNamespace(
                position=i,
                enterprise=_enterprise(i),
                recommended_amount=Decimal(100 + (i % 5) * 50) * 10000,
                note="区外特别优质" if i % 50 == 0 else "",
            )
            for i in range(1, entries + 1)
        ],
        confirmations=confirmations,
    )


def _timed(template: str, context: dict) -> tuple[Decimal, int, bytes]:
    """(seconds, pages, pdf) for one render, layout and PDF writing both counted."""
    start = time.perf_counter_ns()
    document = render_document(template, **context)
    pdf = document.write_pdf()
    elapsed = Decimal(time.perf_counter_ns() - start) / Decimal(10**9)
    return elapsed, len(document.pages), pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--status", default="issued", choices=("draft", "confirmed", "issued"))
    parser.add_argument("--out", type=Path, help="also write the PDF here")
    args = parser.parse_args()

    context = attachment1_context(sample_batch(args.entries, args.status))
    blank = {"doc_title": "blank"}

    _timed("base.html", blank)  # warm-up: fontconfig and the font's first load are one-off costs
    # A blank page takes hundredths of a second: more runs keep its best time steady.
    blank_s = min(_timed("base.html", blank)[0] for _ in range(max(args.repeat, 10)))
    runs = [_timed("attachment1.html", context) for _ in range(args.repeat)]
    list_s, pages, pdf = min(runs, key=lambda run: run[0])

    if args.out:
        args.out.write_bytes(pdf)
    seconds = Decimal("0.01")
    print(f"附件1 推荐企业名单, {args.entries} entries, best of {args.repeat}")
    print(f"  blank page      {blank_s.quantize(seconds)} s")
    print(f"  render          {list_s.quantize(seconds)} s  (target < 5 s)")
    print(f"  ratio to blank  {(list_s / blank_s).quantize(Decimal('0.1'))}×")
    print(f"  pages           {pages}")
    print(f"  PDF size        {len(pdf) // 1024} KB")


if __name__ == "__main__":
    main()
