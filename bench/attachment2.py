"""Benchmark: 附件2 风险补偿资金申请表 for one claim, and 区财政局's opinion (target: under 0.5 s each).

    .venv/bin/python bench/attachment2.py [--repeat 5] [--status approved|draft] [--out /tmp/a2.pdf]

The claim is POLICY.md §7's example (P ¥1,234,567.89, bank share 30 %, C ¥864,197.52) made of plain
objects shaped like Claim/Loan/Enterprise/Bank/ClaimDocument/ClaimReview, so no database is involved;
an approved claim carries the three reviews with comments and the opinion, so every box prints.
Times are also given as a ratio to a blank page (the shared frame, same font) rendered in the same
run, which stays comparable between a fast and a slow machine (shared/FACTS.md).
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
from eloan.domain.compensation import compute_compensation
from eloan.domain.uscc import check_character
from eloan.pdf.attachment2 import attachment2_context, opinion_context
from eloan.pdf.render import render_document

NAMES = {1: "李明", 2: "王秀英", 3: "张志强", 4: "刘海燕"}
COMMENTS = {
    "zone": "经核实，企业位于经济开发区内，列入2024年第一批推荐企业名单。",
    "industry": "企业属新材料产业，经营情况属实。",
    "fsc": "材料齐全，贷款发放程序合规。",
}


def sample_claim(status: str = "approved") -> SimpleNamespace:
    first17 = "91370405MA0000001"
    enterprise = SimpleNamespace(name="台儿庄新材料科技有限公司", uscc=first17 + check_character(first17))
    loan = SimpleNamespace(
        contract_no="HT-2024-0601",
        amount=Decimal("1500000.00"),
        rate_percent=Decimal("3.6000"),
        drawdown_date=date(2024, 6, 5),
        maturity_date=date(2025, 6, 5),
        overdue_since=date(2024, 9, 2),
        enterprise=enterprise,
    )
    amounts = compute_compensation(Decimal("1234567.89"), Decimal("0.3000"), Decimal("0.8000"))
    approved = status != "draft"
    at = datetime(2024, 9, 30, 10, 0, tzinfo=TZ)
    documents = (
        [
            SimpleNamespace(kind=kind, superseded=False)
            for kind in ("application_form", "contracts", "contracts", "npl_proof")
        ]
        if approved
        else []
    )
    reviews = [
        SimpleNamespace(round=1, role=role, decision="approve", comment=COMMENTS[role], reviewer_id=n, created_at=at)
        for n, role in enumerate(("zone", "industry", "fsc"), start=1)
    ]
    return SimpleNamespace(
        id=17,
        status=status,
        loan=loan,
        bank=SimpleNamespace(name="中国农业银行股份有限公司枣庄台儿庄支行"),
        npl_recognised_on=date(2024, 9, 27),
        principal=amounts.principal,
        bank_share=amounts.bank_share,
        fund_ratio=amounts.fund_ratio,
        compensation=amounts.compensation,
        approved_amount=amounts.compensation if approved else None,
        collection_measures="2024年9月3日起电话催收3次，9月10日上门催收；9月20日向法院申请诉前财产保全。"
        if approved
        else None,
        submitted_at=at if approved else None,
        accepted_on=date(2024, 9, 30) if approved else None,
        documents=documents,
        reviews=reviews if approved else [],
        opinion_decision="approve" if approved else None,
        opinion_reason=None,
        opinion_by_id=4 if approved else None,
        opinion_on=date(2024, 10, 8) if approved else None,
        payout_deadline=date(2024, 10, 23) if approved else None,
        payout_deadline_provisional=False,
    )


def _timed(template: str, context: dict) -> tuple[Decimal, int, bytes]:
    """(seconds, pages, pdf) for one render, layout and PDF writing both counted."""
    start = time.perf_counter_ns()
    document = render_document(template, **context)
    pdf = document.write_pdf()
    elapsed = Decimal(time.perf_counter_ns() - start) / Decimal(10**9)
    return elapsed, len(document.pages), pdf


def _best(template: str, context: dict, repeat: int) -> tuple[Decimal, Decimal, int, bytes]:
    """(first, best, pages, pdf): the first render also compiles the template, as a fresh worker's would."""
    first = _timed(template, context)[0]
    best, pages, pdf = min((_timed(template, context) for _ in range(repeat)), key=lambda run: run[0])
    return first, best, pages, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--status", default="approved", choices=("approved", "draft"))
    parser.add_argument("--out", type=Path, help="also write the form's PDF here")
    args = parser.parse_args()

    claim = sample_claim(args.status)
    blank = {"doc_title": "blank"}
    _timed("base.html", blank)  # warm-up: fontconfig and the font's first load are one-off costs
    blank_s = min(_timed("base.html", blank)[0] for _ in range(max(args.repeat, 10)))
    forms = [("附件2 申请表", _best("attachment2.html", attachment2_context(claim, names=NAMES), args.repeat))]
    if claim.opinion_decision:
        forms.append(("审核意见书", _best("opinion.html", opinion_context(claim, names=NAMES), args.repeat)))

    if args.out:
        args.out.write_bytes(forms[0][1][3])
    seconds, ratio = Decimal("0.001"), Decimal("0.1")
    print(f"附件2 风险补偿资金申请表, one {args.status} claim, best of {args.repeat}, warm")
    print(f"  blank page        {blank_s.quantize(seconds)} s")
    for label, (first, elapsed, pages, pdf) in forms:
        verdict = "met" if elapsed < Decimal("0.5") else "NOT met"
        print(
            f"  {label:12}  {elapsed.quantize(seconds)} s  (target < 0.5 s: {verdict})  "
            f"{(elapsed / blank_s).quantize(ratio)}× blank  first render {first.quantize(seconds)} s  "
            f"{pages} page(s)  {len(pdf) // 1024} KB"
        )


if __name__ == "__main__":
    main()
