"""园区E贷 {Y}年度目标完成情况 (POLICY.md §15): the government's seven-column table, A4 landscape, page
numbers from forms.css; the lines and 完成情况 are services/targets.py's."""

from __future__ import annotations

from eloan.domain.calendar import chinese_date
from eloan.pdf.render import render_pdf
from eloan.services.targets import YearTargets

TEMPLATE = "targets.html"


def targets_context(t: YearTargets) -> dict:
    title = f"园区E贷 {t.year}年度目标完成情况"
    return {
        "attachment_label": "",
        "doc_title": title,
        "title": title,
        "watermark": "",
        "banner": "",
        "as_of_text": chinese_date(t.as_of),
        "rows": [
            {
                "number": line.item.position,
                "goal": line.item.goal_text,
                "work": line.item.work_text or "",
                "unit": line.responsible_label,
                "progress": line.progress,
                "problems": line.item.problems or "",
                "next_steps": line.item.next_steps or "",
            }
            for line in t.lines
        ],
    }


def render_targets(t: YearTargets) -> bytes:
    return render_pdf(TEMPLATE, **targets_context(t))
