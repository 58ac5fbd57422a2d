"""附件4 《台儿庄区“园区E贷”业务情况统计表》 (POLICY.md §12.4): A4 landscape, amounts in 万元.

One row per bank and a 合计, then the same figures by industry and by 亩产效益 class. The figures are
those of services/statistics.py, only written in 万元 with two decimals (ROUND_HALF_UP) and ratios as
percentages, so the form, the page, the JSON and the sheet agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from eloan.domain.calendar import chinese_date
from eloan.domain.money import format_percent, to_money
from eloan.pdf.render import render_pdf
from eloan.services.statistics import Figures, Report

TEMPLATE = "attachment4.html"
BLANK_DATE = "　　　　年　　月　　日"
_WAN = Decimal(10000)
_CENT = Decimal("0.01")


def wan(amount: Decimal) -> str:
    """¥12,345,678.90 → "1,234.57" (万元, 2 places, ROUND_HALF_UP)."""
    return f"{(to_money(amount) / _WAN).quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"


def percent(ratio: Decimal | None) -> str:
    """A ratio as a percentage with 2 places; "—" when undefined (no loans outstanding)."""
    return "—" if ratio is None else format_percent(ratio)


def cells(f: Figures) -> list[str]:
    """The figures of a row in the form's column order."""
    return [
        str(f.loans_made_count),
        wan(f.loans_made_amount),
        str(f.enterprises_served),
        wan(f.outstanding),
        wan(f.overdue_balance),
        percent(f.overdue_ratio),
        wan(f.npl_balance),
        percent(f.npl_ratio),
        str(f.claims_count),
        wan(f.claims_amount),
        wan(f.paid),
        wan(f.recovered),
        wan(f.returned),
    ]


def attachment4_context(report: Report, *, compiled_by_unit: str = "区财政局") -> dict:
    bank_rows = [
        {"number": n, "name": r.label, "status": r.status_label, "cells": cells(r.figures)}
        for n, r in enumerate(report.rows, start=1)
    ]
    unit = report.rows[0].label if report.bank_only and report.rows else compiled_by_unit
    return {
        "attachment_label": "附件4",
        "doc_title": f"台儿庄区“园区E贷”业务情况统计表（{report.period.text}）",
        "kicker": "台儿庄区“园区E贷”",
        "title": "业务情况统计表",
        "watermark": "",
        "banner": "",
        "period_text": report.period.text,
        "end_text": chinese_date(report.end),
        "unit": unit,
        "bank_rows": bank_rows,
        "total_cells": cells(report.total.figures),
        "industry_rows": [{"name": r.label, "cells": cells(r.figures)} for r in report.by_industry],
        "mu_rows": [{"name": r.label, "cells": cells(r.figures)} for r in report.by_mu_class],
        "blank_date": BLANK_DATE,
    }


def render_attachment4(report: Report, **kw) -> bytes:
    """附件4 as PDF bytes."""
    return render_pdf(TEMPLATE, **attachment4_context(report, **kw))
